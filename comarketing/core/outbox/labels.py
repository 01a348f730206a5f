"""Shown names of delivery statuses of outbox messages."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from comarketing.core.outbox.models import OutboxStatus

LABELS: dict[str, Any] = {
    OutboxStatus.PENDING: _l("pending"),
    OutboxStatus.DELIVERED: _l("delivered"),
    OutboxStatus.DEAD: _l("failed"),
    OutboxStatus.CANCELLED: _l("cancelled"),
}
