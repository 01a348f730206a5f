"""``/portal``: the partner's home."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from comarketing.core.auth import partner_required
from comarketing.extensions import db
from comarketing.webinars.queries import upcoming_webinars

bp = Blueprint("portal", __name__, url_prefix="/portal")


@bp.get("")
@partner_required
def home() -> str:
    webinars = db.session.scalars(upcoming_webinars(limit=5, partner_id=current_user.partner_id))
    return render_template(
        "portal/home.html", partner=current_user.partner, webinars=webinars.all()
    )
