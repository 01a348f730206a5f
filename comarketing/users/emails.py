"""Rendering the e-mails of invitations and password resets, in the recipient's language."""

from __future__ import annotations

from email.message import EmailMessage

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from comarketing.core.outbox import OutboxMessage
from comarketing.core.urls import public_url
from comarketing.extensions import db
from comarketing.users.models import User, UserTokenPurpose


def render(message: OutboxMessage) -> EmailMessage | None:
    user = db.session.get(User, message.payload["user_id"])
    if user is None or not user.active or "token" not in message.payload:
        return None  # nobody to write to, or the link was dropped after a send (ask anew)
    kind = message.topic.removeprefix("user.")
    invite = kind == UserTokenPurpose.INVITE
    path = "/invite/" if invite else "/password/reset/"
    with force_locale(message.payload.get("locale") or "ru"):
        email = EmailMessage()
        email["To"] = user.email
        email["Subject"] = (
            _("Your access to the partner portal") if invite else _("Reset your password")
        )
        email.set_content(
            render_template(
                f"emails/user_{kind}.txt",
                user=user,
                partner=user.partner,
                url=public_url(path + message.payload["token"]),
            )
        )
    return email
