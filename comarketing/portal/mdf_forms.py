"""Forms of the portal's MDF pages: shape only. The cap, the budget's remainder, the order of
the dates and when a claim is allowed are the services' rules (``mdf.services``); their
refusals come back on these forms' fields."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from comarketing.campaigns.channels import CHANNELS
from comarketing.core.forms import money_field
from comarketing.core.urls import MAX_URL_LENGTH

MAX_LEADS = 1_000_000
ACTIVITY_LENGTH = 300  # MdfRequest.activity
COMMENT_LENGTH = 5000


class MdfRequestForm(FlaskForm):
    """``POST /portal/mdf``: the activity the partner asks the vendor to co-fund."""

    activity = StringField(
        _l("Activity"),
        validators=[DataRequired(), Length(max=ACTIVITY_LENGTH)],
        description=_l("What you will run, e.g. a VK Ads campaign for Bitrix24 clients."),
    )
    channel = SelectField(_l("Channel"), choices=[])
    starts_on = DateField(_l("Starts"), validators=[InputRequired()])
    ends_on = DateField(_l("Ends"), validators=[InputRequired()])
    planned_cost = money_field(_l("Planned cost, RUB"), InputRequired())
    requested_amount = money_field(
        _l("Requested amount, RUB"),
        InputRequired(),
        description=_l("At most the vendor's share of the planned cost."),
    )
    planned_leads = IntegerField(
        _l("Planned leads"), validators=[InputRequired(), NumberRange(min=1, max=MAX_LEADS)]
    )
    landing_url = URLField(
        _l("Landing page"),
        validators=[DataRequired(), Length(max=MAX_URL_LENGTH)],
        description=_l("The funded link will lead there, with UTM parameters added."),
    )
    submit = SubmitField(_l("Submit the request"))

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.channel.choices = [SelectChoice(code, name) for code, name in CHANNELS.items()]

    def values(self) -> dict[str, Any]:
        """The fields as ``submit_request`` takes them; the view adds the partner and user."""
        return {
            "activity": self.activity.data or "",
            "channel": self.channel.data,
            "starts_on": self.starts_on.data,
            "ends_on": self.ends_on.data,
            "planned_cost": self.planned_cost.data,
            "requested_amount": self.requested_amount.data,
            "planned_leads": self.planned_leads.data,
            "landing_url": (self.landing_url.data or "").strip(),
        }


class MdfClaimForm(FlaskForm):
    """``POST /portal/mdf/<id>/claim``: what the activity really cost, and a word about it."""

    actual_cost = money_field(_l("Actual cost, RUB"), InputRequired())
    comment = TextAreaField(_l("Comment"), validators=[Length(max=COMMENT_LENGTH)])
    submit = SubmitField(_l("Submit the claim"))
