"""Choices for select fields, built from the database (forms themselves never query)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from comarketing.campaigns.channels import CHANNELS
from comarketing.campaigns.models import Campaign
from comarketing.extensions import db
from comarketing.partners.models import Partner


def partner_choices(*, blank: str | None = None) -> list[SelectChoice]:
    """Active partners by name; ``blank`` adds a "none" entry with value 0."""
    rows = db.session.execute(
        select(Partner.id, Partner.name).where(Partner.active.is_(True)).order_by(Partner.name)
    )
    choices = [SelectChoice(partner_id, name) for partner_id, name in rows]
    return ([SelectChoice(0, blank)] if blank is not None else []) + choices


def campaign_choices() -> list[SelectChoice]:
    rows = db.session.execute(
        select(Campaign.id, Campaign.name).order_by(Campaign.starts_on.desc())
    )
    return [SelectChoice(0, _("— no campaign —"))] + [SelectChoice(cid, name) for cid, name in rows]


def channel_choices() -> list[SelectChoice]:
    return [SelectChoice(code, str(label)) for code, label in CHANNELS.items()]
