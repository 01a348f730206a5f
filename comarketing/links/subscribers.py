"""Links follow the plans: partners of a new campaign with a landing page and new co-hosts of a
webinar get their tracked links; a slug on issued links cannot change."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from sqlalchemy import exists, select

from comarketing.campaigns.models import Campaign
from comarketing.campaigns.signals import campaign_created
from comarketing.core.errors import Conflict
from comarketing.extensions import db
from comarketing.links.models import TrackedLink
from comarketing.links.services import issue_link
from comarketing.partners.models import Partner
from comarketing.partners.signals import slug_changing
from comarketing.webinars.models import Webinar
from comarketing.webinars.services.webinars import registration_url
from comarketing.webinars.signals import hosts_added


def issue_campaign_links(
    campaign: Campaign, *, partners: Sequence[Partner], created_by_id: int | None
) -> None:
    if not campaign.landing_url:
        return
    for partner in partners:
        issue_link(
            partner=partner,
            campaign=campaign,
            destination_url=campaign.landing_url,
            label=campaign.name,
            created_by_id=created_by_id,
        )


def issue_registration_links(
    webinar: Webinar, *, partners: Sequence[Partner], created_by_id: int | None
) -> None:
    for partner in partners:
        issue_link(
            partner=partner,
            webinar=webinar,
            destination_url=registration_url(webinar),
            label=webinar.title,
            created_by_id=created_by_id,
        )


def refuse_slug_on_links(partner: Partner, *, new_slug: str) -> None:
    """The slug is ``utm_source`` of the partner's links already out in the world."""
    if db.session.scalar(select(exists().where(TrackedLink.partner_id == partner.id))):
        raise Conflict(_("The slug cannot change: tracked links already use it."))


def subscribe() -> None:
    """Connect the receivers (``create_app``; connecting twice changes nothing)."""
    campaign_created.connect(issue_campaign_links)
    hosts_added.connect(issue_registration_links)
    slug_changing.connect(refuse_slug_on_links)
