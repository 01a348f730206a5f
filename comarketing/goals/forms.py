"""The Goals page's forms (shape only; the rules of a target live in ``goals.services``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, IntegerField, SelectField, StringField, SubmitField
from wtforms.fields import MonthField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from comarketing.goals.labels import METRIC_LABELS
from comarketing.goals.models import MAX_HORIZON_MONTHS


class TargetForm(FlaskForm):
    """A target in months: the baseline from the first day of one month to the last of
    another, the start on a first day (``YYYY-MM`` inputs)."""

    name = StringField(
        _l("Name"),
        validators=[Optional(), Length(max=200)],
        description=_l("Leave empty to name it by what it counts."),
    )
    metric = SelectField(
        _l("Metric"), choices=[SelectChoice(code, label) for code, label in METRIC_LABELS.items()]
    )
    segment = SelectField(_l("Segment"), choices=[], validate_choice=False)
    multiple = DecimalField(
        _l("Multiple"), places=None, validators=[InputRequired()], description=_l("e.g. 2.5")
    )
    horizon_months = IntegerField(
        _l("Horizon, months"),
        validators=[InputRequired(), NumberRange(min=1, max=MAX_HORIZON_MONTHS)],
    )
    starts_on = MonthField(_l("First month"), validators=[InputRequired()])
    baseline_from = MonthField(_l("Baseline from"), validators=[InputRequired()])
    baseline_to = MonthField(_l("Baseline to (included)"), validators=[InputRequired()])
    submit = SubmitField(_l("Set the target"))


class TargetSwitchForm(FlaskForm):
    """The button that switches a target off or on again; CSRF-protected, no fields."""
