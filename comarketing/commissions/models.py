"""Client payments (RUB; negative for refunds), commissions owed to owning partners, and the
commission plans per product (a flat rate, or brackets on a partner's monthly total)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
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


DEFAULT_PRODUCT = "software"


class PlanBasis(StrEnum):
    PAYMENT = "payment"  # a flat rate on each payment, at once
    MONTHLY_TOTAL = "monthly_total"  # a bracket on the partner's month, when the month closes


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
    product: Mapped[str] = mapped_column(String(40), default=DEFAULT_PRODUCT, index=True)
    source: Mapped[PaymentSource] = mapped_column(
        str_enum(PaymentSource, "source"), default=PaymentSource.API
    )
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Commission(Model):
    """A partner's commission line: for one payment at the rate it had when paid, or — for a
    ``monthly_total`` product — for the partner's whole month of that product (``period``,
    ``YYYY-MM``) at the bracket its total (``basis``, RUB) reached, written by the close of
    ``closed_in``; such a line has no single lead or payment (``closed_payments`` holds them)."""

    __tablename__ = "commissions"
    __table_args__ = (Index("ix_commissions_partner_id_created_at", "partner_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id", ondelete="RESTRICT"))
    lead_id: Mapped[int | None] = mapped_column(
        ForeignKey("leads.id", ondelete="RESTRICT"), index=True
    )
    payment_id: Mapped[int | None] = mapped_column(
        ForeignKey("payments.id", ondelete="RESTRICT"), index=True
    )
    amount: Mapped[Decimal] = mapped_column(Money)
    rate: Mapped[Decimal] = mapped_column(Rate)
    product: Mapped[str] = mapped_column(String(40), default=DEFAULT_PRODUCT)
    period: Mapped[str | None] = mapped_column(String(7))
    closed_in: Mapped[str | None] = mapped_column(String(7), index=True)
    basis: Mapped[Decimal | None] = mapped_column(Money)

    @property
    def period_month(self) -> date | None:
        """The first day of the month a monthly line is for."""
        return date.fromisoformat(f"{self.period}-01") if self.period else None

    @property
    def closed_in_month(self) -> date | None:
        return date.fromisoformat(f"{self.closed_in}-01") if self.closed_in else None

    status: Mapped[CommissionStatus] = mapped_column(
        str_enum(CommissionStatus, "status"), default=CommissionStatus.PENDING, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reverses_id: Mapped[int | None] = mapped_column(
        ForeignKey("commissions.id", ondelete="SET NULL")
    )


class ClosedPayment(Model):
    """A ``monthly_total`` payment counted in a month's close, by the line that counted it: a
    payment is closed once; one that arrives late for a closed month goes into the next."""

    __tablename__ = "closed_payments"

    payment_id: Mapped[int] = mapped_column(
        ForeignKey("payments.id", ondelete="RESTRICT"), primary_key=True
    )
    commission_id: Mapped[int] = mapped_column(
        ForeignKey("commissions.id", ondelete="CASCADE"), index=True
    )


class CommissionPlan(Model):
    """How one product pays: a flat ``rate`` on each payment, or ``brackets`` on the partner's
    monthly total (``[{"from": "0", "rate": "0.10"}, {"from": "100000.00", "rate": "0.15"}]``,
    decimal strings); ``months``: only payments within that many months of the client's first
    payment earn anything."""

    __tablename__ = "commission_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    product: Mapped[str] = mapped_column(String(40), unique=True)
    basis: Mapped[PlanBasis] = mapped_column(str_enum(PlanBasis, "basis"))
    rate: Mapped[Decimal | None] = mapped_column(Rate)
    brackets: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    months: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
