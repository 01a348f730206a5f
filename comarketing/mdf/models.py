"""MDF: the vendor funds a partner's activity and pays back when the leads come back."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from comarketing.core.db import Money, UTCDateTime, str_enum
from comarketing.core.time import utcnow
from comarketing.extensions import Model


class MdfStatus(StrEnum):
    SUBMITTED = "submitted"
    RETURNED = "returned"  # sent back to the partner for changes
    REJECTED = "rejected"
    APPROVED = "approved"
    CLAIMED = "claimed"
    REIMBURSED = "reimbursed"


class MdfDecisionKind(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    RETURN = "return"


class MdfBudget(Model):
    """Money (RUB) set aside for a period, for one partner, one tier, or everyone (both None)."""

    __tablename__ = "mdf_budgets"
    __table_args__ = (CheckConstraint("period_end >= period_start", name="period_in_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("partners.id", ondelete="RESTRICT"), index=True
    )
    tier: Mapped[str | None] = mapped_column(String(20))
    amount: Mapped[Decimal] = mapped_column(Money)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MdfRequest(Model):
    """A partner's request for funds for one activity; approval creates its campaign."""

    __tablename__ = "mdf_requests"
    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="dates_in_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partners.id", ondelete="RESTRICT"), index=True
    )
    budget_id: Mapped[int | None] = mapped_column(ForeignKey("mdf_budgets.id", ondelete="SET NULL"))
    activity: Mapped[str] = mapped_column(String(300))
    channel: Mapped[str] = mapped_column(String(40))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    planned_cost: Mapped[Decimal] = mapped_column(Money)
    requested_amount: Mapped[Decimal] = mapped_column(Money)
    planned_leads: Mapped[int]
    landing_url: Mapped[str] = mapped_column(String(2048))
    status: Mapped[MdfStatus] = mapped_column(
        str_enum(MdfStatus, "status"), default=MdfStatus.SUBMITTED, index=True
    )
    approved_amount: Mapped[Decimal | None] = mapped_column(Money)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="SET NULL"))
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class MdfDecision(Model):
    """One manager decision on a request; the history of a request is its decisions."""

    __tablename__ = "mdf_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("mdf_requests.id", ondelete="CASCADE"), index=True
    )
    decision: Mapped[MdfDecisionKind] = mapped_column(str_enum(MdfDecisionKind, "decision"))
    comment: Mapped[str] = mapped_column(Text, default="")
    approved_amount: Mapped[Decimal | None] = mapped_column(Money)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MdfClaim(Model):
    """The partner's claim after the activity, with proof measured on the tracked link."""

    __tablename__ = "mdf_claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("mdf_requests.id", ondelete="CASCADE"), unique=True
    )
    actual_cost: Mapped[Decimal] = mapped_column(Money)
    comment: Mapped[str] = mapped_column(Text, default="")
    clicks: Mapped[int] = mapped_column(default=0)
    leads: Mapped[int] = mapped_column(default=0)
    cpl: Mapped[Decimal | None] = mapped_column(Money)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reimbursed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reimbursed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    override_reason: Mapped[str | None] = mapped_column(Text)
    spend_id: Mapped[int | None] = mapped_column(ForeignKey("spend.id", ondelete="SET NULL"))
