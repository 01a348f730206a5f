"""Commission forms: the payments upload and "mark paid" (shape only)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SubmitField


class PaymentsUploadForm(FlaskForm):
    file = FileField(_l("Payments CSV"), validators=[FileRequired()])
    submit = SubmitField(_l("Import"))


class MarkPaidForm(FlaskForm):
    submit = SubmitField(_l("Mark the approved lines paid"))
