"""Campaign and spend forms: shape only; the rules live in the services."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
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
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from comarketing.campaigns.models import PaidBy
from comarketing.core.forms import csv_file

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
    budget = DecimalField(_l("Budget, RUB"), places=2, validators=[Optional(), NumberRange(min=0)])
    landing_url = URLField(_l("Landing page"), validators=[Optional(), Length(max=2048)])
    landing_hosts = StringField(
        _l("Allowed landing hosts (space-separated)"), validators=[Optional()]
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    partners = FieldList(FormField(PartnerShareForm), min_entries=PARTNER_ROWS)
    submit = SubmitField(_l("Save"))


class SpendForm(FlaskForm):
    amount = DecimalField(_l("Amount, RUB"), places=2, validators=[InputRequired()])
    spent_on = DateField(_l("Date"), validators=[InputRequired()])
    paid_by = SelectField(
        _l("Paid by"),
        choices=[
            SelectChoice(PaidBy.VENDOR.value, _l("Vendor")),
            SelectChoice(PaidBy.PARTNER.value, _l("Partner")),
        ],
    )
    partner_id = SelectField(_l("Partner"), coerce=int, choices=[])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Add spend"))

    def values(self) -> dict[str, Any]:
        """The fields as ``record_spend`` takes them; the view adds the target and the user."""
        return {
            "amount": self.amount.data,
            "spent_on": self.spent_on.data,
            "paid_by": self.paid_by.data,
            "partner_id": self.partner_id.data or None,
            "note": self.note.data or "",
        }


class SpendUploadForm(FlaskForm):
    file = FileField(
        _l("Spend CSV (spent_on, amount, paid_by, campaign, webinar, partner, note)"),
        validators=csv_file(),
    )
    submit = SubmitField(_l("Import"))
