"""Attribution credits, kept current as data arrives so that reports are SQL aggregations."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import ColumnElement, ForeignKey, Index, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from comarketing.attribution.rules import CREDIT_SCALE
from comarketing.core.db import BigIntPK, UTCDateTime, str_enum
from comarketing.extensions import Model


class AttributionModel(StrEnum):
    FIRST_TOUCH = "first_touch"
    LAST_TOUCH = "last_touch"
    LINEAR = "linear"
    TIME_DECAY = "time_decay"
    POSITION_BASED = "position_based"
    # A row that counts under every model: the lead's credits are the same under all five
    # (one eligible touch, or none), so one row stands for five.
    ALL = "all"


class AttributionCredit(Model):
    """The share of one lead credited to one touch under one model, or under ``all`` of them
    when the five models agree (most leads: one eligible touch, or none); read the rows of a
    model through ``counted_under``.

    A lead without touches has one row with ``touchpoint_id`` None (the ``unattributed`` row).
    Partner, campaign, webinar, channel and segment are copied from the touch so that every
    group-by is a single GROUP BY over this table; the lead's status and its seconds from
    creation to customer are copied from the lead (kept current when they change) so that the
    report's funnel is one too, without a row lookup per credit.
    """

    __tablename__ = "attribution_credits"
    __table_args__ = (
        # A period's credits of one model with every column the report's lead figure reads:
        # answered from the index alone.
        Index(
            "ix_attribution_credits_period",
            "model",
            "lead_created_at",
            "partner_id",
            "campaign_id",
            "webinar_id",
            "channel",
            "segment",
            "lead_status",
            "credit",
        ),
        # Lead first: refreshing a lead's credits deletes by lead alone; joins use both.
        Index("ix_attribution_credits_lead_id_model", "lead_id", "model"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    model: Mapped[AttributionModel] = mapped_column(str_enum(AttributionModel, "model"))
    touchpoint_id: Mapped[int | None] = mapped_column(
        BigIntPK, ForeignKey("touchpoints.id", ondelete="CASCADE")
    )
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id", ondelete="SET NULL"))
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="SET NULL"))
    webinar_id: Mapped[int | None] = mapped_column(ForeignKey("webinars.id", ondelete="SET NULL"))
    channel: Mapped[str | None] = mapped_column(String(40))
    segment: Mapped[str | None] = mapped_column(String(40))
    credit: Mapped[Decimal] = mapped_column(Numeric(12, CREDIT_SCALE, asdecimal=True))
    lead_created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lead_status: Mapped[str] = mapped_column(String(16), default="new")
    lead_customer_seconds: Mapped[int | None]  # customer_since − created_at, for customers


def counted_under(model: str) -> ColumnElement[bool]:
    """The credit rows that count under ``model``: its own and those standing for all five."""
    return AttributionCredit.model.in_((model, AttributionModel.ALL.value))
