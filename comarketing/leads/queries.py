"""Read queries over leads, scoped to what the user may see."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import exists, func, or_, select

from comarketing.core.auth import scope_to_partner
from comarketing.core.db import AnySelect
from comarketing.core.outbox import OutboxChannel, OutboxMessage
from comarketing.core.time import day_start
from comarketing.extensions import db
from comarketing.leads.models import (
    ConflictStatus,
    Conversion,
    DealRegistration,
    Lead,
    LeadFlag,
    LeadStatusChange,
    OwnershipConflict,
    Touchpoint,
)
from comarketing.partners.models import Partner
from comarketing.users.models import User


def leads_created_count(*, since: datetime) -> int:
    """Leads (persons) created at or after ``since`` (UTC)."""
    return db.session.scalar(select(func.count(Lead.id)).where(Lead.created_at >= since)) or 0


def leads_query(
    user: User,
    *,
    search: str | None = None,
    status: str | None = None,
    owner_partner_id: int | None = None,
    unowned: bool = False,
    flagged: bool | None = None,
    created_from: date | None = None,
    created_to: date | None = None,
) -> AnySelect:
    """Leads the user may see (a partner: the ones it owns), filtered; dates inclusive, UTC."""
    stmt = scope_to_partner(select(Lead), Lead.owner_partner_id, user)
    if search and search.strip():
        term = search.strip().lower()
        stmt = stmt.where(
            or_(
                Lead.email.contains(term, autoescape=True),
                Lead.phone.contains(term, autoescape=True),
                func.lower(Lead.name).contains(term, autoescape=True),
                func.lower(Lead.company).contains(term, autoescape=True),
            )
        )
    if status:
        stmt = stmt.where(Lead.status == status)
    if owner_partner_id is not None:
        stmt = stmt.where(Lead.owner_partner_id == owner_partner_id)
    if unowned:
        stmt = stmt.where(Lead.owner_partner_id.is_(None))
    if flagged is not None:
        standing = exists().where(LeadFlag.lead_id == Lead.id, LeadFlag.cleared_at.is_(None))
        stmt = stmt.where(standing if flagged else ~standing)
    if created_from is not None:
        stmt = stmt.where(Lead.created_at >= day_start(created_from))
    if created_to is not None:
        stmt = stmt.where(Lead.created_at < day_start(created_to) + timedelta(days=1))
    return stmt


def newest_first(stmt: AnySelect) -> AnySelect:
    """``leads_query`` as lists show it: the newest lead first."""
    return stmt.order_by(Lead.created_at.desc(), Lead.id.desc())


def conversion_summary(lead_ids: list[int]) -> dict[int, tuple[int, datetime]]:
    """``{lead_id: (conversions, the last one's time)}`` of the given leads (one GROUP BY);
    a lead without conversions is absent."""
    if not lead_ids:
        return {}
    rows = db.session.execute(
        select(Conversion.lead_id, func.count(Conversion.id), func.max(Conversion.occurred_at))
        .where(Conversion.lead_id.in_(lead_ids))
        .group_by(Conversion.lead_id)
    )
    return {lead_id: (count, last_at) for lead_id, count, last_at in rows}


def open_conflicts() -> AnySelect:
    """Ownership conflicts waiting for a manager, oldest first."""
    return (
        select(OwnershipConflict)
        .where(OwnershipConflict.status == ConflictStatus.OPEN)
        .order_by(OwnershipConflict.occurred_at)
    )


def lead_timeline(lead_id: int) -> list[Touchpoint]:
    """The lead's touchpoints, oldest first."""
    return list(
        db.session.scalars(
            select(Touchpoint).where(Touchpoint.lead_id == lead_id).order_by(Touchpoint.occurred_at)
        )
    )


def lead_deliveries(lead_id: int) -> list[OutboxMessage]:
    """Where the lead was pushed (CRM destinations, webhooks) and in what state, newest
    first; partners' postbacks of the lead are not pushes of it (no destination)."""
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(
                OutboxMessage.lead_id == lead_id,
                OutboxMessage.channel == OutboxChannel.CRM,
                OutboxMessage.destination_id.is_not(None),
            )
            .order_by(OutboxMessage.id.desc())
        )
    )


def status_history(lead_id: int) -> list[LeadStatusChange]:
    """The lead's status changes, in the order they happened (the CRM's times)."""
    return list(
        db.session.scalars(
            select(LeadStatusChange)
            .where(LeadStatusChange.lead_id == lead_id)
            .order_by(LeadStatusChange.changed_at, LeadStatusChange.id)
        )
    )


def partner_names() -> dict[int, str]:
    return dict(db.session.execute(select(Partner.id, Partner.name)).all())


def deal_registrations_query(
    user: User, *, status: str | None = None, partner_id: int | None = None
) -> AnySelect:
    """Deal registrations the user may see (a partner: its own), newest first."""
    stmt = scope_to_partner(select(DealRegistration), DealRegistration.partner_id, user)
    if status:
        stmt = stmt.where(DealRegistration.status == status)
    if partner_id is not None:
        stmt = stmt.where(DealRegistration.partner_id == partner_id)
    return stmt.order_by(DealRegistration.created_at.desc(), DealRegistration.id.desc())
