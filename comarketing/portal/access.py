"""The portal's access rule, in one place: every query of a portal page is filtered by the
partner of the logged-in user (``core.auth.scope_to_partner``, the rule the API's partner
tokens use too), and an object of another partner is simply not found (404)."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from comarketing.core.auth import scope_to_partner
from comarketing.core.db import AnySelect
from comarketing.extensions import db
from comarketing.partners.models import Partner

T = TypeVar("T")


def partner() -> Partner:
    """The partner the current portal user belongs to (the blueprint's gate guarantees one)."""
    return current_user.partner


def own(stmt: AnySelect, partner_column: Any) -> AnySelect:
    """``stmt`` restricted to the current partner's rows."""
    return scope_to_partner(stmt, partner_column, current_user)


def own_or_404(model: type[T], object_id: int, partner_column: Any) -> T:
    """The current partner's ``model`` row ``object_id``; 404 when it is another partner's."""
    stmt = own(select(model).where(model.id == object_id), partner_column)  # type: ignore[attr-defined]
    found = db.session.scalar(stmt)
    if found is None:
        abort(404)
    return found
