"""Partner forms (shape only; uniqueness and slug rules live in the services)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, EmailField, SearchField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, Regexp


class PartnerFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    q = SearchField(_l("Search"), validators=[Optional(), Length(max=100)])
    segment = SelectField(_l("Segment"), choices=[], validate_choice=False)
    tier = SelectField(_l("Tier"), choices=[], validate_choice=False)


class PartnerForm(FlaskForm):
    name = StringField(_l("Company name"), validators=[DataRequired(), Length(max=200)])
    segment = StringField(
        _l("Segment"),
        validators=[
            DataRequired(),
            Regexp(r"^[a-z0-9_]{2,40}$", message=_l("Use a-z, 0-9 and _.")),
        ],
    )
    slug = StringField(
        _l("Slug (utm_source)"),
        description=_l(
            "Leave empty to transliterate the name. It cannot change once links use it."
        ),
        validators=[Optional(), Length(max=60)],
    )
    tier = StringField(_l("Tier"), validators=[Optional(), Length(max=20)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Email(), Length(max=254)])
    commission_rate = DecimalField(
        _l("Commission rate"),
        places=None,
        default=None,
        validators=[Optional(), NumberRange(min=0, max=1)],
        description=_l("A share of the client's payments, e.g. 0.50."),
    )
    submit = SubmitField(_l("Save"))
