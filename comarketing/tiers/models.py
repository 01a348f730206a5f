"""Tiers and every move of a partner between them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from comarketing.core.db import Money, Rate, UTCDateTime
from comarketing.core.time import utcnow
from comarketing.extensions import Model


class Tier(Model):
    """A level of the program: a partner that meets every criterion it sets (paying clients it
    owns and their revenue in RUB, both over the last 12 months) gets its benefits."""

    __tablename__ = "tiers"
    __table_args__ = (
        CheckConstraint("commission_rate >= 0 AND commission_rate <= 1", name="rate_share"),
        CheckConstraint("mdf_share IS NULL OR (mdf_share >= 0 AND mdf_share <= 1)", name="mdf"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(20), unique=True)
    rank: Mapped[int] = mapped_column(unique=True)  # higher is better
    customers_12m: Mapped[int | None]
    revenue_12m: Mapped[Decimal | None] = mapped_column(Money)
    commission_rate: Mapped[Decimal] = mapped_column(Rate)
    mdf_share: Mapped[Decimal | None] = mapped_column(Rate)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TierMove(Model):
    """A partner moved from one tier to another (``None``: no tier), when and why."""

    __tablename__ = "tier_moves"

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partners.id", ondelete="CASCADE"), index=True
    )
    from_tier: Mapped[str | None] = mapped_column(String(20))
    to_tier: Mapped[str | None] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(Text, default="")
    customers_12m: Mapped[int] = mapped_column(default=0)
    revenue_12m: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    by_hand: Mapped[bool] = mapped_column(default=False)
