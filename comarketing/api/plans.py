"""``/api/v1/partners/{partner_id}/plans`` (contract §9): joint business plans — a partner's
goals for a quarter or a month, each shown with its actual and percent from the live data.

Marketers and managers record and change plans; a partner token reads its own partner's. The
partner is named ``partner_id`` in every URL, so another partner's plans are a 404 before the
resource runs (``api.ownership``)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask.views import MethodView
from flask_babel import gettext as _

from comarketing.api.auth import actor, api_blueprint
from comarketing.api.collections import collection
from comarketing.api.ownership import visible
from comarketing.core.api import ErrorSchema
from comarketing.core.auth import Permission, can
from comarketing.core.errors import Forbidden, NotFound
from comarketing.core.paging import ListArgsSchema, list_page
from comarketing.core.schemas import InputSchema, MoneyField, UTCDateTimeField
from comarketing.core.time import utcnow
from comarketing.core.writes import answer
from comarketing.extensions import db
from comarketing.goals.plans_models import GOALS, PartnerPlan
from comarketing.goals.plans_periods import PERIOD_PATTERN, InvalidPeriod, parse_period
from comarketing.goals.plans_progress import PlanProgress, plan_progress, plans_progress
from comarketing.goals.plans_queries import plans_query, visible_plan_query
from comarketing.goals.plans_services import MAX_COUNT_GOAL, create_plan, update_plan
from comarketing.partners.models import Partner
from comarketing.users.models import User

blp = api_blueprint(
    "api_plans", __name__, "Joint business plans: a partner's goals with actuals from live data."
)

COUNT = ma.validate.Range(min=0, max=MAX_COUNT_GOAL)
NOT_NEGATIVE = ma.validate.Range(min=0, error="Must be 0 or more.")


def _period(text: str) -> None:
    try:
        parse_period(text)
    except InvalidPeriod as invalid:
        raise ma.ValidationError(str(invalid.problem)) from None


class PlanCountGoalSchema(ma.Schema):
    goal = ma.fields.Integer(allow_none=True, required=True)
    actual = ma.fields.Integer(required=True)
    percent = ma.fields.Float(
        allow_none=True, required=True, metadata={"description": "actual / goal × 100, 1 place"}
    )


class PlanMoneyGoalSchema(ma.Schema):
    goal = MoneyField(allow_none=True, required=True)
    actual = MoneyField(required=True, metadata={"description": "RUB, refunds subtracted"})
    percent = ma.fields.Float(allow_none=True, required=True)


class PlanGoalsSchema(ma.Schema):
    webinars = ma.fields.Nested(PlanCountGoalSchema, required=True)
    leads = ma.fields.Nested(PlanCountGoalSchema, required=True)
    customers = ma.fields.Nested(PlanCountGoalSchema, required=True)
    revenue = ma.fields.Nested(PlanMoneyGoalSchema, required=True)


class PartnerPlanSchema(ma.Schema):
    """A plan as its partner and staff see it: the goals with their actuals now, the share of
    the period gone by, and whether any goal's percent is below it (``behind``)."""

    id = ma.fields.Integer(required=True)
    partner_id = ma.fields.Integer(required=True)
    period = ma.fields.String(required=True, metadata={"example": "2026-Q4"})
    starts_on = ma.fields.Date(required=True)
    ends_on = ma.fields.Date(required=True, metadata={"description": "the period's last day"})
    goals = ma.fields.Nested(PlanGoalsSchema, required=True)
    elapsed = ma.fields.Float(
        required=True, metadata={"description": "percent of the period gone by, 1 place"}
    )
    behind = ma.fields.Boolean(
        required=True, metadata={"description": "some goal's percent is below `elapsed`"}
    )
    note = ma.fields.String(required=True)
    agreed_by = ma.fields.String(required=True)
    agreed_at = UTCDateTimeField(allow_none=True, required=True)
    created_at = UTCDateTimeField(required=True)


class PlanGoalsInputSchema(InputSchema):
    """The goals of a new plan: each optional, null (or left out) for no goal."""

    webinars = ma.fields.Integer(strict=True, allow_none=True, load_default=None, validate=COUNT)
    leads = ma.fields.Integer(strict=True, allow_none=True, load_default=None, validate=COUNT)
    customers = ma.fields.Integer(strict=True, allow_none=True, load_default=None, validate=COUNT)
    revenue = MoneyField(allow_none=True, load_default=None, validate=NOT_NEGATIVE)


class PlanGoalsChangeSchema(InputSchema):
    """Goals to change: those given replace the plan's (null: no goal), the others stay."""

    webinars = ma.fields.Integer(strict=True, allow_none=True, validate=COUNT)
    leads = ma.fields.Integer(strict=True, allow_none=True, validate=COUNT)
    customers = ma.fields.Integer(strict=True, allow_none=True, validate=COUNT)
    revenue = MoneyField(allow_none=True, validate=NOT_NEGATIVE)


class PartnerPlanCreateSchema(InputSchema):
    period = ma.fields.String(
        required=True,
        validate=[ma.validate.Length(max=10), _period],
        metadata={"pattern": PERIOD_PATTERN, "example": "2026-Q4"},
    )
    goals = ma.fields.Nested(PlanGoalsInputSchema, required=True)
    note = ma.fields.String(load_default="", validate=ma.validate.Length(max=2000))
    agreed_by = ma.fields.String(load_default="", validate=ma.validate.Length(max=200))
    agreed_at = UTCDateTimeField(load_default=None, allow_none=True)


class PartnerPlanChangeSchema(InputSchema):
    goals = ma.fields.Nested(PlanGoalsChangeSchema)
    note = ma.fields.String(validate=ma.validate.Length(max=2000))
    agreed_by = ma.fields.String(validate=ma.validate.Length(max=200))
    agreed_at = UTCDateTimeField()


class PartnerPlanListArgsSchema(InputSchema, ListArgsSchema):
    pass


def shown(progress: PlanProgress) -> dict[str, Any]:
    """A plan's body: each goal as ``{"goal", "actual", "percent"}``."""
    plan = progress.plan
    goals = {}
    for name in GOALS:
        goal = progress.goal(name)
        percent = goal.percent
        goals[name] = {
            "goal": goal.goal,
            "actual": goal.actual,
            "percent": None if percent is None else float(percent),
        }
    return {
        "id": plan.id,
        "partner_id": plan.partner_id,
        "period": plan.period,
        "starts_on": plan.starts_on,
        "ends_on": progress.ends_on,
        "goals": goals,
        "elapsed": float(progress.elapsed_percent),
        "behind": progress.behind,
        "note": plan.note,
        "agreed_by": plan.agreed_by,
        "agreed_at": plan.agreed_at,
        "created_at": plan.created_at,
    }


def planner() -> User:
    """Marketers (who plan) and managers (who decide) record plans; partners only read."""
    user = actor()
    if not (can(user, Permission.PLAN) or can(user, Permission.DECIDE)):
        raise Forbidden(_("Your role does not allow this action."))
    return user


def visible_plan(partner_id: int, plan_id: int) -> PartnerPlan:
    plan: PartnerPlan | None = db.session.scalar(visible_plan_query(actor(), partner_id, plan_id))
    if plan is None:
        raise NotFound(_("Plan not found."))
    return plan


@blp.route("/<int:partner_id>/plans")
class Plans(MethodView):
    @collection(blp, PartnerPlanListArgsSchema, PartnerPlanSchema, "PartnerPlanList")
    def get(self, args: dict[str, Any], partner_id: int) -> dict[str, Any]:
        """The partner's plans, each goal with its actual and percent now, by id."""
        partner = visible(Partner, partner_id, _("Partner not found."))
        now = utcnow()
        return list_page(
            lambda user: plans_query(user, partner_id=partner.id).order_by(None),
            actor(),
            PartnerPlan.id,
            args,
            items=lambda rows: [shown(p) for p in plans_progress(list(rows), now)],
        )

    @blp.arguments(PartnerPlanCreateSchema)
    @blp.response(201, PartnerPlanSchema)
    @blp.alt_response(409, schema=ErrorSchema, description="The partner has a plan for this period")
    def post(self, data: dict[str, Any], partner_id: int) -> dict[str, Any]:
        """Record the partner's goals for a quarter (``YYYY-Qn``) or a month (``YYYY-MM``)."""
        user = planner()
        partner = visible(Partner, partner_id, _("Partner not found."))
        return answer(
            lambda: create_plan(partner, created_by_id=user.id, **data),
            lambda plan: shown(plan_progress(plan, utcnow())),
        )


@blp.route("/<int:partner_id>/plans/<int:plan_id>")
class PlanById(MethodView):
    @blp.response(200, PartnerPlanSchema)
    def get(self, partner_id: int, plan_id: int) -> dict[str, Any]:
        """One plan, each goal with its actual and percent now."""
        return shown(plan_progress(visible_plan(partner_id, plan_id), utcnow()))

    @blp.arguments(PartnerPlanChangeSchema)
    @blp.response(200, PartnerPlanSchema)
    def patch(self, data: dict[str, Any], partner_id: int, plan_id: int) -> dict[str, Any]:
        """Change a plan's goals (those given; null clears one), note or agreement."""
        planner()
        plan = visible_plan(partner_id, plan_id)
        return answer(
            lambda: update_plan(plan, **data),
            lambda changed: shown(plan_progress(changed, utcnow())),
        )
