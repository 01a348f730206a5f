"""Portal reads of links: the figures of a page of the partner's own links in one query, and
the campaigns and webinars the partner may issue itself a link for (with their one landing).

Every statement goes through ``portal.access``: another partner's links, campaigns and
webinars never reach a portal page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, union

from comarketing.campaigns.models import Campaign, CampaignPartner
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.leads.models import Conversion, Touchpoint
from comarketing.links.models import Click, TrackedLink
from comarketing.links.utm import utm_value
from comarketing.portal.access import own, own_via
from comarketing.webinars.models import Webinar, WebinarHost, WebinarStatus
from comarketing.webinars.services.webinars import has_ended, registration_url

RECENT_DAYS = 30
# A webinar lasts at most a day, so one that started earlier has ended (see ``has_ended``).
OPEN_WEBINAR_LOOKBACK = timedelta(days=1)


@dataclass(frozen=True)
class LinkFigures:
    """A link's figures; bots never count (contract §4)."""

    clicks: int  # human clicks, all time, no de-duplication
    recent_clicks: int  # human clicks of the last ``RECENT_DAYS`` days
    leads: int  # distinct leads touched or converted through the link (``link_leads_count``)


NO_FIGURES = LinkFigures(0, 0, 0)


def link_figures(link_ids: Sequence[int], *, now: datetime | None = None) -> dict[int, LinkFigures]:
    """``{link_id: LinkFigures}`` of the current partner's links among ``link_ids``, in one
    statement (clicks and leads aggregated per link in SQL). Leads follow the staff page's
    rule: a touchpoint through the link, or a conversion carrying one of its clicks."""
    if not link_ids:
        return {}
    since = (now or utcnow()) - timedelta(days=RECENT_DAYS)
    human = Click.is_bot.is_(False)
    clicks = (
        select(
            Click.link_id.label("link_id"),
            func.count(Click.id).filter(human).label("clicks"),
            func.count(Click.id).filter(human, Click.clicked_at >= since).label("recent"),
        )
        .where(Click.link_id.in_(link_ids))
        .group_by(Click.link_id)
        .subquery()
    )
    touched = select(
        Touchpoint.link_id.label("link_id"), Touchpoint.lead_id.label("lead_id")
    ).where(Touchpoint.link_id.in_(link_ids), Touchpoint.lead_id.is_not(None))
    converted = (
        select(Click.link_id.label("link_id"), Conversion.lead_id.label("lead_id"))
        .join(Click, Click.id == Conversion.click_id)
        .where(Click.link_id.in_(link_ids))
    )
    pairs = union(touched, converted).subquery()  # UNION: each lead once per link
    leads = (
        select(pairs.c.link_id, func.count().label("leads")).group_by(pairs.c.link_id).subquery()
    )
    stmt = own(
        select(
            TrackedLink.id,
            func.coalesce(clicks.c.clicks, 0),
            func.coalesce(clicks.c.recent, 0),
            func.coalesce(leads.c.leads, 0),
        )
        .outerjoin(clicks, clicks.c.link_id == TrackedLink.id)
        .outerjoin(leads, leads.c.link_id == TrackedLink.id)
        .where(TrackedLink.id.in_(link_ids)),
        TrackedLink.partner_id,
    )
    return {row[0]: LinkFigures(*row[1:]) for row in db.session.execute(stmt)}


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


def link_targets(now: datetime | None = None) -> list[LinkTarget]:
    """The current partner's campaigns with a landing page (newest first), then its webinars
    whose registration is still open (soonest first)."""
    now = now or utcnow()
    campaigns = own_via(
        select(Campaign.id, Campaign.name, Campaign.landing_url).where(
            Campaign.landing_url.is_not(None), Campaign.landing_url != ""
        ),
        Campaign.id,
        CampaignPartner.campaign_id,
        CampaignPartner.partner_id,
    ).order_by(Campaign.starts_on.desc(), Campaign.id.desc())
    webinars = own_via(
        select(Webinar).where(
            Webinar.status == WebinarStatus.SCHEDULED,
            Webinar.starts_at >= now - OPEN_WEBINAR_LOOKBACK,
        ),
        Webinar.id,
        WebinarHost.webinar_id,
        WebinarHost.partner_id,
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


def same_link(target: LinkTarget, content: str | None, term: str | None) -> int | None:
    """The id of the partner's link already made for this target, landing and UTM values
    (compared as the link service stores them: ``"Баннер №1"`` → ``"banner-no1"``)."""
    utm_content = (utm_value(content) or None) if content else None
    utm_term = (utm_value(term) or None) if term else None
    stmt = own(
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
    )
    return db.session.scalar(stmt.order_by(TrackedLink.id).limit(1))
