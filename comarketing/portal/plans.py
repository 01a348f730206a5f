"""``/portal/plans``: the joint business plans agreed with the partner — its own only — each
goal with its actual and percent from the live data, and one plan's own page (another
partner's plan is 404, like every portal object)."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.goals.plans_models import PartnerPlan
from comarketing.goals.plans_progress import plans_progress
from comarketing.goals.plans_queries import plans_query
from comarketing.portal.access import partner
from comarketing.portal.blueprint import bp


@bp.get("/plans")
def plans() -> str:
    own = db.session.scalars(plans_query(current_user, partner_id=partner().id)).all()
    return render_template("portal/plans.html", plans=plans_progress(own, utcnow()), one=False)


@bp.get("/plans/<int:plan_id>")
def plan(plan_id: int) -> str:
    found = db.first_or_404(
        plans_query(current_user, partner_id=partner().id).where(PartnerPlan.id == plan_id)
    )
    return render_template("portal/plans.html", plans=plans_progress([found], utcnow()), one=True)
