"""The design's hand-written floor, for context in ``bench/redirect.py``: a bare Flask app
that does one insert per click on a per-worker connection and answers the same 302. No
lookup, no cookie, no bot check.

``BENCH_DATABASE`` is the SQLAlchemy URL of the database: ``sqlite:///…`` (one ``sqlite3``
connection tuned as the app's engine tunes its own) or ``postgresql+psycopg://…`` (one psycopg
connection in autocommit, with the commit mode the app's clicks use,
``COMARKETING_CLICK_SYNCHRONOUS_COMMIT``, when it is set). ``BENCH_LINK_ID`` is the link the
clicks go to, ``BENCH_TARGET`` the Location.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from datetime import UTC, datetime
from typing import Any

from flask import Flask, redirect, request
from werkzeug.wrappers import Response

TARGET = os.environ.get("BENCH_TARGET", "https://vendor.example/landing?utm_source=partner")
LINK_ID = int(os.environ.get("BENCH_LINK_ID", "1"))
DATABASE = os.environ.get("BENCH_DATABASE", "")
POSTGRES = DATABASE.startswith("postgresql")
INSERT = (
    "INSERT INTO clicks (link_id, clicked_at, visitor_id, is_bot, via_qr, ip_hash, "
    "user_agent, referrer) VALUES (?, ?, ?, false, false, NULL, ?, NULL)"
)

app = Flask(__name__)
_connection: Any = None


def connection() -> Any:
    global _connection  # noqa: PLW0603 - one connection per worker process
    if _connection is not None:
        return _connection
    if POSTGRES:
        import psycopg
        from sqlalchemy.engine import make_url

        url = make_url(DATABASE)
        _connection = psycopg.connect(
            host=url.host, port=url.port, user=url.username, password=url.password,
            dbname=url.database, autocommit=True,
        )  # fmt: skip
        mode = os.environ.get("COMARKETING_CLICK_SYNCHRONOUS_COMMIT")
        if mode in ("on", "off", "local"):
            _connection.execute(f"SET synchronous_commit = {mode}")
    else:
        _connection = sqlite3.connect(DATABASE.removeprefix("sqlite:///"), isolation_level=None)
        for pragma in ("foreign_keys=ON", "busy_timeout=10000", "journal_mode=WAL",
                       "synchronous=NORMAL"):  # fmt: skip
            _connection.execute(f"PRAGMA {pragma}")
    return _connection


@app.get("/r/<code>")
def follow(code: str) -> Response:
    now = datetime.now(UTC)
    agent = request.headers.get("User-Agent")
    if POSTGRES:
        row = (
            connection()
            .execute(
                INSERT.replace("?", "%s") + " RETURNING id",
                (LINK_ID, now, secrets.token_hex(16), agent),
            )
            .fetchone()
        )
        click_id = row[0]
    else:
        stamp = now.strftime("%Y-%m-%d %H:%M:%S.%f")
        cursor = connection().execute(INSERT, (LINK_ID, stamp, secrets.token_hex(16), agent))
        click_id = cursor.lastrowid
    return redirect(f"{TARGET}&cmclid={click_id}", 302)
