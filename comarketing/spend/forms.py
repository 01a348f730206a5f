"""Spend forms: shape only; the rules live in the services."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from comarketing.core.forms import csv_file, money_field
from comarketing.spend.models import PaidBy


class SpendForm(FlaskForm):
    amount = money_field(_l("Amount, RUB"), InputRequired())
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
