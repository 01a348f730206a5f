"""Reads of tier moves."""

from __future__ import annotations

from sqlalchemy import select

from comarketing.extensions import db
from comarketing.tiers.models import TierMove


def tier_history(partner_id: int, limit: int = 50) -> list[TierMove]:
    """The partner's moves between tiers, newest first."""
    return list(
        db.session.scalars(
            select(TierMove)
            .where(TierMove.partner_id == partner_id)
            .order_by(TierMove.at.desc(), TierMove.id.desc())
            .limit(limit)
        )
    )
