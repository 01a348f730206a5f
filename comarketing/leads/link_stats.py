"""What one tracked link brought: its clicks (``links.queries.click_figures``) and the leads
that came through it, over a period of UTC days."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import func, literal, select, union

from comarketing.extensions import db
from comarketing.leads.models import Conversion, Touchpoint
from comarketing.links.models import Click
from comarketing.links.queries import ClickFigures, click_figures, in_period


@dataclass(frozen=True)
class LinkStats(ClickFigures):
    leads: int  # distinct leads it brought in the period (``link_leads_count``)


def link_stats(link_id: int, start: date | None = None, end: date | None = None) -> LinkStats:
    """The link's click figures over [``start``, ``end``] (None: open) and its leads."""
    figures = click_figures(link_id, start, end)
    shared = {field.name: getattr(figures, field.name) for field in fields(figures)}
    return LinkStats(**shared, leads=link_leads_count(link_id, start, end))


def link_leads_count(link_id: int, start: date | None = None, end: date | None = None) -> int:
    """Distinct leads the link brought in the period.

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
    leads = union(touched, converted).subquery()
    return db.session.scalar(select(func.count(literal(1))).select_from(leads)) or 0
