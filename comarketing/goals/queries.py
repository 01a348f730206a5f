"""Reading targets as a user may: they are the program's, so partners see none."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import false, select

from comarketing.core.db import AnySelect
from comarketing.goals.models import KpiTarget

if TYPE_CHECKING:
    from comarketing.users.models import User


def targets_query(user: User, *, active: bool | None = None) -> AnySelect:
    """Every target for staff (``active`` filters), none for a partner user."""
    stmt = select(KpiTarget)
    if user.is_partner:
        return stmt.where(false())
    if active is not None:
        stmt = stmt.where(KpiTarget.active.is_(active))
    return stmt


def active_targets() -> AnySelect:
    """The targets the dashboard shows, in the order they were set."""
    return select(KpiTarget).where(KpiTarget.active.is_(True)).order_by(KpiTarget.id)
