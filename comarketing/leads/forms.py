"""Lead forms: the import upload and a conflict decision (shape only)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length


class LeadsUploadForm(FlaskForm):
    file = FileField(_l("Leads CSV"), validators=[FileRequired()])
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
