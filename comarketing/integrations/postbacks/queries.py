"""Reads of postback endpoints, scoped by the one access rule (a partner sees its own)."""

from __future__ import annotations

from sqlalchemy import select

from comarketing.core.auth import scope_to_partner
from comarketing.core.db import AnySelect
from comarketing.integrations.postbacks.models import PostbackEndpoint
from comarketing.users.models import User


def endpoints_query(user: User, *, partner_id: int | None = None) -> AnySelect:
    """Endpoints the user may see (a partner: its own; staff: every partner's), unordered
    (the API pages by id); ``partner_id``: of one partner."""
    stmt = scope_to_partner(select(PostbackEndpoint), PostbackEndpoint.partner_id, user)
    if partner_id is not None:
        stmt = stmt.where(PostbackEndpoint.partner_id == partner_id)
    return stmt


def visible_endpoint_query(user: User, endpoint_id: int) -> AnySelect:
    """The endpoint ``endpoint_id`` if ``user`` may see it (else the query finds nothing)."""
    return endpoints_query(user).where(PostbackEndpoint.id == endpoint_id)
