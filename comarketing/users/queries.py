"""Read queries over users."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from comarketing.core.auth import Permission, can
from comarketing.core.db import AnySelect
from comarketing.extensions import db
from comarketing.users.models import ApiToken, User


def partner_users(partner_id: int) -> Sequence[User]:
    """The portal users of a partner, invited ones (no password yet) included."""
    return db.session.scalars(
        select(User).where(User.partner_id == partner_id).order_by(User.created_at, User.id)
    ).all()


def users_query(
    user: User | None = None,
    *,
    role: str | None = None,
    partner_id: int | None = None,
    active: bool | None = None,
) -> AnySelect:
    """Users, oldest first, filtered (an admin's list: the caller is not a scope)."""
    stmt = select(User)
    if role:
        stmt = stmt.where(User.role == role)
    if partner_id is not None:
        stmt = stmt.where(User.partner_id == partner_id)
    if active is not None:
        stmt = stmt.where(User.active.is_(active))
    return stmt.order_by(User.created_at, User.id)


def tokens_query(user: User | None = None, *, user_id: int | None = None) -> AnySelect:
    """API tokens, newest first: an admin (or no caller) sees all, anyone else its own;
    ``user_id``: of one user."""
    stmt = select(ApiToken)
    if user is not None and not can(user, Permission.MANAGE_USERS):
        stmt = stmt.where(ApiToken.user_id == user.id)
    if user_id is not None:
        stmt = stmt.where(ApiToken.user_id == user_id)
    return stmt.order_by(ApiToken.created_at.desc(), ApiToken.id.desc())


def tokens(*, user_id: int | None = None) -> Sequence[ApiToken]:
    return db.session.scalars(tokens_query(user_id=user_id)).all()
