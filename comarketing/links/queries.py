"""Read queries over links and clicks; every figure is aggregated in SQL."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import distinct, func, select

from comarketing.campaigns.models import Campaign
from comarketing.core.auth import scope_to_partner
from comarketing.core.db import AnySelect
from comarketing.core.time import day_start
from comarketing.extensions import db
from comarketing.links.floods import ranked_clicks
from comarketing.links.models import Click, TrackedLink
from comarketing.partners.models import Partner
from comarketing.users.models import User
from comarketing.webinars.models import Webinar


def clicks_count(*, since: datetime, include_bots: bool = False) -> int:
    """Clicks at or after ``since`` (UTC); human clicks only unless ``include_bots``."""
    stmt = select(func.count(Click.id)).where(Click.clicked_at >= since)
    if not include_bots:
        stmt = stmt.where(Click.is_bot.is_(False))
    return db.session.scalar(stmt) or 0


def links_query(
    user: User,
    *,
    partner_id: int | None = None,
    campaign_id: int | None = None,
    webinar_id: int | None = None,
    search: str | None = None,
) -> AnySelect:
    """Links ``user`` may see, filtered; a partner user sees only its own partner's links."""
    stmt = scope_to_partner(select(TrackedLink), TrackedLink.partner_id, user)
    if partner_id is not None:
        stmt = stmt.where(TrackedLink.partner_id == partner_id)
    if campaign_id is not None:
        stmt = stmt.where(TrackedLink.campaign_id == campaign_id)
    if webinar_id is not None:
        stmt = stmt.where(TrackedLink.webinar_id == webinar_id)
    if search and search.strip():
        term = search.strip().lower()
        stmt = stmt.where(
            func.lower(TrackedLink.label).contains(term, autoescape=True)
            | TrackedLink.code.contains(search.strip(), autoescape=True)
            | func.lower(TrackedLink.destination_url).contains(term, autoescape=True)
        )
    return stmt


def _with_names(stmt: AnySelect) -> AnySelect:
    return (
        stmt.add_columns(
            Partner.name.label("partner_name"),
            Campaign.name.label("campaign_name"),
            Webinar.title.label("webinar_title"),
        )
        .join(Partner, Partner.id == TrackedLink.partner_id)
        .outerjoin(Campaign, Campaign.id == TrackedLink.campaign_id)
        .outerjoin(Webinar, Webinar.id == TrackedLink.webinar_id)
    )


def newest_first(stmt: AnySelect) -> AnySelect:
    """``links_query`` as lists show it: the newest link first."""
    return stmt.order_by(TrackedLink.created_at.desc(), TrackedLink.id.desc())


def link_rows(links: Sequence[TrackedLink]) -> list[Any]:
    """The given links (a page of ``links_query``) in their order, each with the partner's
    name and the campaign's or webinar's (``row.TrackedLink``, ``row.partner_name`` …)."""
    if not links:
        return []
    stmt = _with_names(select(TrackedLink).where(TrackedLink.id.in_([x.id for x in links])))
    named = {row.TrackedLink.id: row for row in db.session.execute(stmt)}
    return [named[link.id] for link in links]


def link_row(user: User, link_id: int) -> Any | None:
    """One link ``user`` may see, with the same names as ``link_rows``; None when there is
    no such link or it is another partner's."""
    stmt = _with_names(links_query(user).where(TrackedLink.id == link_id))
    return db.session.execute(stmt).first()


def links_by_webinar(user: User, webinar_ids: Sequence[int]) -> dict[int, list[TrackedLink]]:
    """The links ``user`` may see to each of the webinars, oldest first (one query)."""
    if not webinar_ids:
        return {}
    stmt = links_query(user).where(TrackedLink.webinar_id.in_(webinar_ids))
    found: dict[int, list[TrackedLink]] = defaultdict(list)
    for link in db.session.scalars(stmt.order_by(TrackedLink.created_at, TrackedLink.id)):
        assert link.webinar_id is not None
        found[link.webinar_id].append(link)
    return found


def partner_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(select(Partner.id, Partner.name).order_by(Partner.name))
    return [(row[0], row[1]) for row in rows]


def campaign_choices() -> list[tuple[int, str]]:
    stmt = select(Campaign.id, Campaign.name).order_by(Campaign.starts_on.desc(), Campaign.id)
    return [(row[0], row[1]) for row in db.session.execute(stmt)]


def webinar_choices() -> list[tuple[int, str]]:
    stmt = select(Webinar.id, Webinar.title).order_by(Webinar.starts_at.desc(), Webinar.id)
    return [(row[0], row[1]) for row in db.session.execute(stmt)]


def click_counts(link_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """``{link_id: (human clicks, bot clicks)}`` of the given links (one grouped query)."""
    if not link_ids:
        return {}
    stmt = (
        select(
            Click.link_id,
            func.count(Click.id).filter(Click.is_bot.is_(False)),
            func.count(Click.id).filter(Click.is_bot.is_(True)),
        )
        .where(Click.link_id.in_(link_ids))
        .group_by(Click.link_id)
    )
    return {row[0]: (row[1], row[2]) for row in db.session.execute(stmt)}


@dataclass(frozen=True)
class DayClicks:
    day: date
    clicks: int  # human
    bot_clicks: int
    qr_clicks: int  # human clicks that came through the QR code


@dataclass(frozen=True)
class ClickFigures:
    """The clicks of one link over [``start``, ``end``] (UTC days, inclusive; None: open)."""

    start: date | None
    end: date | None
    clicks: int
    bot_clicks: int
    qr_clicks: int
    visitors: int
    suspicious_clicks: int  # human clicks of a flood (``floods``): counted nowhere else
    by_day: list[DayClicks]


def in_period(column: Any, start: date | None, end: date | None) -> list[Any]:
    conditions = []
    if start is not None:
        conditions.append(column >= day_start(start))
    if end is not None:
        conditions.append(column < day_start(end + timedelta(days=1)))
    return conditions


def click_figures(link_id: int, start: date | None = None, end: date | None = None) -> ClickFigures:
    """Human clicks (every one, no de-duplication, but none of a flood: ``floods``), bot
    clicks, QR scans, distinct visitors (``cm_vid`` of counted clicks), suspicious clicks
    (a flood's) and clicks per UTC day.

    ``by_day`` has every day of the period, zeros included; an open period runs from the
    first to the last day with a click.
    """
    ranked = ranked_clicks(Click.link_id == link_id, *in_period(Click.clicked_at, start, end))
    counted, bot = ranked.c.counted.is_(True), ranked.c.is_bot.is_(True)
    qr = counted & ranked.c.via_qr.is_(True)
    clicks, bot_clicks, qr_clicks, visitors, suspicious = db.session.execute(
        select(
            func.count(ranked.c.id).filter(counted),
            func.count(ranked.c.id).filter(bot),
            func.count(ranked.c.id).filter(qr),
            func.count(distinct(ranked.c.visitor_id)).filter(counted),
            func.count(ranked.c.id).filter(ranked.c.suspicious.is_(True)),
        )
    ).one()
    per_day = db.session.execute(
        select(
            ranked.c.day,
            func.count(ranked.c.id).filter(counted),
            func.count(ranked.c.id).filter(bot),
            func.count(ranked.c.id).filter(qr),
        )
        .group_by(ranked.c.day)
        .order_by(ranked.c.day)
    ).all()
    days = {_as_date(row[0]): DayClicks(_as_date(row[0]), *row[1:]) for row in per_day}
    return ClickFigures(
        start=start,
        end=end,
        clicks=clicks,
        bot_clicks=bot_clicks,
        qr_clicks=qr_clicks,
        visitors=visitors,
        suspicious_clicks=suspicious,
        by_day=_every_day(days, start, end),
    )


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _every_day(
    counted: dict[date, DayClicks], start: date | None, end: date | None
) -> list[DayClicks]:
    first = start or min(counted, default=None)
    last = end or max(counted, default=None)
    if first is None or last is None:
        return []
    return [
        counted.get(first + timedelta(days=n), DayClicks(first + timedelta(days=n), 0, 0, 0))
        for n in range((last - first).days + 1)
    ]
