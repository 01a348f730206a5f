"""Shown names of commission statuses."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from comarketing.commissions.models import CommissionStatus

LABELS: dict[str, Any] = {
    CommissionStatus.PENDING: _l("pending"),
    CommissionStatus.APPROVED: _l("approved"),
    CommissionStatus.PAID: _l("paid"),
    CommissionStatus.REVERSED: _l("reversed"),
    # products (looked up as "product:<code>"; other codes show as typed)
    "product:software": _l("software"),
    "product:telephony": _l("telephony"),
}
