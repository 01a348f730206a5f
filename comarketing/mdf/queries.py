"""Read queries of MDF, scoped by the one access rule (a partner sees only its own)."""

from __future__ import annotations

from sqlalchemy import select

from comarketing.core.auth import scope_to_partner
from comarketing.core.db import AnySelect
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
