"""The API's half of the one access rule: an object in the URL that the caller's partner may
not see is answered 404 before the resource runs, so neither its body's validation nor its
permission check can tell a partner that another partner's object exists."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import request
from flask_babel import gettext as _
from sqlalchemy import select

from comarketing.api.auth import actor
from comarketing.calls.models import Call, CallNumber
from comarketing.calls.queries import calls_query, numbers_query
from comarketing.campaigns.models import Campaign
from comarketing.campaigns.queries import campaigns_query
from comarketing.core.db import AnySelect
from comarketing.core.errors import NotFound
from comarketing.extensions import db
from comarketing.leads.models import DealRegistration, Lead
from comarketing.leads.queries import deal_registrations_query, leads_query
from comarketing.links.models import TrackedLink
from comarketing.links.queries import links_query
from comarketing.mdf.models import MdfClaim, MdfRequest
from comarketing.mdf.queries import claims_query, requests_query
from comarketing.partners.models import Partner
from comarketing.partners.queries import partners_query
from comarketing.users.models import ApiToken, User
from comarketing.users.queries import tokens_query, users_query
from comarketing.webinars.models import Webinar
from comarketing.webinars.queries import webinars_query

T = TypeVar("T")

# Each object the API names by id → the domain's query of it as a user may see it.
SCOPED: dict[type[Any], Callable[[User], AnySelect]] = {
    Partner: partners_query,
    Campaign: campaigns_query,
    Webinar: webinars_query,
    TrackedLink: links_query,
    Lead: leads_query,
    MdfRequest: requests_query,
    MdfClaim: claims_query,
    User: users_query,  # admins only (the resources require it)
    ApiToken: tokens_query,  # an admin's all, anyone else's own
    DealRegistration: deal_registrations_query,
    CallNumber: numbers_query,
    Call: calls_query,
}
# URL argument → the object it names.
URL_OBJECTS: dict[str, type[Any]] = {
    "partner_id": Partner,
    "campaign_id": Campaign,
    "webinar_id": Webinar,
    "link_id": TrackedLink,
    "lead_id": Lead,
    "request_id": MdfRequest,
    "claim_id": MdfClaim,
    "deal_id": DealRegistration,
    "number_id": CallNumber,
    "call_pk": Call,
}


def visible_query(model: type[Any], user: User, object_id: int) -> AnySelect:
    return SCOPED[model](user).where(model.id == object_id)


def visible(model: type[T], object_id: int, message: str, *, lock: bool = False) -> T:
    """The ``model`` row ``object_id`` if the caller may see it (locked for update with
    ``lock``); 404 with ``message`` otherwise (ids of others never leak)."""
    stmt = visible_query(model, actor(), object_id)
    found: T | None = db.session.scalar(stmt.with_for_update() if lock else stmt)
    if found is None:
        raise NotFound(message)
    return found


def hide_foreign_objects() -> None:
    """404 for a partner token naming an object outside its partner (staff see everything)."""
    user = actor()
    if not user.is_partner:
        return
    for name, value in (request.view_args or {}).items():
        model = URL_OBJECTS.get(name)
        if model is None or not isinstance(value, int):
            continue
        if db.session.scalar(select(visible_query(model, user, value).exists())) is not True:
            raise NotFound(_("Nothing was found at this address."))
