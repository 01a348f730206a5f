"""``/settings``: access that can be taken away. Admins see every login — deactivate,
reactivate, change a staff role, send a password-reset link — and every API token; other
staff see and revoke their own tokens. CRM integrations are one click away."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from comarketing.core.auth import Permission, Role, can, staff_required
from comarketing.core.forms import Outcome, commit_or_show
from comarketing.core.paging import paginate
from comarketing.extensions import db
from comarketing.users import accounts
from comarketing.users.forms import AccountActionForm, RoleForm
from comarketing.users.invitations import start_password_reset
from comarketing.users.models import ApiToken, User
from comarketing.users.queries import tokens_query, users_query

bp = Blueprint("settings", __name__, url_prefix="/settings")
PAGE_SIZE = 50


@bp.get("")
@staff_required()
def index() -> str:
    admin = can(current_user, Permission.MANAGE_USERS)
    wanted = request.args.get("role", "")
    users = (
        paginate(users_query(current_user, role=wanted if wanted in set(Role) else None), PAGE_SIZE)
        if admin
        else None
    )
    return render_template(
        "users/settings.html",
        admin=admin,
        users=users,
        tokens=db.session.scalars(tokens_query(current_user).limit(500)).all(),
        action=AccountActionForm(),
        role_form=RoleForm(formdata=None),
        roles=list(Role),
        wanted=wanted,
    )


def _back(outcome: Outcome[object], errors: list[str] | None = None) -> Response:
    """Back to the page, saying why a refused action wrote nothing."""
    if not outcome.done:
        for problem in [*(errors or []), *([outcome.refusal.message] if outcome.refusal else [])]:
            flash(problem, "danger")
    return redirect(url_for(".index"))


def _user(user_id: int) -> User:
    return db.get_or_404(User, user_id)


@bp.post("/users/<int:user_id>/active")
@staff_required(Permission.MANAGE_USERS)
def set_active(user_id: int) -> Response:
    user = _user(user_id)
    active = request.form.get("active") == "1"
    done = (
        _("%(email)s can sign in again.", email=user.email)
        if active
        else _("%(email)s can no longer sign in; its sessions and tokens ended.", email=user.email)
    )
    outcome = commit_or_show(
        AccountActionForm(),
        lambda: accounts.update_account(user, {"active": active}, by=current_user),
        done,
    )
    return _back(outcome)


@bp.post("/users/<int:user_id>/role")
@staff_required(Permission.MANAGE_USERS)
def set_role(user_id: int) -> Response:
    user = _user(user_id)
    form = RoleForm()
    outcome = commit_or_show(
        form,
        lambda: accounts.update_account(user, {"role": form.role.data}, by=current_user),
        _("The role of %(email)s is changed.", email=user.email),
    )
    return _back(outcome, form.role.errors)


@bp.post("/users/<int:user_id>/reset")
@staff_required(Permission.MANAGE_USERS)
def send_reset(user_id: int) -> Response:
    user = _user(user_id)
    commit_or_show(
        AccountActionForm(),
        lambda: start_password_reset(user.email, locale=user.locale or "ru"),
        _("A password-reset link is on its way to %(email)s.", email=user.email),
    )
    return redirect(url_for(".index"))


@bp.post("/tokens/<int:token_id>/revoke")
@staff_required()
def revoke(token_id: int) -> Response:
    token = db.first_or_404(tokens_query(current_user).where(ApiToken.id == token_id))
    commit_or_show(
        AccountActionForm(),
        lambda: accounts.revoke_token(token),
        _("The token %(prefix)s… answers 401 from now on.", prefix=token.prefix),
    )
    return redirect(url_for(".index"))
