"""Issuing tracked links. Services flush; the caller commits."""

from __future__ import annotations

import secrets

from sqlalchemy import select

from comarketing.campaigns.models import Campaign
from comarketing.core.errors import ValidationFailed
from comarketing.extensions import db
from comarketing.links.models import TrackedLink
from comarketing.links.utm import (
    InvalidDestination,
    Medium,
    build_utm,
    tag_url,
    validate_destination,
)
from comarketing.partners.models import Partner
from comarketing.webinars.models import Webinar

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
    webinar; the UTM-tagged URL is computed here, once, and stored."""
    if (campaign is None) == (webinar is None):
        raise ValidationFailed(
            "A link belongs to exactly one campaign or one webinar.",
            fields={"campaign_id": ["Give a campaign or a webinar, not both."]},
        )
    allowed_hosts = frozenset(campaign.landing_hosts.lower().split()) if campaign else frozenset()
    try:
        destination = validate_destination(destination_url, allowed_hosts)
    except InvalidDestination as error:
        raise ValidationFailed(str(error), fields={"destination_url": [str(error)]}) from None
    target = campaign or webinar
    assert target is not None
    if medium is None:
        medium = Medium.WEBINAR if webinar is not None else Medium.PARTNER
    if medium not in set(Medium):
        allowed = ", ".join(m.value for m in Medium)
        raise ValidationFailed(
            f"Unknown medium {medium!r}.", fields={"utm_medium": [f"Use one of: {allowed}."]}
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
