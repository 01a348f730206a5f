"""``/portal``: the partner's home: its tier and the way to the next, this month against the
last, and the next joint webinars."""

from __future__ import annotations

from flask import current_app, render_template

from comarketing.core.time import local_month, month_bounds, shift_month, utcnow
from comarketing.extensions import db
from comarketing.portal.access import partner
from comarketing.portal.blueprint import bp
from comarketing.portal.figures import month_figures
from comarketing.tiers.progress import tier_progress
from comarketing.webinars.queries import upcoming_webinars


@bp.get("")
def home() -> str:
    me = partner()
    zone = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    now = utcnow()
    year, month = local_month(now, zone)
    this_start, _this_end = month_bounds(year, month, zone)
    last_start, _ = month_bounds(*shift_month(year, month, -1), zone)
    # Like with like: the month so far against the same stretch of last month (4 days of
    # December against 1–4 November, not against all of November).
    same_stretch_end = min(last_start + (now - this_start), this_start)
    webinars = db.session.scalars(upcoming_webinars(limit=5, partner_id=me.id))
    return render_template(
        "portal/home.html",
        partner=me,
        this_month=month_figures(me.id, this_start, now),
        last_month=month_figures(me.id, last_start, same_stretch_end),
        month_start=this_start,
        compared_until=same_stretch_end,
        webinars=webinars.all(),
        tier=tier_progress(me, utcnow()),
    )
