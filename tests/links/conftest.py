"""Campaigns, webinars and links for the link tests, built straight from the models (their
own services are another domain's; here only the shape a link needs matters)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from comarketing.campaigns.models import Campaign, CampaignPartner
from comarketing.extensions import db
from comarketing.links.models import TrackedLink
from comarketing.links.services import issue_link
from comarketing.partners.models import Partner
from comarketing.webinars.models import Webinar, WebinarHost
from tests.factories import Factory

_numbers = itertools.count(1)


def new_campaign(*partners: Partner, landing_hosts: str = "") -> Campaign:
    number = next(_numbers)
    campaign = Campaign(
        name=f"Кампания {number}",
        slug=f"kampaniia-{number}",
        channel="yandex_direct",
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 3, 31),
        landing_hosts=landing_hosts,
        partners=[CampaignPartner(partner_id=p.id, cost_share=1 / len(partners)) for p in partners],
    )
    db.session.add(campaign)
    db.session.commit()
    return campaign


def new_webinar(*hosts: Partner) -> Webinar:
    number = next(_numbers)
    webinar = Webinar(
        title=f"Вебинар {number}",
        slug=f"vebinar-{number}",
        starts_at=datetime(2026, 4, 7, 8, 0, tzinfo=UTC),
        duration_minutes=60,
        hosts=[WebinarHost(partner_id=p.id) for p in hosts],
    )
    db.session.add(webinar)
    db.session.commit()
    return webinar


@pytest.fixture
def new_link(make: Factory) -> Callable[..., TrackedLink]:
    """``new_link(partner=None, destination=…)``: a committed campaign link."""

    def build(
        partner: Partner | None = None,
        destination: str = "https://vendor.example/land?ref=1#form",
        **kwargs: object,
    ) -> TrackedLink:
        partner = partner or make.partner()
        link = issue_link(
            partner=partner,
            campaign=new_campaign(partner),
            destination_url=destination,
            **kwargs,  # type: ignore[arg-type]
        )
        db.session.commit()
        return link

    return build
