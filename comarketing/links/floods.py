"""Click floods (contract §7): human clicks on one link from one visitor address beyond
``CLICK_FLOOD_PER_DAY`` (default 20) in a UTC day are counted as ``suspicious_clicks``, never
as clicks, in any figure, and never become touchpoints. The hot path writes every click as
it comes; which ones are a flood is decided when clicks are read: the first N of a link,
address and day count, in the order they came — by ``clicked_at`` (then id, for a tie), the
moment each request arrived, not the order their rows were committed in. So once every click
before a moment is committed (``reports.rollup``: a minute later), which of them count is
final, and a later click never changes it."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import Subquery, and_, case, false, func, select, true

from comarketing.core.db import utc_date
from comarketing.core.time import day_start
from comarketing.extensions import db
from comarketing.links.models import Click


def flood_limit() -> int:
    return int(current_app.config["CLICK_FLOOD_PER_DAY"])


def within_limit(ip_hash: Any, place: Any) -> Any:
    """Whether a human click at ``place`` (1 = first) among its link's, address's and UTC
    day's human clicks is within the day's first N; a click without an address always is."""
    return ip_hash.is_(None) | (place <= flood_limit())


def ranked_clicks(*conditions: Any) -> Subquery:
    """The clicks matching ``conditions`` (give whole UTC days, or a day's clicks from a
    moment on: a flood is counted per day) with ``day`` (UTC), ``ip_hash``, ``place`` (among
    the selected clicks of its link, address, day and kind, by arrival: 1 = first),
    ``counted`` (a human click within the day's first N of its link and address) and
    ``suspicious`` (a human click beyond them)."""
    day = utc_date(Click.clicked_at)
    place = func.row_number().over(
        partition_by=(Click.link_id, Click.ip_hash, day, Click.is_bot),
        order_by=(Click.clicked_at, Click.id),
    )
    human = Click.is_bot.is_(False)
    within = within_limit(Click.ip_hash, place)
    return (
        select(
            Click.id,
            Click.link_id,
            Click.visitor_id,
            Click.is_bot,
            Click.via_qr,
            Click.ip_hash,
            day.label("day"),
            place.label("place"),
            case((and_(human, within), true()), else_=false()).label("counted"),
            case((and_(human, ~within), true()), else_=false()).label("suspicious"),
        )
        .where(*conditions)
        .subquery("ranked_clicks")
    )


def flood_click_ids(*conditions: Any) -> Any:
    """A SELECT of the ids of the suspicious clicks among those matching ``conditions``."""
    ranked = ranked_clicks(*conditions)
    return select(ranked.c.id).where(ranked.c.suspicious.is_(True))


def is_flood(click: Click) -> bool:
    """Whether this human click came after the day's first N of its link and address (the
    rule of ``ranked_clicks``, read over that one link, address and day)."""
    if click.is_bot or click.ip_hash is None:
        return False
    day = click.clicked_at.astimezone(UTC).date()
    suspicious = flood_click_ids(
        Click.link_id == click.link_id,
        Click.ip_hash == click.ip_hash,
        Click.clicked_at >= day_start(day),
        Click.clicked_at < day_start(day + timedelta(days=1)),
    )
    return click.id in set(db.session.scalars(suspicious))
