"""Clicks per link and day for the days that can no longer change.

Clicks are only ever written with the current time, each committed before its 302, so a UTC
day is final once it is over — ``GRACE`` after midnight, for a click whose request began just
before it (a request lasts seconds: gunicorn's timeout is 30 s). Final days are rolled up
into ``click_days`` on first need (a report asks, ``roll_up_for_reading``: in a transaction of
its own); reports read the rollup for those days and the raw clicks for the last open days: a
handful of rows per link and day instead of every click.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import case, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from comarketing.core.time import day_start, utcnow
from comarketing.core.writes import own_transaction, require_no_change
from comarketing.extensions import db
from comarketing.links.floods import ranked_clicks
from comarketing.links.models import Click
from comarketing.reports.models import ClickDay, RollupMark

MARK = "click_days"
GRACE = timedelta(minutes=10)  # after midnight UTC, before yesterday is final


def rolled_through(session: Session | None = None) -> date | None:
    """The last day already in ``click_days`` (None: nothing rolled up yet)."""
    found: date | None = (session or db.session).scalar(
        select(RollupMark.through).where(RollupMark.name == MARK)
    )
    return found


def roll_up_for_reading(today: date | None = None) -> date | None:
    """What a report does before it reads the clicks: roll up the final days not rolled up
    yet, in a short transaction of its own, committed at once, so that it lasts although the
    report (a GET) never commits its request's session. Returns the last day rolled up.

    A report is a read: the request's session holds no change, and its transaction is ended
    (rolled back: there is nothing in it to keep) before the rollup's begins. Ours take
    SQLite's write lock at BEGIN, so the rollup would otherwise wait for the request that
    waits for it."""
    require_no_change()
    through = rolled_through()
    if through is not None and through >= _final(today):
        return through  # every day but the first of a day's reports
    with own_transaction() as session:
        return roll_up_clicks(today, session)


def roll_up_clicks(today: date | None = None, session: Session | None = None) -> date | None:
    """Roll up every final day not rolled up yet, in ``session`` (the request's by default);
    returns the last day the rollup covers. Flushes; the caller commits.

    Reports that arrive together with days to roll up queue on the mark's row lock: the first
    rolls up, the others find the mark moved when they get the row and add nothing."""
    session = session or db.session()
    final = _final(today)
    through = rolled_through(session)
    if through is not None and through >= final:
        return through
    mark = _locked_mark(session)
    if mark is None:
        return None
    if mark.through >= final:
        return mark.through
    start, end = day_start(mark.through + timedelta(days=1)), day_start(final + timedelta(days=1))
    ranked = ranked_clicks(Click.clicked_at >= start, Click.clicked_at < end)
    counted = ranked.c.counted.is_(True)
    rows = select(
        ranked.c.link_id,
        ranked.c.day,
        func.sum(case((counted, 1), else_=0)),  # a flood's clicks are counted nowhere
        func.sum(case((ranked.c.is_bot.is_(True), 1), else_=0)),
        func.sum(case((counted & ranked.c.via_qr.is_(True), 1), else_=0)),
    ).group_by(ranked.c.link_id, ranked.c.day)
    session.execute(insert(ClickDay).from_select(["link_id", "day", "humans", "bots", "qr"], rows))
    mark.through = final
    session.flush()
    return final


def _final(today: date | None) -> date:
    """The last final day: the day before ``today`` (UTC; a given ``today`` is taken as past
    its ``GRACE``), or before yesterday in the first ``GRACE`` of a day. Reports read the
    clicks of the days after it (today, and yesterday only in its grace) from the rows."""
    if today is not None:
        return today - timedelta(days=1)
    return (utcnow() - GRACE).date() - timedelta(days=1)


def _locked_mark(session: Session) -> RollupMark | None:
    """The rollup's mark, locked until the transaction ends (created, the day before the first
    click, when missing); None while there are no clicks."""
    locked = (
        select(RollupMark)
        .where(RollupMark.name == MARK)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    mark = session.scalar(locked)
    if mark is not None:
        return mark
    first = session.scalar(select(func.min(Click.clicked_at)))
    if first is None:
        return None
    try:
        with session.begin_nested():
            session.add(RollupMark(name=MARK, through=first.date() - timedelta(days=1)))
    except IntegrityError:
        pass  # another report created it first and has rolled up since
    return session.scalar(locked)
