"""The portal's blueprint and its one gate: every ``/portal`` page is for partner users only."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user
from werkzeug.wrappers import Response

from comarketing.extensions import login_manager

bp = Blueprint("portal", __name__, url_prefix="/portal")


@bp.before_request
def partner_users_only() -> Response | None:
    """Anonymous visitors go to the login page; staff get 403 (a marketer's session cannot act
    as a partner: only a partner user belongs to one)."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.is_partner or current_user.partner_id is None:
        abort(403)
    return None
