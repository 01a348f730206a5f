"""Taking access away and giving it back: deactivating users, changing roles, revoking API
tokens, ending sessions on the server. Services flush; callers commit.

A login session carries the user's ``session_token`` (Flask-Login's id): rotating it ends every
open session of that user at its next request, remember-me cookies included.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.orm import Session

from comarketing.core.auth import Role
from comarketing.core.errors import Conflict, ValidationFailed
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.users.models import ApiToken, User, new_session_token

# ``last_used_at`` of a token is written at most this often: the API stays free of a write
# per request, and "last used" is still exact to a few minutes.
LAST_USED_PRECISION = timedelta(minutes=5)


def end_sessions(user: User) -> None:
    """Log ``user`` out everywhere: each open session ends at its next request."""
    user.session_token = new_session_token()
    db.session.flush()


def set_active(user: User, active: bool) -> User:
    """Deactivate (no login, sessions end, tokens answer 401) or reactivate a user; an old
    session does not come back with reactivation."""
    if user.active and not active:
        user.session_token = new_session_token()
    user.active = active
    db.session.flush()
    return user


def change_role(user: User, role: str) -> User:
    """Move a staff user between staff roles. A partner user stays a partner user and staff
    stay staff: who belongs to a partner is decided when the login is created."""
    try:
        new_role = Role(role)
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise ValidationFailed(
            _("Unknown role %(role)s.", role=repr(role)),
            fields={"role": [_("Must be one of: %(allowed)s.", allowed=allowed)]},
        ) from None
    if (new_role is Role.PARTNER) != (user.role is Role.PARTNER):
        raise ValidationFailed(
            _("A partner user cannot become staff, nor staff a partner user."),
            fields={"role": [_("Create a new login for the other side.")]},
        )
    if new_role is not user.role:
        user.role = new_role
        user.session_token = new_session_token()  # pages open under the old role end
    db.session.flush()
    return user


def update_account(user: User, changes: dict[str, object], *, by: User) -> User:
    """An admin changes ``active`` and ``role`` of a login; never its own (an admin cannot
    lock itself out, another admin can)."""
    if user.id == by.id and (
        changes.get("active") is False or changes.get("role") not in (None, user.role)
    ):
        raise Conflict(
            _("You cannot take your own access away; ask another admin."), code="own_access"
        )
    if "role" in changes and changes["role"] is not None:
        change_role(user, str(changes["role"]))
    if "active" in changes and changes["active"] is not None:
        set_active(user, bool(changes["active"]))
    return user


def revoke_token(token: ApiToken, now: datetime | None = None) -> ApiToken:
    """The token answers 401 from now on (revoking twice keeps the first time)."""
    if token.revoked_at is None:
        token.revoked_at = now or utcnow()
    db.session.flush()
    return token


def token_use_due(token: ApiToken, now: datetime) -> bool:
    """Whether ``last_used_at`` is to be written now (at most every ``LAST_USED_PRECISION``)."""
    return token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION


def record_token_use(session: Session, token_id: int, now: datetime) -> None:
    """Write the token's last use in ``session`` (a read's own transaction: an API GET still
    commits nothing of its own)."""
    session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))
