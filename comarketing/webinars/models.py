"""Joint webinars with partner co-hosts, and the people who register and attend."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from comarketing.core.db import BigIntPK, UTCDateTime, str_enum
from comarketing.core.time import utcnow
from comarketing.extensions import Model

if TYPE_CHECKING:
    from comarketing.partners.models import Partner


class WebinarStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class WebinarPlatform(StrEnum):
    """Where the webinar is held; its registrants and attendance are pulled from there."""

    MTS_LINK = "mts_link"
    ZOOM = "zoom"


class Webinar(Model):
    """A joint webinar; ``starts_at`` is UTC, ``timezone`` the IANA zone it is announced in."""

    __tablename__ = "webinars"
    __table_args__ = (
        CheckConstraint("duration_minutes > 0", name="positive_duration"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="positive_capacity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    duration_minutes: Mapped[int]
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Moscow")
    capacity: Mapped[int | None]
    join_url: Mapped[str | None] = mapped_column(String(2048))
    recording_url: Mapped[str | None] = mapped_column(String(2048))
    campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaigns.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[WebinarStatus] = mapped_column(
        str_enum(WebinarStatus, "status"), default=WebinarStatus.SCHEDULED
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The platform's own id of the event: Zoom's meeting id, MTS Link's event session id.
    platform: Mapped[WebinarPlatform | None] = mapped_column(str_enum(WebinarPlatform, "platform"))
    platform_event_id: Mapped[str | None] = mapped_column(String(100))
    platform_synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # last pull, UTC

    hosts: Mapped[list[WebinarHost]] = relationship(
        back_populates="webinar", cascade="all, delete-orphan"
    )

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)


class WebinarHost(Model):
    """A partner co-hosting a webinar."""

    __tablename__ = "webinar_hosts"

    webinar_id: Mapped[int] = mapped_column(
        ForeignKey("webinars.id", ondelete="CASCADE"), primary_key=True
    )
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partners.id", ondelete="RESTRICT"), primary_key=True, index=True
    )

    webinar: Mapped[Webinar] = relationship(back_populates="hosts")
    partner: Mapped[Partner] = relationship()


class Registration(Model):
    """A person registered for a webinar (one per e-mail), and whether they attended."""

    __tablename__ = "registrations"
    __table_args__ = (UniqueConstraint("webinar_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    webinar_id: Mapped[int] = mapped_column(ForeignKey("webinars.id", ondelete="CASCADE"))
    lead_id: Mapped[int | None] = mapped_column(
        ForeignKey("leads.id", ondelete="SET NULL"), index=True
    )
    email: Mapped[str | None] = mapped_column(String(254))  # normalised; None once erased
    name: Mapped[str] = mapped_column(String(200), default="")
    company: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str | None] = mapped_column(String(20))
    # The partner whose link (or utm_source) brought the registration, if any.
    partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("partners.id", ondelete="SET NULL"), index=True
    )
    link_id: Mapped[int | None] = mapped_column(ForeignKey("links.id", ondelete="SET NULL"))
    click_id: Mapped[int | None] = mapped_column(
        BigIntPK, ForeignKey("clicks.id", ondelete="SET NULL")
    )
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attended: Mapped[bool | None]  # None until attendance is imported
    attended_minutes: Mapped[int | None]
    attendance_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
