"""Reads of the report pages beyond the ROI report itself: the leads behind a row (drill-down)
and the webinars held in a period with their registrations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import case, func, select

from comarketing.attribution.models import AttributionCredit, counted_under
from comarketing.extensions import db
from comarketing.leads.models import Lead
from comarketing.reports.dimensions import Source
from comarketing.reports.metrics import Scope
from comarketing.reports.periods import Period
from comarketing.webinars.models import Registration, Webinar, WebinarStatus


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


def credited_leads(scope: Scope, key: str, *, offset: int = 0, limit: int = 100) -> CreditedLeads:
    """The leads created in the period that are credited to the row ``key`` of the report
    (same model, filters and dimension), with their credit summed over their touches of that
    row; newest first. Raises ``dimensions.BadKey`` for a key the group-by cannot have (the
    dimension's ``row_label`` is None for it)."""
    ac = AttributionCredit
    on = scope.on(Source.CREDITS, ac.lead_created_at)
    per_lead = (
        select(ac.lead_id.label("lead_id"), func.sum(ac.credit).label("credit"))
        .where(
            counted_under(scope.model),
            *on.within(scope.period),
            *scope.dimension.picks(on, key),
            *scope.narrowing(on),
        )
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
        .where(*period.holds(Webinar.starts_at), Webinar.status != WebinarStatus.CANCELLED)
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
