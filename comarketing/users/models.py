"""People who log in (staff and partner users) and the tokens that act for them."""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from comarketing.core.auth import Role
from comarketing.core.db import UTCDateTime, str_enum
from comarketing.core.time import utcnow
from comarketing.extensions import Model

if TYPE_CHECKING:
    from comarketing.partners.models import Partner


class TokenScope(StrEnum):
    FULL = "full"  # everything the user's role may do
    INTAKE = "intake"  # landing pages: create leads and webinar registrations only
    CALLS = "calls"  # a telephony platform: post calls only


class UserTokenPurpose(StrEnum):
    INVITE = "invite"
    RESET = "reset"


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, Model):
    """A login. Partner users belong to exactly one partner and see only its data."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role != 'partner' OR partner_id IS NOT NULL", name="partner_has_partner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    # None until an invited user sets a password.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"))
    partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("partners.id", ondelete="RESTRICT"), index=True
    )
    locale: Mapped[str | None] = mapped_column(String(5))
    active: Mapped[bool] = mapped_column(default=True)
    # Rotated on password change so that every other session is logged out.
    session_token: Mapped[str] = mapped_column(String(40), unique=True, default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    partner: Mapped[Partner | None] = relationship(back_populates="users")
    api_tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    def get_id(self) -> str:
        return self.session_token

    @property
    def is_active(self) -> bool:
        """May sign in and use its tokens: the user is active, and so is its partner."""
        return self.active and (self.partner is None or self.partner.active)

    @property
    def is_partner(self) -> bool:
        return self.role == Role.PARTNER

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"


class ApiToken(Model):
    """A bearer token for ``/api/v1``; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))  # shown in the UI to tell tokens apart
    scope: Mapped[TokenScope] = mapped_column(
        str_enum(TokenScope, "scope"), default=TokenScope.FULL
    )
    # Landing-page keys may require an HMAC-signed body; None: no signature required.
    signing_secret: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="api_tokens")


class UserToken(Model):
    """A one-time, expiring token for an invitation or a password reset (hash stored)."""

    __tablename__ = "user_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[UserTokenPurpose] = mapped_column(str_enum(UserTokenPurpose, "purpose"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
