"""Clicks per link and day for the days that can no longer change.

Clicks are only ever written with the current time, so a UTC day is final once it is over —
one more day is kept open for clicks committed just after midnight. Final days are rolled up
into ``click_days`` on first need (a report asks); reports read the rollup for those days and
the raw clicks for the last open days: a handful of rows per link and day instead of every
click.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import case, func, insert, select
from sqlalchemy.exc import IntegrityError

from comarketing.core.time import day_start, utcnow
from comarketing.extensions import db
from comarketing.links.models import Click
from comarketing.reports.models import ClickDay, RollupMark

MARK = "click_days"
OPEN_DAYS = 2  # today and yesterday stay raw


def day_of(column: Any) -> Any:
    """The UTC date of a timestamp column, on both databases."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone("UTC", column))
    return func.date(column)


def rolled_through() -> date | None:
    """The last day already in ``click_days`` (None: nothing rolled up yet)."""
    return db.session.scalar(select(RollupMark.through).where(RollupMark.name == MARK))


def roll_up_clicks(today: date | None = None) -> date | None:
    """Roll up every final day not rolled up yet; returns the last day the rollup covers.
    Flushes; the caller commits (once per day of clicks, the first report pays).

    Reports that arrive together with days to roll up queue on the mark's row lock: the first
    rolls up, the others find the mark moved when they get the row and add nothing."""
    final = (today or utcnow().date()) - timedelta(days=OPEN_DAYS)
    through = rolled_through()
    if through is not None and through >= final:
        return through
    mark = _locked_mark()
    if mark is None:
        return None
    if mark.through >= final:
        return mark.through
    start, end = day_start(mark.through + timedelta(days=1)), day_start(final + timedelta(days=1))
    day = day_of(Click.clicked_at)
    human = Click.is_bot.is_(False)
    rows = (
        select(
            Click.link_id,
            day,
            func.sum(case((human, 1), else_=0)),
            func.sum(case((human, 0), else_=1)),
            func.sum(case((human & Click.via_qr.is_(True), 1), else_=0)),
        )
        .where(Click.clicked_at >= start, Click.clicked_at < end)
        .group_by(Click.link_id, day)
    )
    db.session.execute(
        insert(ClickDay).from_select(["link_id", "day", "humans", "bots", "qr"], rows)
    )
    mark.through = final
    db.session.flush()
    return final


def _locked_mark() -> RollupMark | None:
    """The rollup's mark, locked until the transaction ends (created, the day before the first
    click, when missing); None while there are no clicks."""
    locked = (
        select(RollupMark)
        .where(RollupMark.name == MARK)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    mark = db.session.scalar(locked)
    if mark is not None:
        return mark
    first = db.session.scalar(select(func.min(Click.clicked_at)))
    if first is None:
        return None
    try:
        with db.session.begin_nested():
            db.session.add(RollupMark(name=MARK, through=first.date() - timedelta(days=1)))
    except IntegrityError:
        pass  # another report created it first and has rolled up since
    return db.session.scalar(locked)
