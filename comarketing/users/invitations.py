"""Invitations of partner users and password resets: one-time, expiring links by e-mail.

Only the token's hash is stored on the user's side; the plain token travels in the outbox
message that e-mails the link (it has to, to be sent) and is dropped from it once the message is
delivered or dead; the link works once.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from comarketing.core.auth import Role
from comarketing.core.contacts import InvalidContact, normalize_email
from comarketing.core.errors import Conflict, ValidationFailed
from comarketing.core.outbox import OutboxChannel, enqueue
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.partners.models import Partner
from comarketing.users.models import User, UserToken, UserTokenPurpose
from comarketing.users.services import hash_secret, set_password, user_by_email

LIFETIME = {
    UserTokenPurpose.INVITE: timedelta(days=7),
    UserTokenPurpose.RESET: timedelta(hours=2),
}


def _issue(user: User, purpose: UserTokenPurpose, locale: str) -> str:
    plain = secrets.token_urlsafe(32)
    db.session.add(
        UserToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=hash_secret(plain),
            expires_at=utcnow() + LIFETIME[purpose],
        )
    )
    enqueue(
        OutboxChannel.EMAIL,
        f"user.{purpose.value}",
        {"user_id": user.id, "token": plain, "locale": locale},
    )
    db.session.flush()
    return plain


def invite_partner_user(
    partner: Partner, email: str, name: str = "", *, locale: str = "ru"
) -> User:
    """Create a partner user without a password and e-mail them a link to set one
    (valid 7 days). Returns the user; the caller commits."""
    try:
        address = normalize_email(email)
    except InvalidContact as error:
        raise ValidationFailed(
            _("Invalid e-mail: %(error)s", error=error), fields={"email": [str(error)]}
        ) from None
    if user_by_email(address) is not None:
        raise Conflict(_("A user with e-mail %(email)s already exists.", email=address))
    user = User(email=address, name=name.strip(), role=Role.PARTNER, partner_id=partner.id)
    db.session.add(user)
    db.session.flush()
    _issue(user, UserTokenPurpose.INVITE, locale)
    return user


def start_password_reset(email: str, *, locale: str = "ru") -> None:
    """E-mail a reset link (valid 2 hours) if the address belongs to an active user; say
    nothing either way, so addresses cannot be probed."""
    user = user_by_email(email)
    if user is not None and user.active:
        _issue(user, UserTokenPurpose.RESET, locale)


def valid_token(plain: str, purpose: UserTokenPurpose) -> UserToken | None:
    """The unused, unexpired token of this purpose, or None."""
    if not plain or len(plain) > 100:
        return None
    token = db.session.scalar(
        select(UserToken).where(
            UserToken.token_hash == hash_secret(plain), UserToken.purpose == purpose
        )
    )
    if token is None or token.used_at is not None or token.expires_at <= utcnow():
        return None
    return token


def use_token(token: UserToken, password: str) -> User:
    """Set the password through a one-time link; the link is spent and other sessions end."""
    user = db.session.get(User, token.user_id)
    assert user is not None
    set_password(user, password)
    token.used_at = utcnow()
    db.session.flush()
    return user
