"""``/portal``: the partner's home."""

from __future__ import annotations

from flask import render_template

from comarketing.extensions import db
from comarketing.portal.access import partner
from comarketing.portal.blueprint import bp
from comarketing.webinars.queries import upcoming_webinars


@bp.get("")
def home() -> str:
    me = partner()
    webinars = db.session.scalars(upcoming_webinars(limit=5, partner_id=me.id))
    return render_template("portal/home.html", partner=me, webinars=webinars.all())
