"""Writing many rows to one table at once: ``COPY`` on PostgreSQL, one plain executemany on
SQLite.

An import writes hundreds of thousands of rows (a lead, its conversion and touchpoints, five
attribution credits per lead). SQLAlchemy's executemany prepares every row's parameters
through its compiled statement, and psycopg then runs one INSERT per row: together most of an
import's time. Here each column's bind processor still runs (``UTCDateTime`` refuses naive
times and stores UTC, ``Money`` quantizes, JSON is serialised), then the values go to the
driver as they are. Python-side column defaults are not applied: every column without a
server default must be in the rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.engine import Connection

from comarketing.extensions import db

Processor = Callable[[Any], Any] | None
PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}


def insert_rows(table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys, column names of ``table``) in the session's
    transaction. Raises ``ValueError`` for rows whose keys differ or a column that has a
    Python-side default and no value."""
    if not rows:
        return
    names = list(rows[0])
    _check_columns(table, names)
    connection = db.session.connection()
    dialect = connection.dialect
    processors = [
        _remembering(table.c[name].type.dialect_impl(dialect).bind_processor(dialect))
        for name in names
    ]
    values = _values(rows, names, processors)
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        _copy(connection, table, names, values)
    elif dialect.paramstyle in PLACEHOLDERS:
        _executemany(connection, table, names, values, PLACEHOLDERS[dialect.paramstyle])
    else:  # another driver: SQLAlchemy's own executemany
        connection.execute(insert(table), [dict(row) for row in rows])


def _check_columns(table: Table, names: list[str]) -> None:
    unknown = [name for name in names if name not in table.c]
    if unknown:
        raise ValueError(f"{table.name} has no column {', '.join(unknown)}")
    missing = [
        column.name
        for column in table.columns
        if column.name not in names and column.default is not None
    ]
    if missing:
        raise ValueError(
            f"{table.name}: give {', '.join(missing)} (Python-side defaults are not applied)"
        )


def _remembering(process: Processor) -> Processor:
    """``process`` computed once per distinct value: rows of a bulk write repeat values (a
    lead's five credits share its creation time, a chunk shares its import time), and turning
    a datetime into UTC and then into SQLite's text costs microseconds each time. The key holds
    the type and the zone, so equal values that store differently (``True`` and ``1``, one
    instant in two zones) are computed apart."""
    if process is None:
        return None
    seen: dict[tuple[Any, ...], Any] = {}

    def remembered(value: Any) -> Any:
        key = (value.__class__, value, getattr(value, "tzinfo", None))
        try:
            return seen[key]
        except KeyError:
            result = seen[key] = process(value)
            return result
        except TypeError:  # not hashable (a JSON payload)
            return process(value)

    return remembered


def _values(
    rows: Sequence[Mapping[str, Any]], names: list[str], processors: Sequence[Processor]
) -> Iterator[tuple[Any, ...]]:
    expected = set(names)
    for row in rows:
        if row.keys() != expected:
            raise ValueError(f"every row needs exactly the columns {', '.join(names)}")
        yield tuple(
            process(row[name]) if process is not None else row[name]
            for name, process in zip(names, processors, strict=True)
        )


def _copy(
    connection: Connection, table: Table, names: list[str], values: Iterator[tuple[Any, ...]]
) -> None:
    quote = connection.dialect.identifier_preparer
    columns = ", ".join(quote.quote(name) for name in names)
    statement = f"COPY {quote.format_table(table)} ({columns}) FROM STDIN"
    cursor = connection.connection.cursor()
    try:
        with cursor.copy(statement) as copy:  # psycopg's cursor
            for row in values:
                copy.write_row(row)
    finally:
        cursor.close()


def _executemany(
    connection: Connection,
    table: Table,
    names: list[str],
    values: Iterator[tuple[Any, ...]],
    placeholder: str,
) -> None:
    quote = connection.dialect.identifier_preparer
    # Only the dialect's quoted identifiers and placeholders go into the text; values are bound.
    statement = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote.format_table(table),
        ", ".join(quote.quote(name) for name in names),
        ", ".join([placeholder] * len(names)),
    )
    connection.exec_driver_sql(statement, list(values))
