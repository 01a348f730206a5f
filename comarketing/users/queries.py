"""Read queries over users."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from comarketing.core.db import AnySelect
from comarketing.extensions import db
from comarketing.users.models import ApiToken, User


def partner_users(partner_id: int) -> Sequence[User]:
    """The portal users of a partner, invited ones (no password yet) included."""
    return db.session.scalars(
        select(User).where(User.partner_id == partner_id).order_by(User.created_at, User.id)
    ).all()


def users_query(
    *, role: str | None = None, partner_id: int | None = None, active: bool | None = None
) -> AnySelect:
    """Users, oldest first, filtered."""
    stmt = select(User)
    if role:
        stmt = stmt.where(User.role == role)
    if partner_id is not None:
        stmt = stmt.where(User.partner_id == partner_id)
    if active is not None:
        stmt = stmt.where(User.active.is_(active))
    return stmt.order_by(User.created_at, User.id)


def tokens_query(*, user_id: int | None = None) -> AnySelect:
    """API tokens, newest first (``user_id``: of one user)."""
    stmt = select(ApiToken)
    if user_id is not None:
        stmt = stmt.where(ApiToken.user_id == user_id)
    return stmt.order_by(ApiToken.created_at.desc(), ApiToken.id.desc())


def tokens(*, user_id: int | None = None) -> Sequence[ApiToken]:
    return db.session.scalars(tokens_query(user_id=user_id)).all()
