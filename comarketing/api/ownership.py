"""The API's half of the one access rule: an object in the URL that the caller's partner may
not see is answered 404 before the resource runs, so neither its body's validation nor its
permission check can tell a partner that another partner's object exists."""

from __future__ import annotations

from collections.abc import Callable

from flask import request
from flask_babel import gettext as _
from sqlalchemy import select

from comarketing.api.auth import actor
from comarketing.campaigns.models import Campaign
from comarketing.campaigns.queries import campaigns_query
from comarketing.core.db import AnySelect
from comarketing.core.errors import NotFound
from comarketing.extensions import db
from comarketing.leads.models import Lead
from comarketing.leads.queries import leads_query
from comarketing.links.models import TrackedLink
from comarketing.links.queries import links_query
from comarketing.mdf.models import MdfClaim, MdfRequest
from comarketing.mdf.queries import claims_query, requests_query
from comarketing.partners.models import Partner
from comarketing.partners.queries import partners_query
from comarketing.users.models import User
from comarketing.webinars.models import Webinar
from comarketing.webinars.queries import webinars_query

# URL argument → the query of that object as the user may see it (the domains' scoped queries).
VISIBLE: dict[str, Callable[[User, int], AnySelect]] = {
    "partner_id": lambda user, id_: partners_query(user).where(Partner.id == id_),
    "campaign_id": lambda user, id_: campaigns_query(user).where(Campaign.id == id_),
    "webinar_id": lambda user, id_: webinars_query(user).where(Webinar.id == id_),
    "link_id": lambda user, id_: links_query(user).where(TrackedLink.id == id_),
    "lead_id": lambda user, id_: leads_query(user).where(Lead.id == id_),
    "request_id": lambda user, id_: requests_query(user).where(MdfRequest.id == id_),
    "claim_id": lambda user, id_: claims_query(user).where(MdfClaim.id == id_),
}


def hide_foreign_objects() -> None:
    """404 for a partner token naming an object outside its partner (staff see everything)."""
    user = actor()
    if not user.is_partner:
        return
    for name, value in (request.view_args or {}).items():
        visible = VISIBLE.get(name)
        if visible is None or not isinstance(value, int):
            continue
        if db.session.scalar(select(visible(user, value).exists())) is not True:
            raise NotFound(_("Nothing was found at this address."))
