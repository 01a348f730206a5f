"""Webinar forms: shape only; the rules live in the services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TelField,
    TextAreaField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from comarketing.core.forms import csv_file

UTM_NAMES = ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term")


class RegistrationForm(FlaskForm):
    """The public registration form; ``utm_*`` and ``cmclid`` ride along from the link."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    company = StringField(_l("Company"), validators=[Optional(), Length(max=200)])
    phone = TelField(_l("Phone"), validators=[Optional(), Length(max=40)])
    consent = BooleanField(
        _l("I agree to the processing of my personal data"), validators=[DataRequired()]
    )
    utm_source = HiddenField()
    utm_medium = HiddenField()
    utm_campaign = HiddenField()
    utm_content = HiddenField()
    utm_term = HiddenField()
    cmclid = HiddenField()
    # A trap for bots: hidden from people (CSS and aria-hidden), filled by form-spraying scripts.
    website = StringField(_l("Leave this field empty"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Register"))


class WithdrawConsentForm(FlaskForm):
    """The button that withdraws a registrant's consents (a POST: mail scanners follow GETs)."""

    submit = SubmitField(_l("Withdraw my consent"))


class WebinarForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    starts_at = DateTimeLocalField(
        _l("Starts (in the webinar's time zone)"), validators=[InputRequired()]
    )
    timezone = StringField(
        _l("Time zone"), default="Europe/Moscow", validators=[DataRequired(), Length(max=64)]
    )
    duration_minutes = IntegerField(
        _l("Duration, minutes"), default=60, validators=[InputRequired(), NumberRange(min=1)]
    )
    partner_ids = SelectMultipleField(_l("Co-hosts"), coerce=int, choices=[])
    campaign_id = SelectField(_l("Campaign"), coerce=int, choices=[])
    capacity = IntegerField(_l("Capacity"), validators=[Optional(), NumberRange(min=1)])
    join_url = URLField(_l("Join link"), validators=[Optional(), Length(max=2048)])
    recording_url = URLField(_l("Recording link"), validators=[Optional(), Length(max=2048)])
    platform = SelectField(
        _l("Platform"),
        choices=[
            SelectChoice("", _l("— none (attendance by upload) —")),
            SelectChoice("zoom", "Zoom"),
            SelectChoice("mts_link", "MTS Link"),
        ],
        default="",
    )
    platform_event_id = StringField(
        _l("Event id on the platform"),
        description=_l("Zoom's meeting id or MTS Link's event session id."),
        validators=[Optional(), Length(max=100)],
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=10000)])
    submit = SubmitField(_l("Save"))


class AttendanceUploadForm(FlaskForm):
    file = FileField(
        _l("Attendance CSV (email, attended, minutes), or a Zoom or MTS Link export as it is"),
        validators=csv_file(),
    )
    submit = SubmitField(_l("Import attendance"))
