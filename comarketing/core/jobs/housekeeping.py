"""Scheduled clean-ups of ``core``'s own tables."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import delete

from comarketing.core.models import IdempotencyRecord
from comarketing.core.time import utcnow
from comarketing.extensions import db


def purge_idempotency_keys() -> str:
    """Forget stored ``Idempotency-Key`` answers older than ``IDEMPOTENCY_KEEP_HOURS``. Each
    new claim purges too, but on a quiet API old answers (personal data among them) would
    otherwise stay until the next write."""
    expired = utcnow() - timedelta(hours=float(current_app.config["IDEMPOTENCY_KEEP_HOURS"]))
    result = db.session.execute(
        delete(IdempotencyRecord).where(IdempotencyRecord.created_at < expired)
    )
    return f"{getattr(result, 'rowcount', 0)} expired idempotency key(s) purged"
