"""What brought a person: the click behind a ``cmclid``, the visitor's other clicks, UTM values,
offline touches waiting for the e-mail. Each becomes a ``Touchpoint`` of the lead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from comarketing.campaigns.channels import WEBINAR_CHANNEL
from comarketing.campaigns.models import Campaign
from comarketing.extensions import db
from comarketing.leads.models import Lead, TouchKind, Touchpoint
from comarketing.links.clickid import click_id_key, decode_click_id
from comarketing.links.floods import is_flood
from comarketing.links.models import Click, TrackedLink, Visitor
from comarketing.partners.models import Partner
from comarketing.webinars.models import Webinar


@dataclass(frozen=True)
class Source:
    """Who and what a touch credits."""

    partner_id: int | None = None
    campaign_id: int | None = None
    webinar_id: int | None = None
    link_id: int | None = None
    channel: str | None = None


def source_of_link(link: TrackedLink) -> Source:
    channel: str | None = WEBINAR_CHANNEL
    if link.campaign_id is not None:
        channel = db.session.scalar(select(Campaign.channel).where(Campaign.id == link.campaign_id))
    return Source(link.partner_id, link.campaign_id, link.webinar_id, link.id, channel)


def source_of_utm(utm_source: str | None, utm_campaign: str | None) -> Source | None:
    """A submission's UTM values, when ``utm_source`` is a known partner slug."""
    if not utm_source:
        return None
    partner_id = db.session.scalar(select(Partner.id).where(Partner.slug == utm_source.lower()))
    if partner_id is None:
        return None
    if utm_campaign:
        campaign = db.session.scalar(select(Campaign).where(Campaign.slug == utm_campaign.lower()))
        if campaign is not None:
            return Source(partner_id, campaign_id=campaign.id, channel=campaign.channel)
        webinar_id = db.session.scalar(
            select(Webinar.id).where(Webinar.slug == utm_campaign.lower())
        )
        if webinar_id is not None:
            return Source(partner_id, webinar_id=webinar_id, channel=WEBINAR_CHANNEL)
    return Source(partner_id)


def click_of(cmclid: str | None) -> Click | None:
    """The click a ``cmclid`` names, if the signature is ours and the click exists."""
    if not cmclid:
        return None
    click_id = decode_click_id(cmclid, click_id_key(current_app.config["SECRET_KEY"]))
    return db.session.get(Click, click_id) if click_id is not None else None


def add_touch(
    lead: Lead | None, kind: TouchKind, at: datetime, source: Source, **extra: object
) -> Touchpoint:
    touch = Touchpoint(
        lead_id=lead.id if lead else None,
        email=lead.email if lead else None,
        kind=kind,
        occurred_at=at,
        partner_id=source.partner_id,
        campaign_id=source.campaign_id,
        webinar_id=source.webinar_id,
        link_id=source.link_id,
        channel=source.channel,
        **extra,
    )
    db.session.add(touch)
    return touch


def link_visitor(lead: Lead, visitor_id: str) -> None:
    """Bind a ``cm_vid`` to the lead and turn all of its human clicks into touchpoints (once
    each: a visitor already bound keeps its first person)."""
    visitor = db.session.get(Visitor, visitor_id)
    if visitor is None:
        db.session.add(Visitor(id=visitor_id, lead_id=lead.id))
    elif visitor.lead_id != lead.id:
        return
    already = set(
        db.session.scalars(
            select(Touchpoint.click_id).where(
                Touchpoint.lead_id == lead.id, Touchpoint.click_id.is_not(None)
            )
        )
    )
    rows = db.session.execute(
        select(Click, TrackedLink)
        .join(TrackedLink, Click.link_id == TrackedLink.id)
        .where(Click.visitor_id == visitor_id, Click.is_bot.is_(False))
    ).all()
    for click, link in rows:
        if click.id not in already and not is_flood(click):
            add_touch(
                lead, TouchKind.CLICK, click.clicked_at, source_of_link(link), click_id=click.id
            )
    db.session.flush()


def attach_waiting_touches(lead: Lead) -> None:
    """Offline touches reported for this e-mail before the person converted."""
    if lead.email is None:
        return
    for touch in db.session.scalars(
        select(Touchpoint).where(Touchpoint.lead_id.is_(None), Touchpoint.email == lead.email)
    ):
        touch.lead_id = lead.id
    db.session.flush()
