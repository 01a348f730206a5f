"""Issuing tracked links. Services flush; the caller commits.

Messages of the errors raised here are translated (``gettext``) like every service's: pages
show them as they are, the API answers in the caller's ``Accept-Language``.
"""

from __future__ import annotations

import secrets

from flask_babel import gettext as _
from sqlalchemy import exists, select

from comarketing.campaigns.models import Campaign, CampaignPartner
from comarketing.core.errors import ValidationFailed
from comarketing.core.urls import InvalidDestination, validate_destination
from comarketing.extensions import db
from comarketing.links.models import TrackedLink
from comarketing.links.utm import Medium, build_utm, tag_url
from comarketing.partners.models import Partner
from comarketing.webinars.models import Webinar, WebinarHost

CODE_BYTES = 6  # 8 URL-safe characters, 2^48 codes: unguessable at any realistic volume


def new_link_code() -> str:
    """A random short code not used by any link yet."""
    while True:
        code = secrets.token_urlsafe(CODE_BYTES)
        if db.session.scalar(select(TrackedLink.id).where(TrackedLink.code == code)) is None:
            return code


def issue_link(
    *,
    partner: Partner,
    destination_url: str,
    campaign: Campaign | None = None,
    webinar: Webinar | None = None,
    medium: str | None = None,
    content: str | None = None,
    term: str | None = None,
    label: str = "",
    created_by_id: int | None = None,
) -> TrackedLink:
    """Issue ``partner`` a tracked link to a validated destination for one campaign or one
    webinar; the UTM-tagged URL is computed here, once, and stored.

    The partner must take part in the campaign (``CampaignPartner``) or co-host the webinar
    (``WebinarHost``): a link of an outsider would credit it with a campaign it is not in.
    """
    if (campaign is None) == (webinar is None):
        message = _("A link belongs to exactly one campaign or one webinar.")
        raise ValidationFailed(message, fields={"campaign_id": [message]})
    if not takes_part(partner, campaign=campaign, webinar=webinar):
        message = (
            _("The partner does not take part in this campaign.")
            if campaign is not None
            else _("The partner does not co-host this webinar.")
        )
        raise ValidationFailed(message, fields={"partner_id": [message]})
    allowed_hosts = frozenset(campaign.landing_hosts.lower().split()) if campaign else frozenset()
    try:
        destination = validate_destination(destination_url, allowed_hosts)
    except InvalidDestination as error:
        message = _(error.msgid, **error.params)
        raise ValidationFailed(message, fields={"destination_url": [message]}) from None
    target = campaign or webinar
    assert target is not None
    if medium is None:
        medium = Medium.WEBINAR if webinar is not None else Medium.PARTNER
    if medium not in set(Medium):
        allowed = ", ".join(m.value for m in Medium)
        raise ValidationFailed(
            _("Unknown medium."),
            fields={"utm_medium": [_("Use one of: %(mediums)s.", mediums=allowed)]},
        )
    utm = build_utm(
        partner_slug=partner.slug,
        campaign_slug=target.slug,
        target_id=target.id,
        medium=medium,
        content=content,
        term=term,
    )
    link = TrackedLink(
        code=new_link_code(),
        partner=partner,
        partner_id=partner.id,
        campaign_id=campaign.id if campaign else None,
        webinar_id=webinar.id if webinar else None,
        label=label,
        destination_url=destination,
        tagged_url=tag_url(destination, utm),
        utm_source=utm.source,
        utm_medium=utm.medium,
        utm_campaign=utm.campaign,
        utm_content=utm.content,
        utm_term=utm.term,
        created_by_id=created_by_id,
    )
    db.session.add(link)
    db.session.flush()
    return link


def takes_part(
    partner: Partner, *, campaign: Campaign | None = None, webinar: Webinar | None = None
) -> bool:
    """Whether ``partner`` is one of the campaign's partners or the webinar's co-hosts."""
    if campaign is not None:
        condition = exists().where(
            CampaignPartner.campaign_id == campaign.id, CampaignPartner.partner_id == partner.id
        )
    elif webinar is not None:
        condition = exists().where(
            WebinarHost.webinar_id == webinar.id, WebinarHost.partner_id == partner.id
        )
    else:
        return False
    return bool(db.session.scalar(select(condition)))


def issue_link_by_ids(
    *,
    partner_id: int,
    destination_url: str,
    campaign_id: int | None = None,
    webinar_id: int | None = None,
    utm_medium: str | None = None,
    utm_content: str | None = None,
    utm_term: str | None = None,
    label: str = "",
    created_by_id: int | None = None,
) -> TrackedLink:
    """``issue_link`` for ids as the API and the form send them; unknown ids are a 422 on
    their field."""
    partner = db.session.get(Partner, partner_id)
    if partner is None:
        message = _("No partner with this id.")
        raise ValidationFailed(message, fields={"partner_id": [message]})
    campaign = db.session.get(Campaign, campaign_id) if campaign_id is not None else None
    if campaign_id is not None and campaign is None:
        message = _("No campaign with this id.")
        raise ValidationFailed(message, fields={"campaign_id": [message]})
    webinar = db.session.get(Webinar, webinar_id) if webinar_id is not None else None
    if webinar_id is not None and webinar is None:
        message = _("No webinar with this id.")
        raise ValidationFailed(message, fields={"webinar_id": [message]})
    return issue_link(
        partner=partner,
        destination_url=destination_url,
        campaign=campaign,
        webinar=webinar,
        medium=utm_medium or None,
        content=utm_content,
        term=utm_term,
        label=label.strip(),
        created_by_id=created_by_id,
    )
