"""The form of a joint business plan on the partner's page (shape only; one plan per period
is the service's rule)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from comarketing.core.forms import money_field
from comarketing.goals.plans_models import GOALS
from comarketing.goals.plans_periods import InvalidPeriod, parse_period
from comarketing.goals.plans_services import MAX_COUNT_GOAL, Goal


def _count(label: Any) -> IntegerField:
    return IntegerField(label, validators=[Optional(), NumberRange(min=0, max=MAX_COUNT_GOAL)])


class PlanForm(FlaskForm):
    period = StringField(
        _l("Period"),
        validators=[InputRequired(), Length(max=10)],
        description=_l("A quarter (2026-Q4) or a month (2026-12)."),
    )
    webinars = _count(_l("Joint webinars"))
    leads = _count(_l("Leads"))
    customers = _count(_l("Customers"))
    revenue = money_field(_l("Revenue, ₽"), Optional(), NumberRange(min=0))
    agreed_by = StringField(
        _l("Agreed with"),
        validators=[Optional(), Length(max=200)],
        description=_l("Who agreed on the partner's side."),
    )
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Add the plan"))

    def validate_period(self, field: StringField) -> None:
        try:
            parse_period(field.data or "")
        except InvalidPeriod as invalid:
            raise ValidationError(str(invalid.problem)) from None

    def goals(self) -> dict[str, Goal]:
        return {name: getattr(self, name).data for name in GOALS}
