"""Client payments (RUB; negative for refunds) and commissions owed to owning partners."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from comarketing.core.db import Money, Rate, UTCDateTime, str_enum
from comarketing.core.time import utcnow
from comarketing.extensions import Model


class PaymentSource(StrEnum):
    API = "api"
    IMPORT = "import"
    MANUAL = "manual"
    DEMO = "demo"
    CRM = "crm"  # a won deal of a destination with payments from deals


class CommissionStatus(StrEnum):
    PENDING = "pending"  # inside the holding period
    APPROVED = "approved"
    PAID = "paid"
    REVERSED = "reversed"  # the negative line of a refund


class Payment(Model):
    """A payment by a lead's company; ``external_id`` makes a repeated import harmless."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="RESTRICT"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3), default="RUB")
    paid_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    source: Mapped[PaymentSource] = mapped_column(
        str_enum(PaymentSource, "source"), default=PaymentSource.API
    )
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Commission(Model):
    """A partner's commission line for one payment at the rate it had when paid."""

    __tablename__ = "commissions"
    __table_args__ = (Index("ix_commissions_partner_id_created_at", "partner_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id", ondelete="RESTRICT"))
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="RESTRICT"), index=True)
    payment_id: Mapped[int] = mapped_column(
        ForeignKey("payments.id", ondelete="RESTRICT"), index=True
    )
    amount: Mapped[Decimal] = mapped_column(Money)
    rate: Mapped[Decimal] = mapped_column(Rate)
    status: Mapped[CommissionStatus] = mapped_column(
        str_enum(CommissionStatus, "status"), default=CommissionStatus.PENDING, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reverses_id: Mapped[int | None] = mapped_column(
        ForeignKey("commissions.id", ondelete="SET NULL")
    )
