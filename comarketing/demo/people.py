"""The people behind the clicks: leads, their conversions and touchpoints, webinar
registrations and attendance, owners, conflicts, payments and commissions — as row dicts
with ids assigned here, for bulk insertion."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from slugify import slugify

from comarketing.campaigns.channels import WEBINAR_CHANNEL
from comarketing.demo.cast import Cast
from comarketing.demo.data import (
    COMPANY_KINDS,
    COMPANY_WORDS,
    EMAIL_DOMAINS,
    FIRST_NAMES,
    LAST_NAMES,
)
from comarketing.demo.traffic import Converter, Traffic
from comarketing.leads.models import (
    ConflictStatus,
    ConversionKind,
    LeadStatus,
    OwnershipReason,
    TouchKind,
)
from comarketing.links.models import TrackedLink

FEMALE_FIRST_NAMES = 10  # the first names in FIRST_NAMES that are female
ATTENDANCE_RATE = 0.45
UTM_ONLY_SHARE = 0.05  # extra leads that arrive with utm_source but no click id
DIRECT_SHARE = 0.06  # extra leads with no touch at all
OFFLINE_SHARE = 0.03
REPEAT_SHARE = 0.08
CONFLICT_SHARE = 0.03
PROTECTION = timedelta(days=90)


@dataclass
class People:
    rng: random.Random
    cast: Cast
    traffic: Traffic
    now: datetime
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    ids: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    touches: dict[int, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))

    def add(self, table: str, row: dict[str, Any]) -> Any:
        """Keep ``row`` for ``table``, numbering it unless it brings its own id."""
        if "id" not in row:
            self.ids[table] += 1
            row["id"] = self.ids[table]
        self.rows[table].append(row)
        return row["id"]

    # -- persons ---------------------------------------------------------------------------

    def new_lead(self, created_at: datetime) -> dict[str, Any]:
        rng = self.rng
        first_index = rng.randrange(len(FIRST_NAMES))
        first = FIRST_NAMES[first_index]
        last = rng.choice(LAST_NAMES) + ("а" if first_index < FEMALE_FIRST_NAMES else "")
        number = self.ids["leads"] + 1
        local = slugify(f"{first} {last}", separator=".")
        company = f"ООО «{rng.choice(COMPANY_WORDS)}{rng.choice(COMPANY_KINDS)}»"
        lead = {
            "email": f"{local}.{number}@{rng.choice(EMAIL_DOMAINS)}",
            "phone": f"+7916{number:07d}" if rng.random() < 0.6 else None,
            "name": f"{first} {last}",
            "company": company,
            "status": rng.choice(
                (LeadStatus.NEW, LeadStatus.NEW, LeadStatus.WORKING, LeadStatus.LOST)
            ),
            "owner_partner_id": None,
            "owned_since": None,
            "protected_until": None,
            "created_at": created_at,
            "updated_at": created_at,
            "first_payment_at": None,
            "crm_status_at": None,
            "won_amount": None,
            "customer_since": None,
            "erased_at": None,
        }
        self.add("leads", lead)
        return lead

    def conversion(
        self, lead: dict[str, Any], kind: ConversionKind, at: datetime, **extra: Any
    ) -> int:
        row = {
            "lead_id": lead["id"],
            "kind": kind,
            "occurred_at": at,
            "created_at": at,
            "name": lead["name"],
            "company": lead["company"],
            "utm_source": None,
            "utm_medium": None,
            "utm_campaign": None,
            "utm_content": None,
            "utm_term": None,
            "cmclid": None,
            "click_id": None,
            "partner_id": None,
            "campaign_id": None,
            "webinar_id": None,
        } | extra
        return self.add("conversions", row)

    def touch(
        self, lead: dict[str, Any] | None, kind: TouchKind, at: datetime, **extra: Any
    ) -> None:
        row = {
            "lead_id": lead["id"] if lead else None,
            "email": lead["email"] if lead else extra.pop("email"),
            "kind": kind,
            "occurred_at": at,
            "created_at": at,
            "partner_id": None,
            "campaign_id": None,
            "webinar_id": None,
            "link_id": None,
            "click_id": None,
            "registration_id": None,
            "channel": None,
        } | extra
        self.add("touchpoints", row)
        if lead is not None:
            self.touches[lead["id"]].append(row)

    def link_touch_fields(self, link: TrackedLink) -> dict[str, Any]:
        channel = (
            self.cast.channel_of_campaign[link.campaign_id] if link.campaign_id else WEBINAR_CHANNEL
        )
        return {
            "partner_id": link.partner_id,
            "campaign_id": link.campaign_id,
            "webinar_id": link.webinar_id,
            "link_id": link.id,
            "channel": channel,
        }

    @staticmethod
    def utm_fields(link: TrackedLink) -> dict[str, Any]:
        return {
            "utm_source": link.utm_source,
            "utm_medium": link.utm_medium,
            "utm_campaign": link.utm_campaign,
            "partner_id": link.partner_id,
            "campaign_id": link.campaign_id,
            "webinar_id": link.webinar_id,
        }


def people_in_chunks(
    rng: random.Random, cast: Cast, traffic: Traffic, now: datetime, size: int
) -> Iterator[People]:
    """The people behind ``traffic``'s converters, ``size`` converters at a time: each chunk
    complete (its leads with their extra UTM-only and direct leads, touches, owners, repeats
    and conflicts) in ``People.rows``, to be written before the next, which replaces them. The
    memory it takes stays that of one chunk at any scale; a demo of one chunk (up to ``size``
    converters, about scale 40) is the same as when it was generated in one piece."""
    people = People(rng=rng, cast=cast, traffic=traffic, now=now)
    converters = traffic.converters
    for start in range(0, max(len(converters), 1), size):
        _generate_people(people, converters[start : start + size], first=start == 0)
        yield people
        people.rows.clear()
        people.touches.clear()


def _generate_people(people: People, converters: list[Converter], *, first: bool) -> None:
    rng, now = people.rng, people.now
    for converter in converters:
        _lead_from_clicks(people, converter)
    base = len(converters)
    _utm_only_leads(people, round(base * UTM_ONLY_SHARE))
    for _ in range(round(base * DIRECT_SHARE)):
        at = now - timedelta(days=rng.uniform(1, 180))
        people.conversion(
            people.new_lead(at), rng.choice((ConversionKind.API, ConversionKind.IMPORT)), at
        )
    _offline_touches(people, visitors=first)
    for lead in people.rows["leads"]:
        _decide_owner(people, lead)
    _repeats_and_conflicts(people)


def _lead_from_clicks(people: People, converter: Converter) -> None:
    lead = people.new_lead(converter.converted_at)
    last_click_id, _, last_link = converter.clicks[-1]
    for click_id, at, link in converter.clicks:
        people.touch(lead, TouchKind.CLICK, at, click_id=click_id, **people.link_touch_fields(link))
    people.add(
        "visitors",
        {"id": converter.visitor_id, "lead_id": lead["id"], "linked_at": converter.converted_at},
    )
    webinar_id = last_link.webinar_id
    kind = ConversionKind.REGISTRATION if webinar_id else ConversionKind.FORM
    people.conversion(
        lead,
        kind,
        converter.converted_at,
        cmclid=str(last_click_id),
        click_id=last_click_id,
        **people.utm_fields(last_link),
    )
    if webinar_id:
        _registration(people, lead, last_link, last_click_id, converter.converted_at)


def _registration(
    people: People,
    lead: dict[str, Any],
    link: TrackedLink,
    click_id: int,
    registered_at: datetime,
) -> None:
    webinar = next(w for w in people.cast.webinars if w.id == link.webinar_id)
    past = webinar.starts_at + timedelta(minutes=webinar.duration_minutes) < people.now
    attended = past and people.rng.random() < ATTENDANCE_RATE
    registration_id = people.add(
        "registrations",
        {
            "webinar_id": webinar.id,
            "lead_id": lead["id"],
            "email": lead["email"],
            "name": lead["name"],
            "company": lead["company"],
            "phone": lead["phone"],
            "partner_id": link.partner_id,
            "link_id": link.id,
            "click_id": click_id,
            "registered_at": registered_at,
            "consent_at": registered_at,
            "attended": attended if past else None,
            "attended_minutes": people.rng.randint(10, webinar.duration_minutes)
            if attended
            else None,
            "attendance_recorded_at": webinar.starts_at + timedelta(hours=3) if past else None,
        },
    )
    fields = people.link_touch_fields(link) | {"registration_id": registration_id}
    people.touch(lead, TouchKind.REGISTRATION, registered_at, **fields)
    if attended:
        people.touch(lead, TouchKind.ATTENDANCE, webinar.starts_at, **fields)


def _utm_only_leads(people: People, count: int) -> None:
    rng = people.rng
    campaign_links = [link for link in people.cast.links if link.campaign_id]
    for _ in range(count):
        link = rng.choice(campaign_links)
        at = people.now - timedelta(days=rng.uniform(1, 180))
        lead = people.new_lead(at)
        people.conversion(lead, ConversionKind.FORM, at, **people.utm_fields(link))
        fields = people.link_touch_fields(link) | {"link_id": None}
        people.touch(lead, TouchKind.UTM, at, **fields)


def _offline_touches(people: People, *, visitors: bool) -> None:
    """Conference and meeting contacts a partner reported; with ``visitors``, a few that
    wait for their person."""
    rng = people.rng
    for lead in rng.sample(
        people.rows["leads"], k=round(len(people.rows["leads"]) * OFFLINE_SHARE)
    ):
        partner = rng.choice(people.cast.partners)
        at = lead["created_at"] - timedelta(days=rng.uniform(3, 20))
        people.touch(lead, TouchKind.OFFLINE, at, partner_id=partner.id, channel="event")
    for number in range(3 if visitors else 0):
        people.touch(
            None,
            TouchKind.OFFLINE,
            people.now - timedelta(days=number + 1),
            email=f"visitor.{number}@expo.example",
            partner_id=rng.choice(people.cast.partners).id,
            channel="event",
        )


def _decide_owner(people: People, lead: dict[str, Any]) -> None:
    """Lead registration: the partner of the earliest touch at or before creation owns it."""
    earlier = [
        t
        for t in people.touches[lead["id"]]
        if t["partner_id"] is not None and t["occurred_at"] <= lead["created_at"]
    ]
    if not earlier:
        return
    first = min(earlier, key=lambda t: t["occurred_at"])
    lead["owner_partner_id"] = first["partner_id"]
    lead["owned_since"] = lead["created_at"]
    lead["protected_until"] = lead["created_at"] + PROTECTION
    people.add(
        "lead_ownerships",
        {
            "lead_id": lead["id"],
            "partner_id": first["partner_id"],
            "starts_at": lead["created_at"],
            "ends_at": None,
            "reason": OwnershipReason.REGISTRATION,
            "decided_by_id": None,
            "note": "",
        },
    )


def _repeats_and_conflicts(people: People) -> None:
    rng = people.rng
    traffic = people.traffic
    leads = list(people.rows["leads"])
    for lead in rng.sample(leads, k=round(len(leads) * REPEAT_SHARE)):
        at = lead["created_at"] + timedelta(days=rng.uniform(1, 30))
        if at < people.now:
            people.conversion(lead, ConversionKind.FORM, at)
    owned = [lead for lead in leads if lead["owner_partner_id"] is not None]
    for lead in rng.sample(owned, k=round(len(owned) * CONFLICT_SHARE)):
        at = lead["created_at"] + timedelta(days=rng.uniform(5, 60))
        rivals = [
            link
            for link in people.cast.links
            if link.partner_id != lead["owner_partner_id"] and link.campaign_id
        ]
        if at >= people.now or not rivals:
            continue
        link = rng.choice(rivals)
        visitor_id = traffic.visitor_id()
        click_id = traffic.click(link, at - timedelta(minutes=5), visitor_id)
        people.add("visitors", {"id": visitor_id, "lead_id": lead["id"], "linked_at": at})
        people.touch(lead, TouchKind.CLICK, at, click_id=click_id, **people.link_touch_fields(link))
        conversion_id = people.conversion(
            lead,
            ConversionKind.FORM,
            at,
            cmclid=str(click_id),
            click_id=click_id,
            **people.utm_fields(link),
        )
        people.add(
            "ownership_conflicts",
            {
                "lead_id": lead["id"],
                "owner_partner_id": lead["owner_partner_id"],
                "claimant_partner_id": link.partner_id,
                "conversion_id": conversion_id,
                "occurred_at": at,
                "status": ConflictStatus.OPEN,
                "resolved_by_id": None,
                "resolved_at": None,
                "resolution_note": "",
            },
        )
    traffic.flush()
