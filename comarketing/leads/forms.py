"""Lead forms: the import upload, a conflict decision, a partner's deal registration (shape
only: the services validate contacts and ownership)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from comarketing.core.forms import csv_file


class LeadsUploadForm(FlaskForm):
    file = FileField(_l("Leads CSV"), validators=csv_file())
    submit = SubmitField(_l("Import"))


class ConflictDecisionForm(FlaskForm):
    decision = RadioField(
        _l("Decision"),
        choices=[
            SelectChoice("keep", _l("Keep the current owner")),
            SelectChoice("reassign", _l("Give the lead to the claimant")),
        ],
        default="keep",
    )
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("Decide"))


class EraseForm(FlaskForm):
    submit = SubmitField(_l("Erase personal data"))


class DealForm(FlaskForm):
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=254)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    name = StringField(_l("Name"), validators=[Length(max=200)])
    company = StringField(_l("Company"), validators=[Length(max=200)])
    comment = TextAreaField(
        _l("What you agreed with the client"), validators=[Optional(), Length(max=2000)]
    )
    submit = SubmitField(_l("Register the client"))


class DealDecisionForm(FlaskForm):
    decision = RadioField(
        _l("Decision"),
        choices=[
            SelectChoice("approve", _l("Approve: the partner owns the client from now")),
            SelectChoice("reject", _l("Reject")),
        ],
        default="approve",
    )
    comment = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=2000)])


class FlagClearForm(FlaskForm):
    comment = TextAreaField(
        _l("Why the lead is genuine"), validators=[DataRequired(), Length(max=2000)]
    )
