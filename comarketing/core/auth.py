"""Roles, what each may do, and the decorators that guard staff pages."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from flask import abort, redirect, url_for
from flask_login import current_user
from sqlalchemy import select

from comarketing.core.db import AnySelect
from comarketing.extensions import login_manager

if TYPE_CHECKING:
    from comarketing.users.models import User

P = ParamSpec("P")
R = TypeVar("R")


class Role(StrEnum):
    ADMIN = "admin"
    MARKETER = "marketer"
    MANAGER = "manager"
    PARTNER = "partner"


class Permission(StrEnum):
    READ_ALL = "read_all"  # see every partner's data
    PLAN = "plan"  # write partners, campaigns, webinars, spend, links, leads, payments
    DECIDE = "decide"  # MDF approval, ownership conflicts, reimbursements
    MANAGE_USERS = "manage_users"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.MARKETER: frozenset({Permission.READ_ALL, Permission.PLAN}),
    Role.MANAGER: frozenset({Permission.READ_ALL, Permission.DECIDE}),
    Role.PARTNER: frozenset(),
}


def can(user: User, permission: Permission) -> bool:
    """Whether ``user``'s role grants ``permission``."""
    return permission in ROLE_PERMISSIONS[user.role]


def staff_required(
    permission: Permission | None = None,
) -> Callable[[Callable[P, R]], Callable[P, Any]]:
    """Guard a staff page: anonymous users go to the login page, partner users to their
    portal, staff without ``permission`` get 403."""

    def decorator(view: Callable[P, R]) -> Callable[P, Any]:
        @wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.is_partner:
                return redirect(url_for("portal.home"))
            if permission is not None and not can(current_user, permission):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def scope_to_partner(stmt: AnySelect, partner_column: Any, user: User) -> AnySelect:
    """The one access rule: a partner user's query sees only rows of its own partner.

    Every partner-facing query passes through here, so isolation is not left to each view.
    """
    if user.is_partner:
        return stmt.where(partner_column == user.partner_id)
    return stmt


def scope_to_partner_via(
    stmt: AnySelect, id_column: Any, member_id_column: Any, member_partner_column: Any, user: User
) -> AnySelect:
    """The same rule through a membership table: a partner user sees the campaigns it takes
    part in, the webinars it co-hosts."""
    if user.is_partner:
        members = select(member_id_column).where(member_partner_column == user.partner_id)
        return stmt.where(id_column.in_(members))
    return stmt
