"""Partner filters (shape only)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SearchField, SelectField
from wtforms.validators import Length, Optional


class PartnerFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    q = SearchField(_l("Search"), validators=[Optional(), Length(max=100)])
    segment = SelectField(_l("Segment"), choices=[], validate_choice=False)
