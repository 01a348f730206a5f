"""``/api/v1/kpi`` (contract §9): the program's KPI targets — ×2.5 leads in 18 months, ×7 in
three years — and their progress month by month.

Targets are the vendor's, not a partner's: managers (and admins) set them, staff read them;
a partner token gets 403 for the collection and 404 for any target (ids tell nothing).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import marshmallow as ma
from flask.views import MethodView
from flask_babel import gettext as _

from comarketing.api.auth import actor, api_blueprint, require
from comarketing.api.collections import collection
from comarketing.core.auth import Permission
from comarketing.core.errors import NotFound
from comarketing.core.paging import ListArgsSchema, list_page
from comarketing.core.schemas import DayField, InputSchema, UTCDateTimeField, not_blank
from comarketing.core.writes import answer
from comarketing.extensions import db
from comarketing.goals.models import MAX_HORIZON_MONTHS, KpiMetric, KpiTarget
from comarketing.goals.progress import Progress, target_progress
from comarketing.goals.queries import targets_query
from comarketing.goals.services import create_target, multiple_problem
from comarketing.goals.trajectory import Status, round2

blp = api_blueprint("api_kpi", __name__, "KPI targets: the program's goals and their progress.")

MULTIPLE_PATTERN = r"^[0-9]+(\.[0-9]{1,4})?$"
FIGURE_PATTERN = r"^-?[0-9]+\.[0-9]{2}$"
METRICS = [metric.value for metric in KpiMetric]


def _check_multiple(value: Decimal) -> None:
    problem = multiple_problem(value)
    if problem is not None:
        raise ma.ValidationError(problem)


class MultipleField(ma.fields.Decimal):
    """How many times the baseline: a decimal string (``"2.5"``, ``"7"``); numbers are
    accepted on input. Above 0, at most 1000, at most 4 decimal places."""

    def __init__(self, **kwargs: Any) -> None:
        metadata = {
            "type": "string",
            "format": "decimal",
            "pattern": MULTIPLE_PATTERN,
            "example": "2.5",
            **kwargs.pop("metadata", {}),
        }
        super().__init__(as_string=True, allow_nan=False, metadata=metadata, **kwargs)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        return f"{Decimal(value).normalize():f}"


def _figure(description: str, **kwargs: Any) -> ma.fields.String:
    """A figure of a target's progress: a decimal string with 2 places."""
    metadata = {"pattern": FIGURE_PATTERN, "example": "105.22", "description": description}
    return ma.fields.String(metadata=metadata, **kwargs)


class KpiTargetSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    metric = ma.fields.String(metadata={"enum": METRICS})
    segment = ma.fields.String(allow_none=True, metadata={"description": "null: the program"})
    baseline_from = ma.fields.Date()
    baseline_to = ma.fields.Date()
    multiple = MultipleField()
    horizon_months = ma.fields.Integer()
    starts_on = ma.fields.Date()
    active = ma.fields.Boolean()
    created_at = UTCDateTimeField()


class KpiTargetCreateSchema(InputSchema):
    metric = ma.fields.String(required=True, validate=ma.validate.OneOf(METRICS))
    segment = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=[ma.validate.Length(min=1, max=40), not_blank],
        metadata={"description": "a partners' segment (bitrix24, amocrm …); null: the program"},
    )
    baseline_from = DayField(required=True)
    baseline_to = DayField(required=True)
    multiple = MultipleField(required=True, validate=_check_multiple)
    horizon_months = ma.fields.Integer(
        required=True, strict=True, validate=ma.validate.Range(min=1, max=MAX_HORIZON_MONTHS)
    )
    starts_on = DayField(required=True, metadata={"description": "the first day of a month"})
    name = ma.fields.String(load_default="", validate=ma.validate.Length(max=200))


class KpiTargetListArgsSchema(InputSchema, ListArgsSchema):
    active = ma.fields.Boolean()


class MonthProgressSchema(ma.Schema):
    month = ma.fields.String(required=True, metadata={"pattern": r"^[0-9]{4}-[0-9]{2}$"})
    planned = _figure("baseline × multiple^(t / horizon_months)", required=True)
    actual = _figure("the metric in the month", required=True)
    gap = _figure("actual − planned", required=True)


class KpiProgressSchema(ma.Schema):
    baseline = _figure("the monthly average over the baseline's whole months", required=True)
    months = ma.fields.List(
        ma.fields.Nested(MonthProgressSchema),
        required=True,
        metadata={"description": "from the first month to the last complete one"},
    )
    forecast = _figure(
        "the metric at the horizon if the last three complete months' growth went on",
        required=True,
        allow_none=True,
    )
    status = ma.fields.String(required=True, metadata={"enum": [s.value for s in Status]})


def _target(target_id: int) -> KpiTarget:
    """The target, if the caller may see it: 404 for a partner (targets are not theirs)."""
    found: KpiTarget | None = db.session.scalar(
        targets_query(actor()).where(KpiTarget.id == target_id)
    )
    if found is None:
        raise NotFound(_("KPI target not found."))
    return found


def progress_body(progress: Progress) -> dict[str, Any]:
    """The contract's body of a target's progress: every figure a string with 2 places."""
    return {
        "baseline": str(round2(progress.baseline)),
        "months": [
            {
                "month": month.month.strftime("%Y-%m"),
                "planned": str(round2(month.planned)),
                "actual": str(round2(month.actual)),
                "gap": str(round2(month.gap)),
            }
            for month in progress.months
        ],
        "forecast": None if progress.forecast is None else str(round2(progress.forecast)),
        "status": progress.status.value,
    }


@blp.route("/targets")
class Targets(MethodView):
    @collection(blp, KpiTargetListArgsSchema, KpiTargetSchema, "KpiTargetList")
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List the program's targets (staff; ``active`` filters)."""
        user = require(Permission.READ_ALL)
        return list_page(targets_query, user, KpiTarget.id, args)

    @blp.arguments(KpiTargetCreateSchema)
    @blp.response(201, KpiTargetSchema)
    def post(self, data: dict[str, Any]) -> KpiTarget:
        """Set a target (managers): ``multiple`` times the baseline in ``horizon_months``
        from ``starts_on``, for a segment's partners or the whole program."""
        manager = require(Permission.DECIDE)
        return answer(lambda: create_target(**data, created_by_id=manager.id))


@blp.route("/targets/<int:target_id>")
class TargetById(MethodView):
    @blp.response(200, KpiTargetSchema)
    def get(self, target_id: int) -> KpiTarget:
        """One target (staff)."""
        return _target(target_id)


@blp.route("/targets/<int:target_id>/progress")
class TargetProgress(MethodView):
    @blp.response(200, KpiProgressSchema)
    def get(self, target_id: int) -> dict[str, Any]:
        """Month by month, the plan, the actual and the gap up to the last complete month
        (calendar months of the app's time zone, Europe/Moscow), the forecast at the
        horizon and ``on_track``/``behind`` (``not_started`` until the first month is
        complete)."""
        return progress_body(target_progress(_target(target_id)))
