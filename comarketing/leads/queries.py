"""Read queries over leads."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from comarketing.extensions import db
from comarketing.leads.models import Lead


def leads_created_count(*, since: datetime) -> int:
    """Leads (persons) created at or after ``since`` (UTC)."""
    return db.session.scalar(select(func.count(Lead.id)).where(Lead.created_at >= since)) or 0
