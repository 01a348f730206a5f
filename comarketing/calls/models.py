"""Tracking numbers and the calls they receive (contract §10).

A static number belongs to a partner and one of its activities (a campaign, a webinar or an
MDF request) and is printed in its ads; a pool number has no partner and is held for a while
by the click of a landing page's visitor (dynamic number insertion). A call keeps what it was
resolved to when it came in, so later changes of a number do not rewrite history. No
recording or transcript is ever stored; the caller's number is erased with the person.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from comarketing.campaigns.channels import CALL_CHANNEL  # every call's touch
from comarketing.core.db import BigIntPK, UTCDateTime, str_enum
from comarketing.core.time import utcnow
from comarketing.extensions import Model

if TYPE_CHECKING:
    from comarketing.mdf.models import MdfRequest

__all__ = ["CALL_CHANNEL", "Call", "CallNumber", "NumberKind"]


class NumberKind(StrEnum):
    STATIC = "static"  # a partner's number for one activity
    POOL = "pool"  # dynamic number insertion: held per click for a while


class CallNumber(Model):
    """A tracking number in E.164. Static: ``partner_id`` and exactly one of ``campaign_id``,
    ``webinar_id``, ``mdf_request_id``. Pool: no partner; ``held_click_id`` holds it until
    ``held_until`` (UTC); ``last_assigned_at`` picks the least recently used one when the pool
    is exhausted, and ``reused_count`` counts those reuses (marketers add numbers then)."""

    __tablename__ = "call_numbers"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'static' AND partner_id IS NOT NULL AND"
            " (CASE WHEN campaign_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN webinar_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN mdf_request_id IS NULL THEN 0 ELSE 1 END) = 1)"
            " OR (kind = 'pool' AND partner_id IS NULL AND campaign_id IS NULL"
            " AND webinar_id IS NULL AND mdf_request_id IS NULL)",
            name="one_activity",
        ),
        Index("ix_call_numbers_kind_last_assigned_at", "kind", "last_assigned_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)  # E.164
    kind: Mapped[NumberKind] = mapped_column(str_enum(NumberKind, "kind"))
    partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("partners.id", ondelete="RESTRICT"), index=True
    )
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="SET NULL"))
    webinar_id: Mapped[int | None] = mapped_column(ForeignKey("webinars.id", ondelete="SET NULL"))
    mdf_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("mdf_requests.id", ondelete="SET NULL"), index=True
    )
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    held_click_id: Mapped[int | None] = mapped_column(
        BigIntPK, ForeignKey("clicks.id", ondelete="SET NULL")
    )
    held_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reused_count: Mapped[int] = mapped_column(default=0)

    # The MDF activity's funded campaign is read through the table's foreign key (mdf stands
    # above calls: it reads the calls of its numbers for proof, calls never imports it).
    mdf_request: Mapped[MdfRequest | None] = relationship("MdfRequest", viewonly=True)


class Call(Model):
    """One call to a tracking number, as the telephony platform reported it, with what it was
    resolved to: the partner, activity, link and click it credits (None: nobody), the lead
    it joined (None: an unknown caller of a short call) and whether it was credited."""

    __tablename__ = "calls"
    __table_args__ = (Index("ix_calls_started_at", "started_at"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    call_id: Mapped[str] = mapped_column(String(100), unique=True)  # the platform's id
    number_id: Mapped[int | None] = mapped_column(
        ForeignKey("call_numbers.id", ondelete="SET NULL"), index=True
    )
    tracking_number: Mapped[str] = mapped_column(String(20))  # E.164, as dialled
    caller: Mapped[str | None] = mapped_column(String(20))  # E.164; None once erased
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_s: Mapped[int] = mapped_column(default=0)
    answered: Mapped[bool] = mapped_column(default=False)
    lead_id: Mapped[int | None] = mapped_column(
        ForeignKey("leads.id", ondelete="SET NULL"), index=True
    )
    partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("partners.id", ondelete="SET NULL"), index=True
    )
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="SET NULL"))
    webinar_id: Mapped[int | None] = mapped_column(ForeignKey("webinars.id", ondelete="SET NULL"))
    link_id: Mapped[int | None] = mapped_column(ForeignKey("links.id", ondelete="SET NULL"))
    click_id: Mapped[int | None] = mapped_column(
        BigIntPK, ForeignKey("clicks.id", ondelete="SET NULL")
    )
    credited: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
