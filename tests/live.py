"""A live copy of the app on its own database, served over a real socket, for tests that
need real concurrency or real commits (the rollback-per-test fixture cannot give either).

SQLite: a fresh file. PostgreSQL (``TEST_DATABASE_URL``): a sibling database ``<name>_live``,
created when missing and emptied before use.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import flask_migrate
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from comarketing import create_app
from comarketing.extensions import db


@dataclass
class LiveServer:
    app: Flask
    url: str


def free_port() -> int:
    """A TCP port nobody listens on at 127.0.0.1 now, for a server a test starts."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def sibling_database_url(suffix: str, *, fresh: bool = False) -> str:
    """``<TEST_DATABASE_URL's database>_<suffix>`` on the same PostgreSQL server, created when
    missing (dropped first when ``fresh``): for servers and threads that need committed data
    outside the suite's per-test transaction."""
    url = make_url(os.environ["TEST_DATABASE_URL"])
    target = url.set(database=f"{url.database}_{suffix}")
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        if fresh:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}"'))
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
        ).scalar()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    return target.render_as_string(hide_password=False)


def live_database_url(tmp_path: Path) -> str:
    if not os.environ.get("TEST_DATABASE_URL"):
        return f"sqlite:///{tmp_path / 'live.sqlite3'}"
    return sibling_database_url("live")


@contextmanager
def live_server(tmp_path: Path, **config: object) -> Iterator[LiveServer]:
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=live_database_url(tmp_path), **config)
    app.instance_path = str(tmp_path / "live-instance")
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        flask_migrate.upgrade()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(app, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(timeout=10)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
