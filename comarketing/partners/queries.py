"""Read queries over partners, already scoped to what the user may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, select
from wtforms.fields.choices import SelectChoice

from comarketing.core.auth import scope_to_partner
from comarketing.core.db import AnySelect
from comarketing.extensions import db
from comarketing.partners.models import Partner

if TYPE_CHECKING:
    from comarketing.users.models import User


def partners_query(
    user: User,
    *,
    segment: str | None = None,
    tier: str | None = None,
    search: str | None = None,
    active: bool | None = None,
) -> AnySelect:
    """Partners ``user`` may see, filtered; a partner user sees only its own partner."""
    stmt = scope_to_partner(select(Partner), Partner.id, user)
    if segment:
        stmt = stmt.where(Partner.segment == segment.lower())
    if tier:
        stmt = stmt.where(Partner.tier == tier)
    if active is not None:
        stmt = stmt.where(Partner.active.is_(active))
    if search and search.strip():
        term = search.strip().lower()
        stmt = stmt.where(
            func.lower(Partner.name).contains(term, autoescape=True)
            | Partner.slug.contains(term, autoescape=True)
        )
    return stmt


def segments() -> AnySelect:
    """Segments with their number of partners, for filters and the dashboard."""
    return (
        select(Partner.segment, func.count(Partner.id).label("partners"))
        .group_by(Partner.segment)
        .order_by(Partner.segment)
    )


def partner_choices(*, blank: str | None = None) -> list[SelectChoice]:
    """Active partners by name; ``blank`` adds a "none" entry with value 0."""
    rows = db.session.execute(
        select(Partner.id, Partner.name).where(Partner.active.is_(True)).order_by(Partner.name)
    )
    choices = [SelectChoice(partner_id, name) for partner_id, name in rows]
    return ([SelectChoice(0, blank)] if blank is not None else []) + choices
