"""Reads of the report pages beyond the ROI report itself: the leads behind a row (drill-down)
and the webinars held in a period with their registrations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import case, false, func, select

from comarketing.attribution.models import AttributionCredit, counted_under
from comarketing.campaigns.channels import channel_label
from comarketing.campaigns.models import Campaign
from comarketing.extensions import db
from comarketing.leads.models import Lead
from comarketing.partners.models import Partner
from comarketing.partners.segments import segment_label
from comarketing.reports.metrics import Scope
from comarketing.reports.periods import Period
from comarketing.webinars.models import Registration, Webinar, WebinarStatus

UNATTRIBUTED = "none"  # the key of the unattributed row in URLs


class BadKey(ValueError):
    """A row key that cannot belong to the report's group-by."""


@dataclass(frozen=True)
class CreditedLead:
    lead_id: int
    created_at: datetime  # UTC
    name: str
    email: str | None
    phone: str | None
    company: str
    status: str
    credit: Decimal  # the lead's credit to the row under the scope's model (0..1)


@dataclass(frozen=True)
class CreditedLeads:
    leads: list[CreditedLead]
    count: int  # leads in the row, all pages
    credits: Decimal  # their credits summed: the row's ``leads`` figure


def _month(key: str) -> Period:
    try:
        first = date.fromisoformat(f"{key}-01")
    except ValueError:
        raise BadKey(key) from None
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return Period(first, date.fromordinal(following.toordinal() - 1))


def _row_filter(scope: Scope, key: str) -> list[Any]:
    """The condition on credits that picks the row ``key`` (``"none"``: unattributed)."""
    ac = AttributionCredit
    if scope.group_by == "month":
        if key == UNATTRIBUTED:
            return [false()]  # every credit has a month
        month = _month(key)
        return [ac.lead_created_at >= month.since, ac.lead_created_at < month.until]
    column = {
        "partner": ac.partner_id,
        "segment": ac.segment,
        "campaign": ac.campaign_id,
        "webinar": ac.webinar_id,
        "channel": ac.channel,
    }[scope.group_by]
    if key == UNATTRIBUTED:
        return [column.is_(None)]
    if scope.group_by in ("partner", "campaign", "webinar"):
        if not key.isdigit() or int(key) >= 2**31:
            raise BadKey(key)
        return [column == int(key)]
    return [column == key]


def credited_leads(scope: Scope, key: str, *, offset: int = 0, limit: int = 100) -> CreditedLeads:
    """The leads created in the period that are credited to the row ``key`` of the report
    (same model, filters and dimension), with their credit summed over their touches of that
    row; newest first. Raises ``BadKey`` for a key the group-by cannot have."""
    ac, p = AttributionCredit, scope.period
    filters = [
        counted_under(scope.model),
        ac.lead_created_at >= p.since,
        ac.lead_created_at < p.until,
        *_row_filter(scope, key),
    ]
    if scope.partner_id is not None:
        filters.append(ac.partner_id == scope.partner_id)
    if scope.segment is not None:
        filters.append(ac.segment == scope.segment)
    per_lead = (
        select(ac.lead_id.label("lead_id"), func.sum(ac.credit).label("credit"))
        .where(*filters)
        .group_by(ac.lead_id)
        .subquery()
    )
    count, credits = db.session.execute(
        select(func.count(), func.coalesce(func.sum(per_lead.c.credit), 0))
    ).one()
    rows = db.session.execute(
        select(
            Lead.id,
            Lead.created_at,
            Lead.name,
            Lead.email,
            Lead.phone,
            Lead.company,
            Lead.status,
            per_lead.c.credit,
        )
        .join(per_lead, per_lead.c.lead_id == Lead.id)
        .order_by(Lead.created_at.desc(), Lead.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return CreditedLeads(
        leads=[
            CreditedLead(
                lead_id=row[0],
                created_at=row[1],
                name=row[2],
                email=row[3],
                phone=row[4],
                company=row[5],
                status=str(row[6]),
                credit=Decimal(str(row[7])),
            )
            for row in rows
        ],
        count=int(count),
        credits=Decimal(str(credits)),
    )


def row_label(group_by: str, key: str) -> str | None:
    """The shown name of the row ``key`` (as in the report); None for an id that names
    nothing."""
    if key == UNATTRIBUTED:
        return _("Unattributed")
    if group_by == "segment":
        return segment_label(key)
    if group_by == "channel":
        return channel_label(key)
    if group_by == "month":
        return key
    if not key.isdigit() or int(key) >= 2**31:
        return None
    name, row_id = {
        "partner": (Partner.name, Partner.id),
        "campaign": (Campaign.name, Campaign.id),
        "webinar": (Webinar.title, Webinar.id),
    }[group_by]
    found: str | None = db.session.scalar(select(name).where(row_id == int(key)))
    return found


@dataclass(frozen=True)
class HeldWebinar:
    id: int
    title: str
    starts_at: datetime  # UTC
    timezone: str
    registrations: int  # all registrations of the webinar, whenever made
    attendees: int

    @property
    def attendance_rate(self) -> Decimal | None:
        """Attendees per registration (0..1); None without registrations."""
        if not self.registrations:
            return None
        return Decimal(self.attendees) / Decimal(self.registrations)


def webinars_held(period: Period) -> list[HeldWebinar]:
    """The webinars (not cancelled) that start within the period, oldest first, with their
    registrations and attendees counted in one GROUP BY."""
    stmt = (
        select(
            Webinar.id,
            Webinar.title,
            Webinar.starts_at,
            Webinar.timezone,
            func.count(Registration.id),
            func.coalesce(func.sum(case((Registration.attended.is_(True), 1), else_=0)), 0),
        )
        .outerjoin(Registration, Registration.webinar_id == Webinar.id)
        .where(
            Webinar.starts_at >= period.since,
            Webinar.starts_at < period.until,
            Webinar.status != WebinarStatus.CANCELLED,
        )
        .group_by(Webinar.id, Webinar.title, Webinar.starts_at, Webinar.timezone)
        .order_by(Webinar.starts_at, Webinar.id)
    )
    return [
        HeldWebinar(
            id=r[0],
            title=r[1],
            starts_at=r[2],
            timezone=r[3],
            registrations=int(r[4]),
            attendees=int(r[5]),
        )
        for r in db.session.execute(stmt)
    ]
