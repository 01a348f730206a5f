"""``/portal/webinars``: (being built)."""

from __future__ import annotations

from comarketing.portal.blueprint import bp

__all__ = ["bp"]
