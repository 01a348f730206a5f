"""``/portal/calls``: the calls credited to the partner (callers masked: the partner sees that a
client called, not who, until the lead is its own in the CRM) and its static tracking numbers.

Every read goes through the one access rule (``calls_query``/``numbers_query`` of the partner
user see its own rows only)."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from comarketing.calls.models import Call, CallNumber
from comarketing.calls.queries import calls_query, mask_phone, numbers_query
from comarketing.campaigns.models import Campaign
from comarketing.core.paging import paginate
from comarketing.extensions import db
from comarketing.portal.blueprint import bp
from comarketing.webinars.models import Webinar

PER_PAGE = 50


@bp.get("/calls")
def calls() -> str:
    numbers = db.session.scalars(numbers_query(current_user).order_by(CallNumber.id)).all()
    page = paginate(
        calls_query(current_user).order_by(Call.started_at.desc(), Call.id.desc()), PER_PAGE
    )
    campaign_ids = {n.campaign_id for n in numbers} | {c.campaign_id for c in page.items}
    webinar_ids = {n.webinar_id for n in numbers} | {c.webinar_id for c in page.items}
    campaigns = dict(
        db.session.execute(
            db.select(Campaign.id, Campaign.name).where(Campaign.id.in_(campaign_ids - {None}))
        ).all()
    )
    webinars = dict(
        db.session.execute(
            db.select(Webinar.id, Webinar.title).where(Webinar.id.in_(webinar_ids - {None}))
        ).all()
    )
    return render_template(
        "portal/calls.html",
        numbers=numbers,
        calls=page,
        campaigns=campaigns,
        webinars=webinars,
        mask=mask_phone,
    )
