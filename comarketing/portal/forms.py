"""Forms of the portal's pages.

A partner may issue itself a link only to a campaign or webinar it takes part in, and only to
that campaign's or webinar's landing: the choices come from ``links.targets.link_targets``
(already limited to the partner) and anything else is refused on its field.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from comarketing.core.urls import MAX_URL_LENGTH
from comarketing.integrations.postbacks.models import (
    COMMISSION_CREATED,
    EVENTS,
    LEAD_CREATED,
    LEAD_STATUS_CHANGED,
)
from comarketing.links.targets import LinkTarget
from comarketing.links.utm import MAX_UTM_LENGTH

LABEL_LENGTH = 200  # TrackedLink.label


class PortalLinkForm(FlaskForm):
    """``POST /portal/links``: a campaign or webinar, its landing, optional UTM details."""

    target = SelectField(_l("Campaign or webinar"), validate_choice=False)
    destination_url = SelectField(
        _l("Landing page"),
        validate_choice=False,
        validators=[Optional(), Length(max=MAX_URL_LENGTH)],
        description=_l("Links lead to the landing page of their campaign or webinar."),
    )
    utm_content = StringField(
        _l("Content (utm_content)"), validators=[Optional(), Length(max=MAX_UTM_LENGTH)]
    )
    utm_term = StringField(
        _l("Term (utm_term)"), validators=[Optional(), Length(max=MAX_UTM_LENGTH)]
    )
    label = StringField(_l("Label"), validators=[Optional(), Length(max=LABEL_LENGTH)])
    submit = SubmitField(_l("Create the link"))

    def __init__(self, targets: Sequence[LinkTarget], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.targets = {target.key: target for target in targets}
        self.target.choices = [SelectChoice("", _("Choose a campaign or webinar"))] + [
            SelectChoice(t.key, f"{_kind_label(t.kind)}: {t.name}") for t in targets
        ]
        landings = dict.fromkeys(t.landing for t in targets)  # unique, in order
        self.destination_url.choices = [
            SelectChoice("", _("The landing page of the chosen campaign or webinar"))
        ] + [SelectChoice(url, url) for url in landings]

    def validate_target(self, field: SelectField) -> None:
        if field.data not in self.targets:
            raise ValidationError(_("Choose one of your campaigns or webinars."))

    def validate_destination_url(self, field: SelectField) -> None:
        target = self.targets.get(self.target.data)
        chosen = (field.data or "").strip()
        if target is not None and chosen and chosen != target.landing:
            raise ValidationError(
                _(
                    "Links of «%(name)s» can only lead to its landing page: %(url)s",
                    name=target.name,
                    url=target.landing,
                )
            )

    def chosen(self) -> LinkTarget:
        """The validated target (call after ``validate``)."""
        return self.targets[self.target.data]


def _kind_label(kind: str) -> str:
    return _("Campaign") if kind == "campaign" else _("Webinar")


EVENT_LABELS = {
    LEAD_CREATED: _l("A new lead of yours"),
    LEAD_STATUS_CHANGED: _l("A lead's new status"),
    COMMISSION_CREATED: _l("A new commission line"),
}


class PostbackForm(FlaskForm):
    """``POST /portal/postbacks``: the endpoint's address and the events it receives (the
    address is checked by the service: http(s), not a private network)."""

    url = StringField(
        _l("Endpoint address"),
        validators=[DataRequired(), Length(max=MAX_URL_LENGTH)],
        description=_l("An https:// address of your server that accepts our POST requests."),
    )
    events = SelectMultipleField(
        _l("Events"),
        choices=[SelectChoice(event, EVENT_LABELS[event]) for event in EVENTS],
        default=list(EVENTS),
        validators=[DataRequired(_l("Choose at least one event."))],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    submit = SubmitField(_l("Add the endpoint"))


class PostbackDeleteForm(FlaskForm):
    """The delete button of an endpoint: CSRF-protected, no fields."""
