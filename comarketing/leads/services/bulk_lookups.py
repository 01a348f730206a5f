"""What the bulk import looks up once per chunk: partners, campaigns, webinars by slug."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from comarketing.campaigns.channels import WEBINAR_CHANNEL
from comarketing.campaigns.models import Campaign
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.leads.services.touchpoints import Source
from comarketing.partners.models import Partner
from comarketing.webinars.models import Webinar

UTM = ("source", "medium", "campaign", "content", "term")


@dataclass
class Lookups:
    """Everything a chunk needs that does not depend on its rows, read once per chunk."""

    partners: dict[str, int]
    inactive: frozenset[int]  # partners that no lead becomes the own of any more
    campaigns: dict[str, tuple[int, str]]
    webinars: dict[str, int]
    lookback: timedelta
    protection: timedelta
    now: datetime

    @classmethod
    def load(cls) -> Lookups:
        config = current_app.config
        return cls(
            partners=dict(db.session.execute(select(Partner.slug, Partner.id)).all()),
            inactive=frozenset(
                db.session.scalars(select(Partner.id).where(Partner.active.is_(False)))
            ),
            campaigns={
                slug: (campaign_id, channel)
                for slug, campaign_id, channel in db.session.execute(
                    select(Campaign.slug, Campaign.id, Campaign.channel)
                )
            },
            webinars=dict(db.session.execute(select(Webinar.slug, Webinar.id)).all()),
            lookback=timedelta(days=int(config["LOOKBACK_DAYS"])),
            protection=timedelta(days=int(config["OWNERSHIP_PROTECTION_DAYS"])),
            now=utcnow(),
        )

    def source(self, utm: dict[str, str | None]) -> Source | None:
        """Like ``touchpoints.source_of_utm``, from memory."""
        partner_id = self.partners.get((utm.get("source") or "").lower())
        if partner_id is None:
            return None
        slug = (utm.get("campaign") or "").lower()
        if slug in self.campaigns:
            campaign_id, channel = self.campaigns[slug]
            return Source(partner_id, campaign_id=campaign_id, channel=channel)
        if slug in self.webinars:
            return Source(partner_id, webinar_id=self.webinars[slug], channel=WEBINAR_CHANNEL)
        return Source(partner_id)
