"""``/portal``: the partner portal. Each page lives in its own module on the one blueprint."""

from __future__ import annotations

from comarketing.portal import (
    calls,
    commissions,
    home,
    leads,
    links,
    mdf,
    plans,
    postbacks,
    reports,
    webinars,
)
from comarketing.portal.blueprint import bp

__all__ = [
    "bp",
    "calls",
    "commissions",
    "home",
    "leads",
    "links",
    "mdf",
    "plans",
    "postbacks",
    "reports",
    "webinars",
]
