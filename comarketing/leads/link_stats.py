"""What tracked links brought: one link's clicks (``links.queries.click_figures``) and the
leads that came through it, over a period of UTC days; and the figures of a page of links."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, literal, select, union

from comarketing.core.auth import scope_to_partner
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.leads.models import Conversion, Touchpoint
from comarketing.links.models import Click, TrackedLink
from comarketing.links.queries import ClickFigures, click_figures, in_period
from comarketing.users.models import User

RECENT_DAYS = 30


@dataclass(frozen=True)
class LinkStats(ClickFigures):
    leads: int  # distinct leads it brought in the period (``link_leads_count``)


def link_stats(link_id: int, start: date | None = None, end: date | None = None) -> LinkStats:
    """The link's click figures over [``start``, ``end``] (None: open) and its leads."""
    figures = click_figures(link_id, start, end)
    shared = {field.name: getattr(figures, field.name) for field in fields(figures)}
    return LinkStats(**shared, leads=link_leads_count(link_id, start, end))


def link_leads_count(link_id: int, start: date | None = None, end: date | None = None) -> int:
    """Distinct leads the link brought in the period (``link_leads``)."""
    return count_leads(*link_leads(link_id, start, end))


def link_leads(link_id: int, start: date | None = None, end: date | None = None) -> tuple[Any, Any]:
    """The leads the link brought in the period: two selects of ``lead_id`` (a lead may be
    in both; ``count_leads`` counts it once).

    The rule: a lead counts when, within the period, it has a touchpoint through this link
    (``Touchpoint.link_id``: its human clicks, and the webinar registrations and attendance
    they led to) or a conversion that carried one of the link's clicks (``Conversion.click_id``
    of a click of this link). A lead with both counts once.
    """
    touched = select(Touchpoint.lead_id.label("lead_id")).where(
        Touchpoint.link_id == link_id,
        Touchpoint.lead_id.is_not(None),
        *in_period(Touchpoint.occurred_at, start, end),
    )
    converted = (
        select(Conversion.lead_id.label("lead_id"))
        .join(Click, Click.id == Conversion.click_id)
        .where(Click.link_id == link_id, *in_period(Conversion.occurred_at, start, end))
    )
    return touched, converted


def count_leads(*selects: Any) -> int:
    """Distinct leads of the selects' ``lead_id`` (a UNION counts each lead once)."""
    leads = union(*selects).subquery()
    return db.session.scalar(select(func.count(literal(1))).select_from(leads)) or 0


@dataclass(frozen=True)
class LinkFigures:
    """A link's figures; bots never count (contract §4)."""

    clicks: int  # human clicks, all time, no de-duplication
    recent_clicks: int  # human clicks of the last ``RECENT_DAYS`` days
    leads: int  # distinct leads touched or converted through the link (``link_leads_count``)


NO_FIGURES = LinkFigures(0, 0, 0)


def link_figures(
    user: User, link_ids: Sequence[int], *, now: datetime | None = None
) -> dict[int, LinkFigures]:
    """``{link_id: LinkFigures}`` of the links ``user`` may see among ``link_ids``, in one
    statement (clicks and leads aggregated per link in SQL). Leads follow ``link_leads_count``:
    a touchpoint through the link, or a conversion carrying one of its clicks."""
    if not link_ids:
        return {}
    since = (now or utcnow()) - timedelta(days=RECENT_DAYS)
    human = Click.is_bot.is_(False)
    clicks = (
        select(
            Click.link_id.label("link_id"),
            func.count(Click.id).filter(human).label("clicks"),
            func.count(Click.id).filter(human, Click.clicked_at >= since).label("recent"),
        )
        .where(Click.link_id.in_(link_ids))
        .group_by(Click.link_id)
        .subquery()
    )
    touched = select(
        Touchpoint.link_id.label("link_id"), Touchpoint.lead_id.label("lead_id")
    ).where(Touchpoint.link_id.in_(link_ids), Touchpoint.lead_id.is_not(None))
    converted = (
        select(Click.link_id.label("link_id"), Conversion.lead_id.label("lead_id"))
        .join(Click, Click.id == Conversion.click_id)
        .where(Click.link_id.in_(link_ids))
    )
    pairs = union(touched, converted).subquery()  # UNION: each lead once per link
    leads = (
        select(pairs.c.link_id, func.count().label("leads")).group_by(pairs.c.link_id).subquery()
    )
    stmt = scope_to_partner(
        select(
            TrackedLink.id,
            func.coalesce(clicks.c.clicks, 0),
            func.coalesce(clicks.c.recent, 0),
            func.coalesce(leads.c.leads, 0),
        )
        .outerjoin(clicks, clicks.c.link_id == TrackedLink.id)
        .outerjoin(leads, leads.c.link_id == TrackedLink.id)
        .where(TrackedLink.id.in_(link_ids)),
        TrackedLink.partner_id,
        user,
    )
    return {row[0]: LinkFigures(*row[1:]) for row in db.session.execute(stmt)}
