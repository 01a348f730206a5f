"""What a partner may issue itself a link for: the campaigns it takes part in that have a
landing page and the webinars it co-hosts whose registration is open, each with the one landing
its links may lead to; and the link it already has for the same target and UTM values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from comarketing.campaigns.models import Campaign, CampaignPartner
from comarketing.core.auth import scope_to_partner, scope_to_partner_via
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.links.models import TrackedLink
from comarketing.links.utm import utm_value
from comarketing.users.models import User
from comarketing.webinars.models import Webinar, WebinarHost, WebinarStatus
from comarketing.webinars.services.webinars import has_ended, registration_url

# A webinar lasts at most a day, so one that started earlier has ended (see ``has_ended``).
OPEN_WEBINAR_LOOKBACK = timedelta(days=1)


@dataclass(frozen=True)
class LinkTarget:
    """A campaign or webinar the partner takes part in, and the one landing its links may
    lead to: the campaign's ``landing_url``, the webinar's public registration page."""

    kind: str  # "campaign" or "webinar"
    id: int
    name: str
    landing: str

    @property
    def key(self) -> str:
        """The value of the form's choice: ``campaign-12``, ``webinar-5``."""
        return f"{self.kind}-{self.id}"


def link_targets(user: User, now: datetime | None = None) -> list[LinkTarget]:
    """The campaigns ``user``'s partner takes part in with a landing page (newest first), then
    the webinars it co-hosts whose registration is still open (soonest first)."""
    now = now or utcnow()
    campaigns = scope_to_partner_via(
        select(Campaign.id, Campaign.name, Campaign.landing_url).where(
            Campaign.landing_url.is_not(None), Campaign.landing_url != ""
        ),
        Campaign.id,
        CampaignPartner.campaign_id,
        CampaignPartner.partner_id,
        user,
    ).order_by(Campaign.starts_on.desc(), Campaign.id.desc())
    webinars = scope_to_partner_via(
        select(Webinar).where(
            Webinar.status == WebinarStatus.SCHEDULED,
            Webinar.starts_at >= now - OPEN_WEBINAR_LOOKBACK,
        ),
        Webinar.id,
        WebinarHost.webinar_id,
        WebinarHost.partner_id,
        user,
    ).order_by(Webinar.starts_at, Webinar.id)
    targets = [
        LinkTarget("campaign", id_, name, landing)
        for id_, name, landing in db.session.execute(campaigns)
    ]
    targets += [
        LinkTarget("webinar", webinar.id, webinar.title, registration_url(webinar))
        for webinar in db.session.scalars(webinars)
        if not has_ended(webinar, now)
    ]
    return targets


def same_link(user: User, target: LinkTarget, content: str | None, term: str | None) -> int | None:
    """The id of ``user``'s partner's link already made for this target, landing and UTM values
    (compared as the link service stores them: ``"Баннер №1"`` → ``"banner-no1"``)."""
    utm_content = (utm_value(content) or None) if content else None
    utm_term = (utm_value(term) or None) if term else None
    stmt = scope_to_partner(
        select(TrackedLink.id).where(
            TrackedLink.destination_url == target.landing,
            (TrackedLink.campaign_id if target.kind == "campaign" else TrackedLink.webinar_id)
            == target.id,
            TrackedLink.utm_content.is_(None)
            if utm_content is None
            else TrackedLink.utm_content == utm_content,
            TrackedLink.utm_term.is_(None)
            if utm_term is None
            else TrackedLink.utm_term == utm_term,
        ),
        TrackedLink.partner_id,
        user,
    )
    return db.session.scalar(stmt.order_by(TrackedLink.id).limit(1))
