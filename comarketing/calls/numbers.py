"""Tracking numbers: a partner's static number for one of its activities, or a number of the
dynamic pool (contract §10). Services flush; callers commit."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from comarketing.calls.models import CallNumber, NumberKind
from comarketing.campaigns.models import Campaign
from comarketing.core.contacts import InvalidContact, normalize_phone
from comarketing.core.errors import Problems
from comarketing.extensions import db
from comarketing.partners.models import Partner
from comarketing.webinars.models import Webinar


def tracking_number(raw: str) -> str:
    """A number however it was typed, in E.164; ``InvalidContact`` when it cannot be one."""
    return normalize_phone(raw)


def add_number(
    *,
    number: str,
    partner_id: int | None = None,
    campaign_id: int | None = None,
    webinar_id: int | None = None,
    mdf_request_id: int | None = None,
    pool: bool = False,
    mdf_request_partner_id: int | None = None,
) -> CallNumber:
    """Add a tracking number. Static: ``partner_id`` and exactly one of ``campaign_id``,
    ``webinar_id``, ``mdf_request_id`` (whose partner the caller looked up, as
    ``mdf_request_partner_id``: an MDF request stands above calls). Pool: ``pool`` and
    nothing else. Every problem is reported at once (422)."""
    problems = Problems()
    clean = None
    try:
        clean = tracking_number(number)
    except InvalidContact as error:
        problems.add("number", str(error))
    if clean is not None and db.session.scalar(
        select(CallNumber.id).where(CallNumber.number == clean)
    ):
        problems.add("number", _("This number is already a tracking number."))
    activities = [value for value in (campaign_id, webinar_id, mdf_request_id) if value is not None]
    if pool:
        if partner_id is not None or activities:
            problems.add("pool", _("A pool number belongs to no partner and no activity."))
    else:
        if partner_id is None:
            problems.add("partner_id", _("A static number needs its partner."))
        elif db.session.get(Partner, partner_id) is None:
            problems.add("partner_id", _("Unknown partner."))
        if len(activities) != 1:
            problems.add(
                "campaign_id",
                _("Give exactly one of a campaign, a webinar or an MDF request."),
            )
        if campaign_id is not None and db.session.get(Campaign, campaign_id) is None:
            problems.add("campaign_id", _("No such campaign."))
        if webinar_id is not None and db.session.get(Webinar, webinar_id) is None:
            problems.add("webinar_id", _("No such webinar."))
        if mdf_request_id is not None and mdf_request_partner_id != partner_id:
            problems.add("mdf_request_id", _("No such MDF request of this partner."))
    problems.raise_if_any(_("The tracking number cannot be added."))
    assert clean is not None
    row = CallNumber(
        number=clean,
        kind=NumberKind.POOL if pool else NumberKind.STATIC,
        partner_id=None if pool else partner_id,
        campaign_id=campaign_id,
        webinar_id=webinar_id,
        mdf_request_id=mdf_request_id,
    )
    db.session.add(row)
    db.session.flush()
    return row
