"""A lead is a person (unique by e-mail, else phone) with conversions and touchpoints.

Ownership ("lead registration") is decided when the lead is created, protected for a window,
and every change of owner is kept in ``lead_ownerships``.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from comarketing.core.db import BigIntPK, Money, UTCDateTime, str_enum
from comarketing.core.time import utcnow
from comarketing.extensions import Model


class LeadStatus(StrEnum):
    NEW = "new"
    WORKING = "working"
    CUSTOMER = "customer"
    LOST = "lost"


class ConversionKind(StrEnum):
    FORM = "form"
    API = "api"
    IMPORT = "import"
    REGISTRATION = "registration"  # a webinar registration
    DEAL_REGISTRATION = "deal_registration"  # a partner registered the lead itself
    CALL = "call"  # an answered call of at least CALL_MIN_SECONDS to a tracking number


class TouchKind(StrEnum):
    CLICK = "click"
    REGISTRATION = "registration"
    ATTENDANCE = "attendance"
    OFFLINE = "offline"
    UTM = "utm"  # a submission with a known utm_source and no cmclid
    DEAL_REGISTRATION = "deal_registration"
    CALL = "call"  # a call to a tracking number


class OwnershipReason(StrEnum):
    REGISTRATION = "registration"  # decided at creation from the earliest touch
    REBIND = "rebind"  # a partner touch after protection expired
    REASSIGNED = "reassigned"  # a manager resolved a conflict
    DEAL_REGISTRATION = "deal_registration"


class ConflictStatus(StrEnum):
    OPEN = "open"
    KEPT = "kept"
    REASSIGNED = "reassigned"


class DealStatus(StrEnum):
    ACCEPTED = "accepted"  # the partner owns the person (new to the vendor, or approved)
    PENDING = "pending"  # a known person without a protected owner: a manager decides
    REJECTED = "rejected"  # another partner's protection holds, or a manager said no


class StatusSource(StrEnum):
    CRM = "crm"  # a deal or lead stage read from the vendor's CRM
    PAYMENT = "payment"  # a first payment makes a customer


class LeadFlagKind(StrEnum):
    SELF_REFERRAL = "self_referral"  # the owning partner brought itself or its own staff


class Lead(Model):
    """A person who came back to the vendor. Personal fields are None once erased."""

    __tablename__ = "leads"
    __table_args__ = (
        CheckConstraint(
            "email IS NOT NULL OR phone IS NOT NULL OR erased_at IS NOT NULL", name="contact"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)  # normalised
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)  # E.164
    name: Mapped[str] = mapped_column(String(200), default="")
    company: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[LeadStatus] = mapped_column(
        str_enum(LeadStatus, "status"), default=LeadStatus.NEW
    )
    owner_partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("partners.id", ondelete="SET NULL"), index=True
    )
    owned_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    protected_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    first_payment_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # The CRM's modification time of the state ``status`` came from (an older state never
    # overwrites a newer one); the won deal's amount (RUB); when the person first became a
    # customer (the won deal's time or the first payment), for "days from lead to customer".
    crm_status_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    won_amount: Mapped[Decimal | None] = mapped_column(Money)
    customer_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    conversions: Mapped[list[Conversion]] = relationship(
        back_populates="lead", cascade="all, delete-orphan", order_by="Conversion.occurred_at"
    )
    # The flags that stand (not cleared): while any does, the lead's commissions are held.
    flags: Mapped[list[LeadFlag]] = relationship(
        primaryjoin="and_(Lead.id == LeadFlag.lead_id, LeadFlag.cleared_at.is_(None))",
        viewonly=True,
        order_by="LeadFlag.id",
    )


class Conversion(Model):
    """One submission of a person (form, API, CSV row, registration, deal registration)."""

    __tablename__ = "conversions"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ConversionKind] = mapped_column(str_enum(ConversionKind, "kind"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # What the submission said; a public one never overwrites a known person's stored values.
    name: Mapped[str] = mapped_column(String(200), default="")
    company: Mapped[str] = mapped_column(String(200), default="")
    utm_source: Mapped[str | None] = mapped_column(String(200))
    utm_medium: Mapped[str | None] = mapped_column(String(200))
    utm_campaign: Mapped[str | None] = mapped_column(String(200))
    utm_content: Mapped[str | None] = mapped_column(String(200))
    utm_term: Mapped[str | None] = mapped_column(String(200))
    cmclid: Mapped[str | None] = mapped_column(String(64))
    click_id: Mapped[int | None] = mapped_column(
        BigIntPK, ForeignKey("clicks.id", ondelete="SET NULL"), index=True
    )
    # What the submission points at, resolved from the click or the UTM values.
    partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("partners.id", ondelete="SET NULL"), index=True
    )
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="SET NULL"))
    webinar_id: Mapped[int | None] = mapped_column(ForeignKey("webinars.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    lead: Mapped[Lead] = relationship(back_populates="conversions")


class Touchpoint(Model):
    """A human touch that can earn credit: a click, a registration, attendance, an offline
    touch or a UTM-only submission. ``lead_id`` is None while an offline touch waits for the
    person (matched later by ``email``)."""

    __tablename__ = "touchpoints"
    __table_args__ = (
        Index("ix_touchpoints_lead_id_occurred_at", "lead_id", "occurred_at"),
        UniqueConstraint("lead_id", "click_id"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    kind: Mapped[TouchKind] = mapped_column(str_enum(TouchKind, "kind"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("partners.id", ondelete="SET NULL"), index=True
    )
    campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaigns.id", ondelete="SET NULL"), index=True
    )
    webinar_id: Mapped[int | None] = mapped_column(
        ForeignKey("webinars.id", ondelete="SET NULL"), index=True
    )
    link_id: Mapped[int | None] = mapped_column(ForeignKey("links.id", ondelete="SET NULL"))
    click_id: Mapped[int | None] = mapped_column(
        BigIntPK, ForeignKey("clicks.id", ondelete="SET NULL")
    )
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="SET NULL")
    )
    channel: Mapped[str | None] = mapped_column(String(40))  # campaign channel, or "webinar"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LeadOwnership(Model):
    """One period of a partner owning a lead: the audit trail of lead registration."""

    __tablename__ = "lead_ownerships"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partners.id", ondelete="RESTRICT"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[OwnershipReason] = mapped_column(str_enum(OwnershipReason, "reason"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")


class OwnershipConflict(Model):
    """Another partner brought a conversion of a lead inside its owner's protection window."""

    __tablename__ = "ownership_conflicts"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    owner_partner_id: Mapped[int] = mapped_column(
        ForeignKey("partners.id", ondelete="RESTRICT"), index=True
    )
    claimant_partner_id: Mapped[int] = mapped_column(
        ForeignKey("partners.id", ondelete="RESTRICT"), index=True
    )
    conversion_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversions.id", ondelete="SET NULL")
    )
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[ConflictStatus] = mapped_column(
        str_enum(ConflictStatus, "status"), default=ConflictStatus.OPEN, index=True
    )
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolution_note: Mapped[str] = mapped_column(Text, default="")


class LeadFlag(Model):
    """A reason to doubt a lead's credit; while it stands (``cleared_at`` None) the lead's
    commissions are held (never approved) until a manager clears it."""

    __tablename__ = "lead_flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    kind: Mapped[LeadFlagKind] = mapped_column(str_enum(LeadFlagKind, "kind"))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cleared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    clear_comment: Mapped[str] = mapped_column(Text, default="")


class DealRegistration(Model):
    """A partner registers a client it found itself (contract §7): accepted at once for a
    person new to the vendor, rejected inside another partner's protection, otherwise pending
    until a manager decides. The contacts are what the partner typed (erased with the person).
    """

    __tablename__ = "deal_registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partners.id", ondelete="RESTRICT"), index=True
    )
    lead_id: Mapped[int | None] = mapped_column(
        ForeignKey("leads.id", ondelete="SET NULL"), index=True
    )
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200), default="")
    company: Mapped[str] = mapped_column(String(200), default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[DealStatus] = mapped_column(str_enum(DealStatus, "status"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_comment: Mapped[str] = mapped_column(Text, default="")


class LeadStatusChange(Model):
    """One step of a lead's status (contract §8): what it became, from what, when the CRM says
    it happened (``changed_at``, UTC) and what said so (``source``, ``reference`` such as
    ``bitrix24:deal:17``). The lead page shows them; reports read the lead's current status."""

    __tablename__ = "lead_status_changes"
    __table_args__ = (Index("ix_lead_status_changes_lead_id_changed_at", "lead_id", "changed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    previous: Mapped[LeadStatus] = mapped_column(str_enum(LeadStatus, "previous"))
    status: Mapped[LeadStatus] = mapped_column(str_enum(LeadStatus, "status"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    source: Mapped[StatusSource] = mapped_column(str_enum(StatusSource, "source"))
    reference: Mapped[str] = mapped_column(String(100), default="")
    won_amount: Mapped[Decimal | None] = mapped_column(Money)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
