"""Creating users and tokens, checking passwords. Services flush; callers commit."""

from __future__ import annotations

import hashlib
import secrets
from functools import cache

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from comarketing.core.auth import Role
from comarketing.core.contacts import InvalidContact, normalize_email
from comarketing.core.errors import Conflict, ValidationFailed
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.partners.models import Partner
from comarketing.users.models import ApiToken, TokenScope, User, new_session_token

MIN_PASSWORD_LENGTH = 8
TOKEN_PREFIX = "cm_"  # noqa: S105 - a public marker, not a secret


@cache
def dummy_hash(method: str) -> str:
    """A hash made with the configured method, checked when the e-mail is unknown, so that a
    wrong address costs the same time as a wrong password and reveals no address."""
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def hash_secret(secret: str) -> str:
    """SHA-256 hex of a high-entropy secret (API and one-time tokens): enough, since such a
    secret cannot be guessed, and fast enough to check on every API request."""
    return hashlib.sha256(secret.encode()).hexdigest()


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def user_by_session_token(session_token: str) -> User | None:
    """The user of a login session (Flask-Login's id); None once the password changed."""
    user = db.session.scalar(select(User).where(User.session_token == session_token))
    return user if user is not None and user.is_active else None


def create_user(
    email: str,
    role: str,
    *,
    partner_slug: str | None = None,
    password: str | None = None,
    name: str = "",
) -> tuple[User, str | None]:
    """Create a login. Partner users must name their partner (by slug); staff must not.

    Returns the user and the generated password when none was given (else None).
    """
    try:
        role_value = Role(role)
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise ValidationFailed(
            _("Unknown role %(role)s; use one of: %(allowed)s.", role=repr(role), allowed=allowed),
            fields={"role": [_("Must be one of: %(allowed)s.", allowed=allowed)]},
        ) from None
    try:
        normalized = normalize_email(email)
    except InvalidContact as error:
        raise ValidationFailed(
            _("Invalid e-mail: %(error)s", error=error), fields={"email": [str(error)]}
        ) from None

    partner = None
    if role_value is Role.PARTNER:
        if not partner_slug:
            raise ValidationFailed(
                _("A partner user needs a partner (--partner SLUG)."),
                fields={"partner": [_("Required for partner users.")]},
            )
        partner = db.session.scalar(select(Partner).where(Partner.slug == partner_slug))
        if partner is None:
            raise ValidationFailed(
                _("No partner with slug %(slug)s.", slug=repr(partner_slug)),
                fields={"partner": [_("Unknown partner.")]},
            )
    elif partner_slug:
        raise ValidationFailed(
            _("Only partner users belong to a partner."),
            fields={"partner": [_("Only for the partner role.")]},
        )
    if user_by_email(normalized) is not None:
        raise Conflict(_("A user with e-mail %(email)s already exists.", email=normalized))

    generated = None
    if password is None:
        generated = password = secrets.token_urlsafe(12)
    user = User(email=normalized, role=role_value, partner=partner, name=name.strip())
    set_password(user, password)
    db.session.add(user)
    db.session.flush()
    return user, generated


def set_password(user: User, password: str) -> None:
    """Store a new password hash and rotate the session token (other sessions end)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            _("The password must have at least %(count)s characters.", count=MIN_PASSWORD_LENGTH),
            fields={"password": [_("At least %(count)s characters.", count=MIN_PASSWORD_LENGTH)]},
        )
    user.password_hash = generate_password_hash(
        password, method=current_app.config["PASSWORD_HASH_METHOD"]
    )
    user.session_token = new_session_token()


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None (same timing either way)."""
    user = user_by_email(email)
    if user is None or user.password_hash is None:
        check_password_hash(dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.is_active:
        return None
    user.last_login_at = utcnow()
    return user


def create_api_token(
    user: User, *, name: str = "", scope: str = TokenScope.FULL, signed: bool = False
) -> tuple[ApiToken, str]:
    """Issue a bearer token acting as ``user``; the plain token is returned once, only its
    hash is stored. ``signed`` tokens also need every body signed with their
    ``signing_secret`` (landing pages whose token could leak in page source)."""
    try:
        scope_value = TokenScope(scope)
    except ValueError:
        allowed = ", ".join(s.value for s in TokenScope)
        raise ValidationFailed(
            _(
                "Unknown scope %(scope)s; use one of: %(allowed)s.",
                scope=repr(scope),
                allowed=allowed,
            ),
            fields={"scope": [_("Must be one of: %(allowed)s.", allowed=allowed)]},
        ) from None
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name.strip(),
        token_hash=hash_secret(plain),
        prefix=plain[:10],
        scope=scope_value,
        signing_secret=secrets.token_urlsafe(32) if signed else None,
    )
    db.session.add(token)
    db.session.flush()
    return token, plain


def find_api_token(plain: str) -> ApiToken | None:
    """The live token for a bearer value, or None (revoked, unknown, or inactive user).

    Looked up by hash: timing of the lookup reveals nothing about a token's plain value."""
    if not plain.startswith(TOKEN_PREFIX) or len(plain) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_secret(plain)))
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    return token
