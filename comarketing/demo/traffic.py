"""Clicks on the demo's tracked links: humans (some of whom convert) and bots, in bulk.

Volume: about ``HUMAN_CLICKS_PER_SCALE`` human clicks per unit of scale, shared between
links by partner weight and by how long each link was live.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

from comarketing.demo.cast import Cast
from comarketing.demo.data import BOT_USER_AGENTS, HUMAN_USER_AGENTS, REFERRERS
from comarketing.links.models import TrackedLink

HUMAN_CLICKS_PER_SCALE = 9_200
BOT_SHARE = 0.08  # of all clicks
CAMPAIGN_CONVERSION = 0.045  # visitors of a campaign link who leave a request
WEBINAR_REGISTRATION = 0.12  # visitors of a webinar link who register
WEBINAR_PROMO_DAYS = 21


@dataclass
class Converter:
    """A visitor who will become a lead, with the clicks that led there (oldest first)."""

    visitor_id: str
    link: TrackedLink
    clicks: list[tuple[int, datetime, TrackedLink]]
    converted_at: datetime


@dataclass
class Traffic:
    """Click rows are handed to ``sink`` in batches; converters are kept for the leads."""

    rng: random.Random
    cast: Cast
    now: datetime
    sink: Callable[[list[dict[str, Any]]], None]
    next_click_id: int = 1
    buffer: list[dict[str, Any]] = field(default_factory=list)
    converters: list[Converter] = field(default_factory=list)
    human_clicks: int = 0
    bot_clicks: int = 0

    def click(self, link: TrackedLink, at: datetime, visitor_id: str, *, bot: bool = False) -> int:
        click_id = self.next_click_id
        self.next_click_id += 1
        rng = self.rng
        self.buffer.append(
            {
                "id": click_id,
                "link_id": link.id,
                "clicked_at": at,
                "visitor_id": visitor_id,
                "is_bot": bot,
                "via_qr": not bot and rng.random() < 0.04,
                "ip_hash": f"{rng.getrandbits(256):064x}",
                "user_agent": rng.choice(BOT_USER_AGENTS if bot else HUMAN_USER_AGENTS),
                "referrer": None if bot else rng.choice(REFERRERS),
            }
        )
        if bot:
            self.bot_clicks += 1
        else:
            self.human_clicks += 1
        if len(self.buffer) >= 20_000:
            self.flush()
        return click_id

    def flush(self) -> None:
        if self.buffer:
            self.sink(self.buffer)
            self.buffer = []

    def visitor_id(self) -> str:
        return f"{self.rng.getrandbits(128):032x}"


def link_window(link: TrackedLink, cast: Cast, now: datetime) -> tuple[datetime, datetime] | None:
    """When the link was promoted (UTC), cut at ``now``; None if it is not live yet."""
    if link.campaign_id is not None:
        campaign = next(c for c in cast.campaigns if c.id == link.campaign_id)
        start = datetime.combine(campaign.starts_on, time(6, 0), tzinfo=UTC)
        end = datetime.combine(campaign.ends_on, time(20, 0), tzinfo=UTC)
    else:
        webinar = next(w for w in cast.webinars if w.id == link.webinar_id)
        start = webinar.starts_at - timedelta(days=WEBINAR_PROMO_DAYS)
        end = webinar.starts_at
    end = min(end, now)
    return (start, end) if start < end else None


def generate_traffic(
    rng: random.Random,
    cast: Cast,
    scale: int,
    now: datetime,
    sink: Callable[[list[dict[str, Any]]], None],
    progress: Callable[[int], None],
) -> Traffic:
    traffic = Traffic(rng=rng, cast=cast, now=now, sink=sink)
    windows = {link.id: link_window(link, cast, now) for link in cast.links}
    live = [link for link in cast.links if windows[link.id] is not None]
    weight = {
        link.id: cast.weights[link.partner_id]
        * (0.6 if link.webinar_id else 1.0)
        * max(1.0, (windows[link.id][1] - windows[link.id][0]).days)  # type: ignore[index]
        for link in live
    }
    total_weight = sum(weight.values())
    for link in live:
        start, end = windows[link.id]  # type: ignore[misc]
        humans = round(HUMAN_CLICKS_PER_SCALE * scale * weight[link.id] / total_weight)
        _human_visits(traffic, link, start, end, humans)
        for _ in range(round(humans * BOT_SHARE / (1 - BOT_SHARE))):
            at = start + (end - start) * rng.random()
            traffic.click(link, at, traffic.visitor_id(), bot=True)
        progress(1)
    _cross_partner_touches(traffic)
    traffic.flush()
    return traffic


def _human_visits(
    traffic: Traffic, link: TrackedLink, start: datetime, end: datetime, clicks: int
) -> None:
    rng = traffic.rng
    rate = WEBINAR_REGISTRATION if link.webinar_id else CAMPAIGN_CONVERSION
    while clicks > 0:
        visitor = traffic.visitor_id()
        count = min(clicks, rng.choices((1, 2, 3), weights=(70, 20, 10))[0])
        clicks -= count
        at = start + (end - start) * rng.random()
        visits = []
        for _ in range(count):
            visits.append((traffic.click(link, at, visitor), at, link))
            at = min(at + timedelta(hours=rng.uniform(1, 72)), traffic.now)
        if rng.random() < rate:
            converted_at = visits[-1][1] + timedelta(minutes=rng.uniform(2, 90))
            if converted_at < traffic.now:
                traffic.converters.append(Converter(visitor, link, visits, converted_at))


def _cross_partner_touches(traffic: Traffic) -> None:
    """Some people saw another partner's link of the same segment first: multi-touch paths
    that make the attribution models disagree."""
    rng = traffic.rng
    by_segment: dict[str, list[TrackedLink]] = {}
    for link in traffic.cast.links:
        by_segment.setdefault(link.partner.segment, []).append(link)
    for converter in traffic.converters:
        if rng.random() >= 0.15:
            continue
        others = [
            link
            for link in by_segment[converter.link.partner.segment]
            if link.partner_id != converter.link.partner_id
        ]
        link = rng.choice(others)
        at = converter.clicks[0][1] - timedelta(days=rng.uniform(1, 14))
        converter.clicks.insert(0, (traffic.click(link, at, converter.visitor_id), at, link))
