"""Money spent (RUB) on campaigns and webinars, by the vendor or by a partner."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column

from comarketing.core.db import Money, UTCDateTime, str_enum
from comarketing.core.time import utcnow
from comarketing.extensions import Model


class PaidBy(StrEnum):
    VENDOR = "vendor"
    PARTNER = "partner"


class SpendSource(StrEnum):
    MANUAL = "manual"
    API = "api"
    IMPORT = "import"
    MDF = "mdf"  # reimbursement of a partner's MDF claim
    DEMO = "demo"


class Spend(Model):
    """Money spent (RUB) on a campaign or a webinar, by the vendor or by a partner.

    Without ``partner_id`` spend on a multi-partner campaign is split by cost shares in reports.
    """

    __tablename__ = "spend"
    __table_args__ = (
        CheckConstraint(
            "(campaign_id IS NULL) <> (webinar_id IS NULL)", name="campaign_xor_webinar"
        ),
        Index("ix_spend_campaign_id_spent_on", "campaign_id", "spent_on"),
        Index("ix_spend_webinar_id_spent_on", "webinar_id", "spent_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    spent_on: Mapped[date] = mapped_column(Date, index=True)
    paid_by: Mapped[PaidBy] = mapped_column(str_enum(PaidBy, "paid_by"))
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    webinar_id: Mapped[int | None] = mapped_column(ForeignKey("webinars.id", ondelete="CASCADE"))
    partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("partners.id", ondelete="RESTRICT"), index=True
    )
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[SpendSource] = mapped_column(
        str_enum(SpendSource, "source"), default=SpendSource.MANUAL
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
