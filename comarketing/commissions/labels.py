"""Shown names of commission statuses."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

LABELS = {
    "pending": _l("pending"),
    "approved": _l("approved"),
    "paid": _l("paid"),
    "reversed": _l("reversed"),
}
