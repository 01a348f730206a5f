"""Shown names of roles."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from comarketing.core.auth import Role

LABELS: dict[str, Any] = {
    Role.ADMIN: _l("admin"),
    Role.MARKETER: _l("marketer"),
    Role.MANAGER: _l("manager"),
    Role.PARTNER: _l("partner user"),
}
