"""Read queries of MDF, scoped by the one access rule (a partner sees only its own)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, union_all

from comarketing.core.auth import scope_to_partner
from comarketing.core.db import AnySelect
from comarketing.extensions import db
from comarketing.leads.models import Conversion, Lead, Touchpoint
from comarketing.links.models import Click, TrackedLink
from comarketing.mdf.models import MdfClaim, MdfDecision, MdfRequest
from comarketing.users.models import User


def requests_query(
    user: User, *, partner_id: int | None = None, status: str | None = None
) -> AnySelect:
    """Requests ``user`` may see, filtered by partner and status."""
    stmt = scope_to_partner(select(MdfRequest), MdfRequest.partner_id, user)
    if partner_id is not None:
        stmt = stmt.where(MdfRequest.partner_id == partner_id)
    if status:
        stmt = stmt.where(MdfRequest.status == status)
    return stmt


def claims_query(user: User) -> AnySelect:
    """Claims ``user`` may see: a partner sees the claims on its own requests."""
    visible = scope_to_partner(select(MdfRequest.id), MdfRequest.partner_id, user)
    return select(MdfClaim).where(MdfClaim.request_id.in_(visible))


def decisions_of(request_id: int) -> AnySelect:
    """The history of a request: its decisions, oldest first."""
    return (
        select(MdfDecision)
        .where(MdfDecision.request_id == request_id)
        .order_by(MdfDecision.decided_at, MdfDecision.id)
    )


def last_decisions(user: User, request_ids: list[int]) -> dict[int, MdfDecision]:
    """The latest decision of each of the requests ``user`` may see among ``request_ids``."""
    if not request_ids:
        return {}
    stmt = (
        select(MdfDecision)
        .join(MdfRequest, MdfRequest.id == MdfDecision.request_id)
        .where(MdfDecision.request_id.in_(request_ids))
        .order_by(MdfDecision.decided_at, MdfDecision.id)
    )
    stmt = scope_to_partner(stmt, MdfRequest.partner_id, user)
    return {row.request_id: row for row in db.session.scalars(stmt)}


def funded_links(user: User, request_ids: list[int]) -> dict[int, TrackedLink]:
    """The funded link of each request (the one ``services.funded_link`` picks: the partner's
    first link of the funded campaign), in one query; only links ``user`` may see."""
    if not request_ids:
        return {}
    stmt = (
        select(MdfRequest.id, TrackedLink)
        .join(
            TrackedLink,
            (TrackedLink.campaign_id == MdfRequest.campaign_id)
            & (TrackedLink.partner_id == MdfRequest.partner_id),
        )
        .where(MdfRequest.id.in_(request_ids))
        .order_by(TrackedLink.id.desc())  # the lowest id is written last
    )
    rows = db.session.execute(scope_to_partner(stmt, TrackedLink.partner_id, user))
    return {row[0]: row[1] for row in rows}


def returned_leads(link_id: int, *, limit: int = 200) -> list[tuple[Lead, datetime]]:
    """The leads that came back through a funded link, with the first time each came (UTC),
    newest first; at most ``limit`` of them.

    The rule of ``leads.link_stats.link_leads_count``: a touchpoint through the link, or a
    conversion carrying one of its clicks; one row per lead, so the list and the proof's
    ``leads`` agree.
    """
    touched = select(
        Touchpoint.lead_id.label("lead_id"), Touchpoint.occurred_at.label("came_at")
    ).where(Touchpoint.link_id == link_id, Touchpoint.lead_id.is_not(None))
    converted = (
        select(Conversion.lead_id.label("lead_id"), Conversion.occurred_at.label("came_at"))
        .join(Click, Click.id == Conversion.click_id)
        .where(Click.link_id == link_id)
    )
    came = union_all(touched, converted).subquery()
    first = (
        select(came.c.lead_id, func.min(came.c.came_at).label("came_at"))
        .group_by(came.c.lead_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Lead, first.c.came_at)
        .join(first, first.c.lead_id == Lead.id)
        .order_by(first.c.came_at.desc(), Lead.id.desc())
        .limit(limit)
    )
    return [(row[0], row[1]) for row in rows]
