"""A partner's postback endpoint: where its own leads' events are POSTed, signed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from comarketing.core.db import UTCDateTime
from comarketing.core.time import utcnow
from comarketing.extensions import Model

LEAD_CREATED = "lead.created"
LEAD_STATUS_CHANGED = "lead.status_changed"
COMMISSION_CREATED = "commission.created"
EVENTS = (LEAD_CREATED, LEAD_STATUS_CHANGED, COMMISSION_CREATED)
TOPIC_PREFIX = "postback."  # the outbox topic of an event: "postback.lead.created" …


def topic(event: str) -> str:
    """The outbox topic of ``event``."""
    return f"{TOPIC_PREFIX}{event}"


class PostbackEndpoint(Model):
    """A URL a partner gave to receive its own leads' ``events`` (names from ``EVENTS``).

    ``secret`` signs every postback (``X-Comarketing-Signature``), so it is kept in clear; the
    partner is shown it once, when the endpoint is added. The URL is a stranger's input:
    checked when added and again before every call (``postbacks.services``)."""

    __tablename__ = "postback_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partners.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(2048))
    secret: Mapped[str] = mapped_column(String(100))
    events: Mapped[list[str]] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
