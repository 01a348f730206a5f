"""The declarative base, column types and engine tuning shared by every domain's models."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    Dialect,
    Enum,
    Integer,
    MetaData,
    Numeric,
    Select,
    event,
    text,
)
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator

from comarketing.core.money import money

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every model: one metadata with a naming convention, so migrations name
    constraints the same way on SQLite and PostgreSQL."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# A 64-bit key where rows can number in the millions (clicks); SQLite only auto-increments a
# column declared exactly INTEGER PRIMARY KEY, which is 64-bit there anyway.
BigIntPK = BigInteger().with_variant(Integer(), "sqlite")


# Any SELECT, whatever its columns (SQLAlchemy 2.1 types a Select by its column types).
AnySelect = Select[*tuple[Any, ...]]


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always returned as an aware UTC ``datetime``.

    PostgreSQL keeps ``timestamptz``; SQLite has no zone, so naive UTC is stored there.
    Naive values are refused on the way in: a naive time is a bug waiting to shift by hours.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: store aware UTC datetimes only")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Money(TypeDecorator[Decimal]):
    """Roubles with kopecks: ``NUMERIC(14, 2)``, read back as a ``Decimal`` with 2 places."""

    impl = Numeric(14, 2)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else money(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else money(value)


class Rate(TypeDecorator[Decimal]):
    """A share between 0 and 1 (commission rate, cost share, attribution credit): 6 places."""

    impl = Numeric(9, 6)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value).quantize(Decimal("0.000001"))

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value).quantize(Decimal("0.000001"))


def _unicode_lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def tune_sqlite(engine: Engine) -> None:
    """Make SQLite behave like the production database where it matters.

    Foreign keys on, WAL so readers outside transactions never wait, a busy timeout instead of
    instant "database is locked", and SQLAlchemy (not pysqlite) emitting BEGIN so that
    SAVEPOINTs work (the recipe in SQLAlchemy's SQLite dialect documentation). SQLite is the
    development database: serialising its transactions is the price of never failing one.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        # SQLite's lower() folds ASCII only; searches over Cyrillic names need Unicode folding.
        dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE: a transaction that reads and then writes (every API write: the token
        # lookup first) would otherwise fail at once with "database is locked" whenever
        # another writer committed in between; this way writers queue (busy_timeout).
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def str_enum(enum_cls: type[StrEnum], name: str) -> Enum:
    """A portable enum column: VARCHAR plus a named CHECK constraint, storing the values.

    Native PostgreSQL enums make every new value a migration with special care; a CHECK is
    rebuilt by an ordinary batch migration on both databases.
    """
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(member.value) for member in enum_cls) + 8,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


def reserve_ids(connection: Any, table_name: str, count: int) -> list[int]:
    """``count`` new primary keys of ``table_name`` for a bulk INSERT without RETURNING (which
    SQLite can only do row by row). PostgreSQL hands them out from the table's sequence;
    SQLite continues after the highest id — safe there because our transaction holds the
    database's write lock (``BEGIN IMMEDIATE``)."""
    if count <= 0:
        return []
    if connection.dialect.name == "postgresql":
        rows = connection.execute(
            text(
                "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"
            ),
            {"table": table_name, "n": count},
        )
        return [int(value) for (value,) in rows]
    highest = connection.execute(text(f"SELECT COALESCE(MAX(id), 0) FROM {table_name}")).scalar()  # noqa: S608
    return list(range(int(highest) + 1, int(highest) + 1 + count))


class utc_date(FunctionElement[date]):  # noqa: N801 - reads as the SQL function it is
    """The UTC calendar day of a ``UTCDateTime`` column, on either database."""

    type = Date()
    inherit_cache = True
    name = "utc_date"


@compiles(utc_date, "sqlite")
def _utc_date_sqlite(element: utc_date, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite stores naive UTC text ("2026-11-28 09:15:00.000000").
    return f"date({compiler.process(element.clauses, **kw)})"


@compiles(utc_date, "postgresql")
def _utc_date_postgresql(element: utc_date, compiler: SQLCompiler, **kw: Any) -> str:
    # timestamptz::date would use the session's time zone; say UTC explicitly.
    return f"CAST(timezone('UTC', {compiler.process(element.clauses, **kw)}) AS DATE)"
