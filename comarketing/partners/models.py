"""A partner company, its segment (CRM ecosystem), tier and commission rate."""

from __future__ import annotations

import secrets
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from comarketing.core.db import Rate, UTCDateTime
from comarketing.core.time import utcnow
from comarketing.extensions import Model

if TYPE_CHECKING:
    from comarketing.users.models import User


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class Partner(Model):
    """A partner; ``slug`` is its ``utm_source`` and never changes once links use it."""

    __tablename__ = "partners"
    __table_args__ = (
        CheckConstraint(
            "commission_rate >= 0 AND commission_rate <= 1", name="commission_rate_share"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    segment: Mapped[str] = mapped_column(String(40), index=True)  # bitrix24, amocrm, …
    tier: Mapped[str | None] = mapped_column(String(20))
    # A tier set by hand is left alone by ``tiers evaluate``; ``below_tier_since`` (UTC) is
    # when the partner last fell below its tier's criteria (demoted after the grace period).
    tier_locked: Mapped[bool] = mapped_column(default=False)
    below_tier_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The tier's MDF benefit: the share of a cost the vendor funds (None: MDF_REIMBURSEMENT_SHARE).
    mdf_share: Mapped[Decimal | None] = mapped_column(Rate)
    email: Mapped[str | None] = mapped_column(String(254))
    commission_rate: Mapped[Decimal] = mapped_column(Rate, default=Decimal("0.50"))
    active: Mapped[bool] = mapped_column(default=True)
    # Secret in the URL of the partner's calendar feed.
    feed_token: Mapped[str] = mapped_column(String(40), unique=True, default=new_feed_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    users: Mapped[list[User]] = relationship(back_populates="partner")

    def __repr__(self) -> str:
        return f"<Partner {self.id} {self.slug}>"
