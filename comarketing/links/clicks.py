"""The click store of the hot path: cached code lookups and one raw INSERT per click.

``/r/<code>`` runs for every ad and promo click, so it bypasses the ORM's unit of work: each
worker thread keeps one DB-API connection of its own (taken from the app's engine, so the
engine's connect-time tuning applies, then detached from the pool) in autocommit mode, and a
click is one ``INSERT`` that is committed when ``record`` returns, before the answer is sent.
Values go through the same bind processors the ORM uses, so ``clicked_at`` is stored exactly
as ``UTCDateTime`` stores it (naive UTC text on SQLite, ``timestamptz`` on PostgreSQL).

On PostgreSQL the commit of a click waits as ``CLICK_SYNCHRONOUS_COMMIT`` says, set once on
that connection's session (it writes nothing but clicks, so the setting is theirs alone, and a
click stays one statement: no BEGIN, ``SET LOCAL`` and COMMIT round trips). "on", the
default: the 302 leaves once the click's WAL record is on disk. "off": once the server has
committed it in memory, visible to every connection; a killed app worker still loses no
click, a crash of the PostgreSQL server itself may lose the last ~0.6 s (3 × its
``wal_writer_delay``). The store keeps the app's engine mapping, so a click needs no app
context.

Codes are immutable, so a code's target is cached per process once found; misses are not
cached (a link issued a second later must work at once). On SQLite, waits for another
worker's write lock are retried in microseconds, not SQLite's milliseconds
(``_retry_while_locked``), and the click connection checkpoints the WAL every 10,000 pages
rather than every 1,000 (durability is the same: a checkpoint only moves committed pages).

When the app is bound to a ``Connection`` instead of an ``Engine`` (the test suite binds one
per test, inside a transaction it rolls back), clicks are written on that connection and its
owner decides about the transaction.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
import time
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Flask, current_app
from sqlalchemy import Connection, Dialect, Engine
from sqlalchemy.pool import PoolProxiedConnection

from comarketing.extensions import db
from comarketing.links.clickid import click_id_key
from comarketing.links.models import Click, TrackedLink

EXTENSION_KEY = "comarketing.click_store"
SQLITE_BUSY = frozenset({5, 6})  # SQLITE_BUSY, SQLITE_LOCKED (low byte of extended codes)
LOCK_FIRST_PAUSE = 0.00002  # seconds
LOCK_MAX_PAUSE = 0.001
LOCK_WAIT_LIMIT = 10.0  # the engine's busy_timeout (core.db.tune_sqlite)
MAX_CACHED_TARGETS = 50_000
WAL_AUTOCHECKPOINT = 10_000  # pages of SQLite's WAL (~40 MB) before a click checkpoints it
SYNCHRONOUS_COMMIT_MODES = ("on", "off")  # CLICK_SYNCHRONOUS_COMMIT (config/base.py)
INSERT_COLUMNS = (
    "link_id",
    "clicked_at",
    "visitor_id",
    "is_bot",
    "via_qr",
    "ip_hash",
    "user_agent",
    "referrer",
)


@dataclass(frozen=True, slots=True)
class LinkTarget:
    """Where a code redirects: the stored tagged URL, split where ``cmclid`` goes in."""

    link_id: int
    before_click_id: str  # the tagged URL up to its fragment, ending in "?cmclid=" or "&cmclid="
    fragment: str  # "#…" or ""

    @classmethod
    def of(cls, link_id: int, tagged_url: str) -> LinkTarget:
        url, hash_mark, fragment = tagged_url.partition("#")
        separator = "&" if "?" in url else "?"
        return cls(link_id, f"{url}{separator}cmclid=", hash_mark + fragment)

    def location(self, cmclid: str) -> str:
        return f"{self.before_click_id}{cmclid}{self.fragment}"


@dataclass(frozen=True, slots=True)
class ClickRow:
    """One click as it is stored (``Click`` columns; lengths already cut to the columns)."""

    link_id: int
    clicked_at: datetime
    visitor_id: str
    is_bot: bool
    via_qr: bool
    ip_hash: str | None
    user_agent: str | None
    referrer: str | None


class ClickStore:
    """Per app: the cache of code targets, the secrets derived from ``SECRET_KEY``, and the
    per-thread connections clicks are written on."""

    def __init__(
        self,
        secret_key: str,
        synchronous_commit: str = "on",
        engines: Mapping[str | None, Engine | Connection] | None = None,
    ) -> None:
        self.synchronous_commit = checked_commit_mode(synchronous_commit)
        # Flask-SQLAlchemy's engines of the app: the same dict for the app's life (the test
        # suite swaps a Connection into it), so clicks need no app context to find theirs.
        self._engines = engines
        self.click_key = click_id_key(secret_key)
        self.ip_salt = hashlib.sha256(b"comarketing.ip\x00" + secret_key.encode()).digest()
        self._targets: dict[str, LinkTarget] = {}
        self._local = threading.local()
        self._statements: dict[str, _Statements] = {}

    # -- the two operations of the hot path ----------------------------------------------

    def target(self, code: str) -> LinkTarget | None:
        """The link behind ``code``, or None when no link has it."""
        cached = self._targets.get(code)
        if cached is not None:
            return cached
        row = self._run(lambda cursor, sql: sql.lookup(cursor, code))
        if row is None:
            return None
        if len(self._targets) >= MAX_CACHED_TARGETS:
            self._targets.clear()
        target = LinkTarget.of(int(row[0]), str(row[1]))
        self._targets[code] = target
        return target

    def record(self, code: str, click: ClickRow) -> int | None:
        """Insert ``click`` and return its id; the row is committed when this returns.

        None when the link of ``code`` was deleted since it was cached (the foreign key
        refused the row): the code is forgotten and answers 404 from now on.
        """
        dbapi = self._bind().dialect.loaded_dbapi
        try:
            click_id: int = self._run(lambda cursor, sql: sql.insert(cursor, click))
        except dbapi.IntegrityError:
            self.forget(code)
            return None
        return click_id

    def hash_ip(self, address: str | None) -> str | None:
        """The salted SHA-256 of an IP address (hex); the address itself is never stored."""
        if not address:
            return None
        return hashlib.sha256(self.ip_salt + address.encode()).hexdigest()

    def forget(self, code: str) -> None:
        """Drop a cached target (its link is gone)."""
        self._targets.pop(code, None)

    def close(self) -> None:
        """Close this thread's connection (tests and benchmarks that build many apps)."""
        connection: PoolProxiedConnection | None = getattr(self._local, "connection", None)
        if connection is not None:
            self._local.finalizer.detach()
            self._local.connection = self._local.cursor = self._local.owner = None
            connection.close()

    # -- connections -----------------------------------------------------------------------

    def _bind(self) -> Engine | Connection:
        return (self._engines if self._engines is not None else db.engines)[None]

    def _run(self, operation: Callable[[Any, _Statements], Any]) -> Any:
        bind = self._bind()
        if isinstance(bind, Connection):
            driver_connection = bind.connection.driver_connection
            assert driver_connection is not None
            cursor = driver_connection.cursor()
            try:
                return operation(cursor, self._statements_for(bind.dialect))
            finally:
                cursor.close()
        sql = self._statements_for(bind.dialect)
        dbapi = bind.dialect.loaded_dbapi
        for attempt in (1, 2):
            cursor = self._cursor(bind)
            try:
                return _retry_while_locked(operation, cursor, sql)
            except (dbapi.OperationalError, dbapi.InterfaceError):
                # A connection the server closed, or a database restarted: reconnect once.
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _cursor(self, engine: Engine) -> Any:
        """This thread's cursor on its own connection to ``engine``, opened on first use."""
        local = self._local
        if getattr(local, "connection", None) is not None:
            if local.pid == os.getpid() and local.engine is engine:
                return local.cursor
            if local.pid == os.getpid():
                self.close()
        # A forked worker never reuses its parent's connection (it is simply dropped).
        connection = engine.raw_connection()
        connection.detach()
        dbapi_connection = connection.dbapi_connection
        assert dbapi_connection is not None
        engine.dialect.set_isolation_level(dbapi_connection, "AUTOCOMMIT")
        if engine.dialect.name == "sqlite":
            # Waiting for another worker's write lock is done by ``_retry_while_locked``.
            dbapi_connection.execute("PRAGMA busy_timeout=0")
            # A click dirties ~4 pages (table and three indexes): at SQLite's 1,000 pages a
            # click would checkpoint (copy the WAL back and fsync twice) every ~250 clicks.
            dbapi_connection.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT}")
        elif engine.dialect.name == "postgresql" and self.synchronous_commit != "on":
            # This connection only ever writes clicks: its session setting is theirs alone.
            setting = dbapi_connection.cursor()
            setting.execute(f"SET synchronous_commit = {self.synchronous_commit}")
            setting.close()
        local.connection, local.pid, local.engine = connection, os.getpid(), engine
        local.cursor = dbapi_connection.cursor()
        # A thread's locals die with it (a server may start a thread per request): the
        # connection is closed then, instead of being dropped open.
        local.owner = _ThreadOwner()
        local.finalizer = weakref.finalize(local.owner, _close_quietly, connection)
        return local.cursor

    def _statements_for(self, dialect: Dialect) -> _Statements:
        statements = self._statements.get(dialect.name)
        if statements is None:
            statements = self._statements[dialect.name] = _Statements(dialect)
        return statements


def checked_commit_mode(mode: object) -> str:
    """``CLICK_SYNCHRONOUS_COMMIT`` if it is one of ``SYNCHRONOUS_COMMIT_MODES``, else a
    ``ValueError`` naming them (raised when the app is built, not at the first click)."""
    if mode not in SYNCHRONOUS_COMMIT_MODES:
        choices = ", ".join(SYNCHRONOUS_COMMIT_MODES)
        raise ValueError(f"CLICK_SYNCHRONOUS_COMMIT is {mode!r}; it must be one of {choices}")
    return str(mode)


class _ThreadOwner:
    """Lives only in one thread's locals; its end closes that thread's click connection."""


def _close_quietly(connection: PoolProxiedConnection) -> None:
    with contextlib.suppress(Exception):  # a broken connection has nothing left to close
        connection.close()


def _retry_while_locked(operation: Callable[[Any, _Statements], Any], *args: Any) -> Any:
    """Run ``operation``, trying again while SQLite answers "database is locked".

    Another worker holds SQLite's write lock only for the tens of microseconds of its own
    click; SQLite's busy handler would sleep a whole millisecond before trying again (half
    the throughput of two workers went there). So wait 20 µs, doubling up to 1 ms, for as
    long as the engine's own ``busy_timeout`` would. Other databases never answer this.
    """
    waited, pause = 0.0, LOCK_FIRST_PAUSE
    while True:
        try:
            return operation(*args)
        except Exception as error:
            code = getattr(error, "sqlite_errorcode", None)
            if code is None or code & 0xFF not in SQLITE_BUSY or waited >= LOCK_WAIT_LIMIT:
                raise
        time.sleep(pause)
        waited += pause
        pause = min(pause * 2, LOCK_MAX_PAUSE)


class _Statements:
    """The two SQL statements in the dialect's parameter style, and the bind processors of
    the click columns (the ORM's own conversions)."""

    def __init__(self, dialect: Dialect) -> None:
        mark = "?" if dialect.paramstyle == "qmark" else "%s"
        if dialect.paramstyle not in {"qmark", "format", "pyformat"}:
            raise RuntimeError(f"unsupported DB-API paramstyle {dialect.paramstyle!r}")
        clicks = Click.__table__
        self.lookup_sql = (
            f"SELECT id, tagged_url FROM {TrackedLink.__tablename__} WHERE code = {mark}"  # noqa: S608 - fixed names
        )
        columns = ", ".join(INSERT_COLUMNS)
        marks = ", ".join([mark] * len(INSERT_COLUMNS))
        self.insert_sql = f"INSERT INTO {Click.__tablename__} ({columns}) VALUES ({marks})"  # noqa: S608
        self.returning = dialect.name != "sqlite"
        if self.returning:
            self.insert_sql += " RETURNING id"
        self.processors = [
            (index, processor)
            for index, name in enumerate(INSERT_COLUMNS)
            if (processor := clicks.c[name].type.dialect_impl(dialect).bind_processor(dialect))
        ]

    def lookup(self, cursor: Any, code: str) -> tuple[Any, ...] | None:
        cursor.execute(self.lookup_sql, (code,))
        row = cursor.fetchone()
        return None if row is None else tuple(row)

    def insert(self, cursor: Any, click: ClickRow) -> int:
        params = [getattr(click, name) for name in INSERT_COLUMNS]
        for index, process in self.processors:
            if params[index] is not None:
                params[index] = process(params[index])
        cursor.execute(self.insert_sql, params)
        if self.returning:
            return int(cursor.fetchone()[0])
        return int(cursor.lastrowid)


def click_store(app: Flask | None = None) -> ClickStore:
    """The app's click store, created on first use."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    store: ClickStore | None = app.extensions.get(EXTENSION_KEY)
    if store is None:
        with app.app_context():
            engines = db.engines
        store = app.extensions[EXTENSION_KEY] = ClickStore(
            app.config["SECRET_KEY"], app.config["CLICK_SYNCHRONOUS_COMMIT"], engines
        )
    return store
