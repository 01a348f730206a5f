"""The planned side of the demo: partners, users, campaigns, webinars, links, spend, MDF.

Built through the ORM and the services (a few dozen rows); the volume of events is generated
in bulk by ``comarketing.demo.events``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from comarketing.campaigns.models import Campaign, CampaignPartner
from comarketing.core.money import money
from comarketing.core.slugs import unique_slug
from comarketing.demo.data import (
    CAMPAIGNS,
    DEMO_PASSWORD,
    LANDING_ORIGIN,
    PARTNERS,
    SEGMENTS,
    USERS,
    WEBINAR_TOPICS,
)
from comarketing.extensions import db
from comarketing.links.models import TrackedLink
from comarketing.links.services import issue_link
from comarketing.links.utm import Medium
from comarketing.mdf.models import MdfBudget, MdfRequest, MdfStatus
from comarketing.partners.models import Partner
from comarketing.partners.segments import segment_label
from comarketing.partners.services import create_partner
from comarketing.spend.models import PaidBy, Spend, SpendSource
from comarketing.users.services import create_user
from comarketing.webinars.models import Webinar, WebinarHost
from comarketing.webinars.services.webinars import registration_url

CHANNEL_MEDIUM = {
    "yandex_direct": Medium.CPC,
    "vk_ads": Medium.SOCIAL,
    "telegram_ads": Medium.SOCIAL,
    "email": Medium.EMAIL,
}
MONTHS_OF_HISTORY = 6
WEBINAR_WEEKDAYS = (1, 3)  # Tuesdays and Thursdays


@dataclass
class Cast:
    """What the event generator needs to know about the planned side."""

    today: date
    partners: list[Partner] = field(default_factory=list)
    weights: dict[int, float] = field(default_factory=dict)  # partner id → traffic weight
    campaigns: list[Campaign] = field(default_factory=list)
    webinars: list[Webinar] = field(default_factory=list)
    links: list[TrackedLink] = field(default_factory=list)
    channel_of_campaign: dict[int, str] = field(default_factory=dict)


def month_start(day: date, months_back: int) -> date:
    year, month = day.year, day.month - months_back
    while month <= 0:
        month += 12
        year -= 1
    while month > 12:
        month -= 12
        year += 1
    return date(year, month, 1)


def build_cast(rng: random.Random, today: date) -> Cast:
    cast = Cast(today=today)
    for spec in PARTNERS:
        partner = create_partner(
            name=spec.name,
            segment=spec.segment,
            email=spec.email,
            commission_rate=Decimal(spec.commission_rate),
            tier=spec.tier,
        )
        cast.partners.append(partner)
        cast.weights[partner.id] = spec.weight
    for role, email, name, partner_index in USERS:
        partner_slug = cast.partners[partner_index].slug if partner_index is not None else None
        user, _ = create_user(
            email, role, partner_slug=partner_slug, password=DEMO_PASSWORD, name=name
        )
        user.locale = "ru"
    _build_campaigns(rng, cast)
    _build_webinars(rng, cast)
    _build_mdf(cast)
    db.session.flush()
    return cast


def _segment_partners(cast: Cast, segment: str) -> list[Partner]:
    return [p for p in cast.partners if p.segment == segment]


def _login_partners(cast: Cast, segment: str) -> list[Partner]:
    """The segment's partners that have a demo login: they take part in the last three months'
    campaigns, so their portal shows this month's clicks and leads beside last month's."""
    indexes = [index for *_, index in USERS if index is not None]
    return [cast.partners[i] for i in indexes if cast.partners[i].segment == segment]


def _build_campaigns(rng: random.Random, cast: Cast) -> None:
    segments = list(SEGMENTS)
    for months_back in range(MONTHS_OF_HISTORY, -1, -1):
        first = month_start(cast.today, months_back)
        for index in range(2):
            segment = segments[(months_back + index) % 2]
            template, channel, landing = CAMPAIGNS[(months_back * 2 + index) % len(CAMPAIGNS)]
            starts_on = first + timedelta(days=rng.randint(0, 6) + 10 * index)
            ends_on = starts_on + timedelta(days=rng.randint(20, 30))
            name = template.format(segment=segment_label(segment))
            month_name = first.strftime("%Y-%m")
            campaign = Campaign(
                name=f"{name} ({month_name})",
                slug=unique_slug(Campaign.slug, f"{channel} {segment} {month_name}"),
                channel=channel,
                starts_on=starts_on,
                ends_on=ends_on,
                budget=money(rng.randrange(150_000, 600_000, 10_000)),
                description="Совместная кампания вендора и партнёров сегмента.",
                landing_url=LANDING_ORIGIN + landing.format(slug=segment),
            )
            partners = rng.sample(_segment_partners(cast, segment), k=rng.randint(2, 3))
            if months_back <= 2:
                partners += [p for p in _login_partners(cast, segment) if p not in partners]
            share = Decimal(1) / len(partners)
            campaign.partners = [
                CampaignPartner(partner_id=p.id, cost_share=share) for p in partners
            ]
            db.session.add(campaign)
            db.session.flush()
            cast.campaigns.append(campaign)
            cast.channel_of_campaign[campaign.id] = channel
            for partner in partners:
                link = issue_link(
                    partner=partner,
                    campaign=campaign,
                    destination_url=campaign.landing_url or LANDING_ORIGIN,
                    medium=CHANNEL_MEDIUM[channel],
                    label=campaign.name,
                )
                cast.links.append(link)
            _campaign_spend(rng, campaign, partners, cast.today)


def _campaign_spend(
    rng: random.Random, campaign: Campaign, partners: list[Partner], today: date
) -> None:
    """Weekly spend: the vendor's part unsplit (reports split it by cost shares), and each
    partner's own co-investment."""
    weeks = max(1, (campaign.ends_on - campaign.starts_on).days // 7)
    weekly = campaign.budget / weeks
    for week in range(weeks):
        spent_on = campaign.starts_on + timedelta(days=7 * week + 6)
        if spent_on > today:
            break
        vendor_part = money(weekly * Decimal(rng.uniform(0.55, 0.7)))
        db.session.add(
            Spend(
                amount=vendor_part,
                spent_on=spent_on,
                paid_by=PaidBy.VENDOR,
                campaign_id=campaign.id,
                source=SpendSource.DEMO,
                note="Рекламный бюджет вендора",
            )
        )
        partner = rng.choice(partners)
        db.session.add(
            Spend(
                amount=money(weekly - vendor_part),
                spent_on=spent_on,
                paid_by=PaidBy.PARTNER,
                campaign_id=campaign.id,
                partner_id=partner.id,
                source=SpendSource.DEMO,
                note="Софинансирование партнёра",
            )
        )


def webinar_days(rng: random.Random, first: date, count: int) -> list[date]:
    """``count`` Tuesdays or Thursdays of the month that starts on ``first``, one from each
    of ``count`` equal runs of those days, so they spread over the month and never leave it."""
    month = (first + timedelta(days=n) for n in range((month_start(first, -1) - first).days))
    candidates = [day for day in month if day.weekday() in WEBINAR_WEEKDAYS]
    run = len(candidates) // count
    return [rng.choice(candidates[i * run : (i + 1) * run]) for i in range(count)]


def _build_webinars(rng: random.Random, cast: Cast) -> None:
    segments = list(SEGMENTS)
    topic = 0
    for months_back in range(MONTHS_OF_HISTORY, -2, -1):
        first = month_start(cast.today, months_back)
        for day in webinar_days(rng, first, count=rng.choice((2, 3, 3))):
            segment = segments[(topic + months_back) % 2]
            title = WEBINAR_TOPICS[topic % len(WEBINAR_TOPICS)].format(
                segment=segment_label(segment)
            )
            topic += 1
            starts_at = datetime.combine(day, time(8, 0), tzinfo=UTC)  # 11:00 in Moscow
            webinar = Webinar(
                title=title,
                slug=unique_slug(Webinar.slug, f"{title} {day.isoformat()}"),
                description="Практический вебинар вендора и партнёров: кейсы и ответы на вопросы.",
                starts_at=starts_at,
                duration_minutes=rng.choice((60, 75, 90)),
                timezone="Europe/Moscow",
                capacity=rng.choice((300, 500, None)),
                join_url=f"https://webinar.example/room/{rng.getrandbits(40):x}",
            )
            hosts = rng.sample(_segment_partners(cast, segment), k=rng.randint(1, 2))
            webinar.hosts = [WebinarHost(partner_id=p.id) for p in hosts]
            db.session.add(webinar)
            db.session.flush()
            cast.webinars.append(webinar)
            for partner in hosts:
                cast.links.append(
                    issue_link(
                        partner=partner,
                        webinar=webinar,
                        destination_url=registration_url(webinar),
                        label=webinar.title,
                    )
                )
            if starts_at.date() <= cast.today:
                db.session.add(
                    Spend(
                        amount=money(rng.randrange(15_000, 45_000, 1_000)),
                        spent_on=starts_at.date() - timedelta(days=7),
                        paid_by=PaidBy.VENDOR,
                        webinar_id=webinar.id,
                        source=SpendSource.DEMO,
                        note="Продвижение вебинара",
                    )
                )


def _build_mdf(cast: Cast) -> None:
    quarter_start = month_start(cast.today, (cast.today.month - 1) % 3)
    db.session.add(
        MdfBudget(
            name="MDF квартала",
            period_start=quarter_start,
            period_end=month_start(quarter_start, -3) - timedelta(days=1),
            amount=money(1_500_000),
        )
    )
    # Requests waiting for a manager's decision (approval creates a campaign and its link).
    for partner in (cast.partners[1], cast.partners[7]):
        db.session.add(
            MdfRequest(
                partner_id=partner.id,
                activity="Таргетированная реклама на клиентов " + segment_label(partner.segment),
                channel="vk_ads",
                starts_on=cast.today + timedelta(days=7),
                ends_on=cast.today + timedelta(days=37),
                planned_cost=money(200_000),
                requested_amount=money(100_000),
                planned_leads=40,
                landing_url=f"{LANDING_ORIGIN}/lp/{partner.slug}",
                status=MdfStatus.SUBMITTED,
            )
        )
