"""Shown names of delivery statuses of outbox messages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

LABELS = {
    "pending": _l("pending"),
    "delivered": _l("delivered"),
    "dead": _l("failed"),
    "cancelled": _l("cancelled"),
}
