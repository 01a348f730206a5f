"""Read queries over users."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from comarketing.extensions import db
from comarketing.users.models import User


def partner_users(partner_id: int) -> Sequence[User]:
    """The portal users of a partner, invited ones (no password yet) included."""
    return db.session.scalars(
        select(User).where(User.partner_id == partner_id).order_by(User.created_at, User.id)
    ).all()
