"""Read queries over links and clicks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from comarketing.extensions import db
from comarketing.links.models import Click


def clicks_count(*, since: datetime, include_bots: bool = False) -> int:
    """Clicks at or after ``since`` (UTC); human clicks only unless ``include_bots``."""
    stmt = select(func.count(Click.id)).where(Click.clicked_at >= since)
    if not include_bots:
        stmt = stmt.where(Click.is_bot.is_(False))
    return db.session.scalar(stmt) or 0
