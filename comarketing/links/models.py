"""Tracked links issued to partners, their clicks, and the visitors behind the clicks."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from comarketing.core.db import BigIntPK, UTCDateTime
from comarketing.core.time import utcnow
from comarketing.extensions import Model

if TYPE_CHECKING:
    from comarketing.partners.models import Partner


class TrackedLink(Model):
    """A partner's UTM-tagged link to a validated destination, served as ``/r/<code>``.

    ``tagged_url`` is computed once at creation; the redirect never builds a URL from the request.
    """

    __tablename__ = "links"
    __table_args__ = (
        CheckConstraint(
            "(campaign_id IS NULL) <> (webinar_id IS NULL)", name="campaign_xor_webinar"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partners.id", ondelete="RESTRICT"), index=True
    )
    campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    webinar_id: Mapped[int | None] = mapped_column(
        ForeignKey("webinars.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(200), default="")
    destination_url: Mapped[str] = mapped_column(String(2048))
    tagged_url: Mapped[str] = mapped_column(String(4096))
    utm_source: Mapped[str] = mapped_column(String(100))
    utm_medium: Mapped[str] = mapped_column(String(40))
    utm_campaign: Mapped[str] = mapped_column(String(100))
    utm_content: Mapped[str | None] = mapped_column(String(100))
    utm_term: Mapped[str | None] = mapped_column(String(100))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    partner: Mapped[Partner] = relationship()


class Click(Model):
    """One request to ``/r/<code>``: written once on the hot path, never updated.

    ``visitor_id`` is the ``cm_vid`` cookie value (no foreign key: the visitor row is created
    only when the visitor turns into a lead). IPs are kept only as salted hashes.
    """

    __tablename__ = "clicks"
    __table_args__ = (
        Index("ix_clicks_link_id_clicked_at", "link_id", "clicked_at"),
        Index("ix_clicks_clicked_at", "clicked_at"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("links.id", ondelete="CASCADE"))
    clicked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    visitor_id: Mapped[str] = mapped_column(String(32), index=True)
    is_bot: Mapped[bool] = mapped_column(default=False)
    via_qr: Mapped[bool] = mapped_column(default=False)
    ip_hash: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(512))
    referrer: Mapped[str | None] = mapped_column(String(1024))


class Visitor(Model):
    """A ``cm_vid`` known to belong to a lead: its clicks become the lead's touchpoints."""

    __tablename__ = "visitors"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
