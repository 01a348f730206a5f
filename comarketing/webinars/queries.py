"""Read queries over webinars."""

from __future__ import annotations

from sqlalchemy import select

from comarketing.core.db import AnySelect
from comarketing.core.time import utcnow
from comarketing.webinars.models import Webinar, WebinarHost, WebinarStatus


def upcoming_webinars(*, limit: int = 10, partner_id: int | None = None) -> AnySelect:
    """Scheduled webinars that have not started yet, soonest first (optionally one
    partner's co-hosted ones)."""
    stmt = (
        select(Webinar)
        .where(Webinar.starts_at >= utcnow(), Webinar.status == WebinarStatus.SCHEDULED)
        .order_by(Webinar.starts_at)
        .limit(limit)
    )
    if partner_id is not None:
        stmt = stmt.join(WebinarHost).where(WebinarHost.partner_id == partner_id)
    return stmt
