"""Clicks per link and day, rolled up as soon as they can no longer change.

Clicks are only ever written with the current time, each committed before its 302, and a
request lasts at most 30 s (gunicorn's timeout): every click older than ``LAG`` is committed.
Floods rank a day's clicks by arrival (``links.floods``), so which of those count is final
too. The rollup adds the clicks from its mark (a moment, UTC) to ``LAG`` ago into
``click_days`` and moves the mark there; it also keeps, per link, day and address, the human
clicks it has added (``click_addresses``), where a flood's count resumes for the clicks after
the mark. Reports read ``click_days`` and the raw clicks after the mark — a minute or two of
them — counted on from ``click_addresses`` (``counted_clicks``): a handful of rows per link and
day instead of every click. A report rolls up first when the mark is more than ``STALE``
behind (``roll_up_for_reading``: in a transaction of its own); the worker's job does too.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Subquery, and_, case, delete, false, func, inspect, select, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from comarketing.core.db import utc_date
from comarketing.core.time import day_start, utcnow
from comarketing.core.writes import own_transaction, require_no_change
from comarketing.extensions import Model, db
from comarketing.links.floods import ranked_clicks, within_limit
from comarketing.links.models import Click
from comarketing.reports.models import ClickAddress, ClickDay, RollupMark

MARK = "click_days"
LAG = timedelta(seconds=60)  # every click older than this is committed
STALE = timedelta(seconds=30)  # how far behind ``LAG`` ago a report lets the mark be
KEPT = timedelta(days=1)  # click_addresses of days before yesterday (UTC) are dropped


def rolled_until(session: Session | None = None) -> datetime | None:
    """The moment (UTC) before which every click is in ``click_days`` (None: nothing rolled
    up yet); the clicks from it on are read raw."""
    found: datetime | None = (session or db.session).scalar(
        select(RollupMark.through_at).where(RollupMark.name == MARK)
    )
    return found


def mark_moment() -> Any:
    """``rolled_until`` as a scalar subquery, for a statement that reads the rollup and the
    clicks after its mark in one snapshot."""
    return select(RollupMark.through_at).where(RollupMark.name == MARK).scalar_subquery()


def rolled_through(session: Session | None = None) -> date | None:
    """The last whole UTC day in ``click_days`` (None: nothing rolled up yet); the day after
    it is in up to ``rolled_until``."""
    found: date | None = (session or db.session).scalar(
        select(RollupMark.through).where(RollupMark.name == MARK)
    )
    return found


def roll_up_for_reading(now: datetime | None = None) -> datetime | None:
    """What a report does before it reads the clicks: when the mark is more than ``STALE``
    behind the last final moment, roll up to it, in a short transaction of its own, committed
    at once, so that it lasts although the report (a GET) never commits its request's session.
    Otherwise one SELECT. Returns the mark (``rolled_until``).

    A report is a read: the request's session holds no change, and its transaction is ended
    (rolled back: there is nothing in it to keep) before the rollup's begins. Ours take
    SQLite's write lock at BEGIN, so the rollup would otherwise wait for the request that
    waits for it."""
    require_no_change()
    until = rolled_until()
    if until is not None and until >= _cutoff(now) - STALE:
        return until  # most reports: a report of the last half minute rolled up
    with own_transaction() as session:
        return roll_up_clicks(now, session, stale=STALE)


def roll_up_clicks(
    now: datetime | None = None,
    session: Session | None = None,
    *,
    stale: timedelta = timedelta(0),
) -> datetime | None:
    """Roll up every click from the mark to ``LAG`` before ``now`` (UTC; the current time by
    default), when the mark is more than ``stale`` behind that, in ``session`` (the request's
    by default); returns the new mark, None while there are no clicks. Flushes; the caller
    commits.

    Reports that arrive together queue on the mark's row lock: the first rolls up, the
    others find the mark moved when they get the row and add nothing."""
    session = session or db.session()
    cutoff = _cutoff(now)
    mark = _locked_mark(session, cutoff)
    if mark is None:
        return None
    start = mark.through_at or day_start(mark.through + timedelta(days=1))
    if start >= cutoff - stale:
        return start
    _add_clicks(session, start, cutoff)
    mark.through_at, mark.through = cutoff, cutoff.date() - timedelta(days=1)
    session.flush()
    return cutoff


def counted_clicks(*conditions: Any) -> Subquery:
    """The clicks matching ``conditions`` (whole UTC days, or a day's from the mark on) with
    ``link_id``, ``day`` (UTC), ``is_bot``, ``via_qr`` and ``counted``: a human click within
    its day's first N of its link and address, its place counted after the human clicks of
    that address already rolled up (``click_addresses``). Without rolled-up clicks of the day,
    as ``links.floods.ranked_clicks`` counts them."""
    ranked = ranked_clicks(*conditions)
    r, already = ranked.c, ClickAddress
    place = func.coalesce(already.humans, 0) + r.place
    counted = and_(r.is_bot.is_(False), within_limit(r.ip_hash, place))
    return (
        select(
            r.link_id,
            r.day,
            r.is_bot,
            r.via_qr,
            case((counted, true()), else_=false()).label("counted"),
        )
        .select_from(ranked)
        .outerjoin(
            already,
            and_(already.link_id == r.link_id, already.day == r.day, already.ip_hash == r.ip_hash),
        )
        .subquery("counted_clicks")
    )


def _cutoff(now: datetime | None) -> datetime:
    """The last final moment: every click before it is committed."""
    return (now or utcnow()) - LAG


def _add_clicks(session: Session, start: datetime, end: datetime) -> None:
    """Add the clicks of [start, end) to ``click_days`` and their human clicks with an
    address, of the days kept, to ``click_addresses`` (read first: it holds the clicks before
    ``start``), and, once a day, drop the addresses of the days no later click can fall on."""
    clicks = counted_clicks(Click.clicked_at >= start, Click.clicked_at < end)
    c = clicks.c
    counted = c.counted.is_(True)
    per_day = select(
        c.link_id,
        c.day,
        func.sum(case((counted, 1), else_=0)),  # a flood's clicks are counted nowhere
        func.sum(case((c.is_bot.is_(True), 1), else_=0)),
        func.sum(case((counted & c.via_qr.is_(True), 1), else_=0)),
    ).group_by(c.link_id, c.day)
    session.execute(_added(session, ClickDay, per_day))
    day, kept = utc_date(Click.clicked_at), day_start(end.date() - KEPT)
    per_address = (
        select(Click.link_id, day, Click.ip_hash, func.count())
        .where(Click.clicked_at >= max(start, kept), Click.clicked_at < end)
        .where(Click.is_bot.is_(False), Click.ip_hash.is_not(None))
        .group_by(Click.link_id, day, Click.ip_hash)
    )
    session.execute(_added(session, ClickAddress, per_address))
    if start.date() < end.date():  # a new day: the day before yesterday's can go
        session.execute(delete(ClickAddress).where(ClickAddress.day < kept.date()))


def _added(session: Session, model: type[Model], rows: Any) -> Any:
    """INSERT … SELECT ``rows`` (the primary key's columns, then the counts, in the table's
    order) into ``model``'s table, adding the counts to a row already there (either
    database)."""
    mapper = inspect(model)
    keys = [column.name for column in mapper.primary_key]
    counts = [name for name, _column in mapper.columns.items() if name not in keys]
    dialect = session.get_bind().dialect.name
    build = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # WHERE true: SQLite would read the ON of ON CONFLICT as a join's without one.
    stmt = build(model).from_select(keys + counts, rows.where(true()))
    added = {name: getattr(model, name) + stmt.excluded[name] for name in counts}
    return stmt.on_conflict_do_update(index_elements=keys, set_=added)


def _locked_mark(session: Session, cutoff: datetime) -> RollupMark | None:
    """The rollup's mark, locked until the transaction ends (created, at the first click or
    ``cutoff`` if earlier, when missing); None while there are no clicks."""
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
    start = min(first, cutoff)
    try:
        with session.begin_nested():
            session.add(
                RollupMark(name=MARK, through=start.date() - timedelta(days=1), through_at=start)
            )
    except IntegrityError:
        pass  # another report created it first and has rolled up since
    return session.scalar(locked)
