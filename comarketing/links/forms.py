"""Forms of the link pages (shape only; who may take part in what is the service's rule)."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SearchField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from comarketing.core.time import period_problem, utcnow
from comarketing.core.urls import MAX_URL_LENGTH, InvalidDestination
from comarketing.core.urls import validate_destination as check_destination
from comarketing.links.utm import MAX_UTM_LENGTH, Medium


def _optional_int(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


class LinkFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    q = SearchField(_l("Search"), validators=[Optional(), Length(max=100)])
    partner_id = SelectField(_l("Partner"), coerce=_optional_int, validate_choice=False)
    campaign_id = SelectField(_l("Campaign"), coerce=_optional_int, validate_choice=False)
    webinar_id = SelectField(_l("Webinar"), coerce=_optional_int, validate_choice=False)


class PeriodForm(FlaskForm):
    """The period of a link's figures: UTC days, both ends included, either may be open."""

    class Meta:
        csrf = False

    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])

    def validate_end(self, field: DateField) -> None:
        problem = period_problem(
            self.start.data, field.data, utcnow().date(), current_app.config["MAX_PERIOD_DAYS"]
        )
        if problem is not None:
            raise ValidationError(str(problem))


def _destination(form: FlaskForm, field: StringField) -> None:
    try:
        check_destination(field.data or "")
    except InvalidDestination as error:
        raise ValidationError(_(error.msgid, **error.params)) from None


class LinkForm(FlaskForm):
    partner_id = SelectField(_l("Partner"), coerce=_optional_int, validators=[DataRequired()])
    campaign_id = SelectField(_l("Campaign"), coerce=_optional_int, validate_choice=False)
    webinar_id = SelectField(_l("Webinar"), coerce=_optional_int, validate_choice=False)
    destination_url = StringField(
        _l("Destination URL"),
        validators=[DataRequired(), Length(max=MAX_URL_LENGTH), _destination],
        description=_l("The landing page, http or https. Its query and #fragment are kept."),
    )
    utm_medium = SelectField(
        _l("Medium (utm_medium)"),
        choices=[SelectChoice("", _l("Default: partner, or webinar for a webinar"))]
        + [SelectChoice(medium.value, medium.value) for medium in Medium],
        validators=[Optional()],
    )
    utm_content = StringField(
        _l("Content (utm_content)"), validators=[Optional(), Length(max=MAX_UTM_LENGTH)]
    )
    utm_term = StringField(
        _l("Term (utm_term)"), validators=[Optional(), Length(max=MAX_UTM_LENGTH)]
    )
    label = StringField(_l("Label"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Issue the link"))

    def validate_webinar_id(self, field: SelectField) -> None:
        if (self.campaign_id.data is None) == (field.data is None):
            raise ValidationError(_("Choose a campaign or a webinar (one of them)."))
