"""``/goals/plans/behind``: for partner managers, the plans of the current quarter and month that
fall behind — some goal's percent below the share of the period gone by
(``goals.plans_progress``)."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from comarketing.core.auth import staff_required
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.goals.plans_periods import current_periods, local_today
from comarketing.goals.plans_progress import plan_zone, plans_progress
from comarketing.goals.plans_queries import current_plans_query

bp = Blueprint("plans", __name__, url_prefix="/goals/plans")


@bp.get("/behind")
@staff_required()
def behind() -> str:
    now = utcnow()
    today = local_today(now, plan_zone())
    current = plans_progress(
        db.session.scalars(current_plans_query(current_user, today)).all(), now
    )
    return render_template(
        "goals/plans_behind.html",
        behind=[progress for progress in current if progress.behind],
        current=len(current),
        periods=current_periods(today),
    )
