"""insert_rows (COPY on PostgreSQL, a plain executemany on SQLite) stores what SQLAlchemy's own
insert stores: the column types' rules apply, any text survives, bad rows are refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any, cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Table, delete, insert, select

from comarketing.core.bulk_insert import insert_rows
from comarketing.core.outbox import OutboxMessage
from comarketing.extensions import db

OUTBOX = cast(Table, OutboxMessage.__table__)
MOSCOW = timezone(timedelta(hours=3))


def message(**overrides: Any) -> dict[str, Any]:
    row = {
        "channel": "email",
        "topic": "webinar.reminder",
        "payload": {"name": "ООО «Рога и Копыта»", "ids": [1, 2], "none": None},
        "status": "pending",
        "attempts": 0,
        "last_error": None,
        "next_attempt_at": datetime(2026, 12, 15, 11, 0, tzinfo=MOSCOW),
        "created_at": datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
    }
    return row | overrides


def without(column: str) -> dict[str, Any]:
    return {key: value for key, value in message().items() if key != column}


def stored(topic: str) -> list[dict[str, Any]]:
    columns = [c for c in OUTBOX.c if c.name != "id"]
    rows = db.session.execute(select(*columns).where(OUTBOX.c.topic == topic).order_by(OUTBOX.c.id))
    return [dict(row._mapping) for row in rows]


def test_rows_come_back_as_sqlalchemys_insert_stores_them(app):
    rows = [message(topic="bulk", attempts=n, last_error=f"e{n}") for n in range(3)]
    insert_rows(OUTBOX, rows)
    db.session.execute(insert(OUTBOX), [row | {"topic": "orm"} for row in rows])
    ours, theirs = stored("bulk"), stored("orm")
    assert [row | {"topic": "orm"} for row in ours] == theirs
    assert ours[0]["next_attempt_at"] == datetime(2026, 12, 15, 8, 0, tzinfo=UTC)
    assert ours[0]["payload"] == rows[0]["payload"]
    assert [row["attempts"] for row in ours] == [0, 1, 2]


# Text COPY has its own escapes (tab, newline, backslash, \N for NULL): any text must survive.
# Each example deletes its row, so sharing the app fixture between examples is safe.
@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"))
)
def test_any_text_survives(app, text):
    insert_rows(OUTBOX, [message(topic="text", last_error=text, payload={"t": text})])
    (row,) = stored("text")
    assert row["last_error"] == text
    assert row["payload"] == {"t": text}
    db.session.execute(delete(OUTBOX).where(OUTBOX.c.topic == "text"))


def test_naive_times_are_refused_and_nothing_is_written(app):
    naive = datetime(2026, 12, 15, 11, 0)  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValueError, match="naive datetime"):
        insert_rows(OUTBOX, [message(topic="naive"), message(topic="naive", created_at=naive)])
    db.session.rollback()
    assert stored("naive") == []


@pytest.mark.parametrize(
    ("rows", "error"),
    [
        ([{**message(), "extra": 1}, message()], "no column extra"),
        ([message(), without("last_error")], "exactly"),
        ([message(), {**without("last_error"), "delivered_at": None}], "exactly"),
        ([without("attempts")], "give attempts"),
    ],
    ids=["unknown column", "a row without a column", "a row with another column", "no default"],
)
def test_bad_rows_are_refused(app, rows, error):
    with pytest.raises(ValueError, match=error):
        insert_rows(OUTBOX, rows)
    db.session.rollback()
    assert stored("webinar.reminder") == []


def test_no_rows_is_nothing(app):
    insert_rows(OUTBOX, [])
    assert stored("webinar.reminder") == []
