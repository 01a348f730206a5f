"""The design's hand-written floor, for context in ``bench/redirect.py``: a bare Flask app
that does one insert per click on a per-worker sqlite3 connection (tuned as the app's engine
tunes its own) and answers the same 302. No lookup, no cookie, no bot check.

``BENCH_DATABASE`` is the SQLite file, ``BENCH_LINK_ID`` the link the clicks go to,
``BENCH_TARGET`` the Location.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from datetime import UTC, datetime

from flask import Flask, redirect, request
from werkzeug.wrappers import Response

TARGET = os.environ.get("BENCH_TARGET", "https://vendor.example/landing?utm_source=partner")
LINK_ID = int(os.environ.get("BENCH_LINK_ID", "1"))
INSERT = (
    "INSERT INTO clicks (link_id, clicked_at, visitor_id, is_bot, via_qr, ip_hash, "
    "user_agent, referrer) VALUES (?, ?, ?, 0, 0, NULL, ?, NULL)"
)

app = Flask(__name__)
_connection: sqlite3.Connection | None = None


def connection() -> sqlite3.Connection:
    global _connection  # noqa: PLW0603 - one connection per worker process
    if _connection is None:
        _connection = sqlite3.connect(os.environ["BENCH_DATABASE"], isolation_level=None)
        for pragma in ("foreign_keys=ON", "busy_timeout=10000", "journal_mode=WAL",
                       "synchronous=NORMAL"):  # fmt: skip
            _connection.execute(f"PRAGMA {pragma}")
    return _connection


@app.get("/r/<code>")
def follow(code: str) -> Response:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    cursor = connection().execute(
        INSERT, (LINK_ID, now, secrets.token_hex(16), request.headers.get("User-Agent"))
    )
    return redirect(f"{TARGET}&cmclid={cursor.lastrowid}", 302)
