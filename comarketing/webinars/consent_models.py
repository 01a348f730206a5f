"""Consents of registrants to share their contact with a co-host (contract §12), and the
follow-ups co-hosts sent to the registrants who consented."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from comarketing.core.db import UTCDateTime, str_enum
from comarketing.core.time import utcnow
from comarketing.extensions import Model


class RegistrantConsent(Model):
    """A registrant agreed (at ``given_at``, to the wording of ``wording_version``) that their
    contact details are shared with one co-host; ``withdrawn_at`` once they took it back."""

    __tablename__ = "registrant_consents"
    __table_args__ = (UniqueConstraint("registration_id", "partner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"))
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partners.id", ondelete="CASCADE"), index=True
    )
    wording_version: Mapped[str] = mapped_column(String(20))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class FollowUpAudience(StrEnum):
    NO_SHOWS = "no_shows"
    ATTENDEES = "attendees"


class CohostFollowUp(Model):
    """A co-host's follow-up to one audience of a webinar: sent once (the unique key)."""

    __tablename__ = "cohost_follow_ups"
    __table_args__ = (UniqueConstraint("webinar_id", "partner_id", "audience"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    webinar_id: Mapped[int] = mapped_column(ForeignKey("webinars.id", ondelete="CASCADE"))
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partners.id", ondelete="CASCADE"), index=True
    )
    audience: Mapped[FollowUpAudience] = mapped_column(str_enum(FollowUpAudience, "audience"))
    link_id: Mapped[int | None] = mapped_column(ForeignKey("links.id", ondelete="SET NULL"))
    recipients: Mapped[int] = mapped_column(default=0)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
