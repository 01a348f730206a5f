"""The e-mail that tells a partner's people of a tier move, in the recipient's language."""

from __future__ import annotations

from email.message import EmailMessage

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from comarketing.core.outbox import OutboxMessage
from comarketing.core.urls import public_url
from comarketing.extensions import db
from comarketing.partners.models import Partner
from comarketing.tiers.models import TierMove
from comarketing.users.models import User


def render(message: OutboxMessage) -> EmailMessage | None:
    move = db.session.get(TierMove, message.payload["move_id"])
    user = db.session.get(User, message.payload["user_id"])
    if move is None or user is None or not user.active or user.partner_id != move.partner_id:
        return None
    partner = db.session.get_one(Partner, move.partner_id)
    with force_locale(user.locale or "ru"):
        email = EmailMessage()
        email["To"] = user.email
        email["Subject"] = (
            _("Your partner tier is now %(tier)s", tier=move.to_tier)
            if move.to_tier
            else _("Your partner tier has changed")
        )
        email.set_content(
            render_template(
                "emails/tier_moved.txt",
                user=user,
                partner=partner,
                move=move,
                url=public_url("/portal"),
            )
        )
    return email
