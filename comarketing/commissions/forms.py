"""Commission forms: the payments upload and "mark paid" (shape only)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SubmitField

from comarketing.core.forms import csv_file


class PaymentsUploadForm(FlaskForm):
    file = FileField(_l("Payments CSV"), validators=csv_file())
    submit = SubmitField(_l("Import"))


class MarkPaidForm(FlaskForm):
    submit = SubmitField(_l("Mark the approved lines paid"))


class CloseMonthForm(FlaskForm):
    submit = SubmitField(_l("Close the month"))
