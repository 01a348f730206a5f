"""Campaign forms: shape only; the rules live in the services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from comarketing.core.forms import money_field

PARTNER_ROWS = 4


class PartnerShareForm(Form):
    """One partner of a campaign; an empty share means "split equally"."""

    partner_id = SelectField(_l("Partner"), coerce=int, choices=[])
    cost_share = DecimalField(
        _l("Cost share"), places=None, validators=[Optional(), NumberRange(min=0, max=1)]
    )


class CampaignForm(FlaskForm):
    name = StringField(_l("Campaign name"), validators=[DataRequired(), Length(max=200)])
    channel = SelectField(_l("Channel"), choices=[])
    starts_on = DateField(_l("Starts"), validators=[InputRequired()])
    ends_on = DateField(_l("Ends"), validators=[InputRequired()])
    budget = money_field(_l("Budget, RUB"), Optional(), NumberRange(min=0))
    landing_url = URLField(_l("Landing page"), validators=[Optional(), Length(max=2048)])
    landing_hosts = StringField(
        _l("Allowed landing hosts (space-separated)"), validators=[Optional()]
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    partners = FieldList(FormField(PartnerShareForm), min_entries=PARTNER_ROWS)
    submit = SubmitField(_l("Save"))
