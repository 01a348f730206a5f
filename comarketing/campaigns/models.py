"""Campaigns run with partners, and each partner's share of their cost."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from comarketing.core.db import Money, Rate, UTCDateTime
from comarketing.core.time import utcnow
from comarketing.extensions import Model

if TYPE_CHECKING:
    from comarketing.partners.models import Partner


class Campaign(Model):
    """An ad or e-mail campaign run together with one or more partners."""

    __tablename__ = "campaigns"
    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="dates_in_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    channel: Mapped[str] = mapped_column(String(40), index=True)  # yandex_direct, vk_ads, …
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    budget: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    description: Mapped[str] = mapped_column(Text, default="")
    # Where the partners' links of the campaign point by default (links are issued to every
    # partner when the campaign is created with one).
    landing_url: Mapped[str | None] = mapped_column(String(2048))
    # Space-separated landing hosts links may point to; empty: any validated http(s) host.
    landing_hosts: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    partners: Mapped[list[CampaignPartner]] = relationship(
        back_populates="campaign", cascade="all, delete-orphan"
    )


class CampaignPartner(Model):
    """A partner's part in a campaign: ``cost_share`` of its spend (shares sum to 1)."""

    __tablename__ = "campaign_partners"
    __table_args__ = (CheckConstraint("cost_share >= 0 AND cost_share <= 1", name="share"),)

    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partners.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    cost_share: Mapped[Decimal] = mapped_column(Rate)

    campaign: Mapped[Campaign] = relationship(back_populates="partners")
    partner: Mapped[Partner] = relationship()
