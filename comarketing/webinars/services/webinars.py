"""Creating and changing joint webinars."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import gettext as _
from sqlalchemy import select

from comarketing.campaigns.models import Campaign
from comarketing.core.errors import Problems
from comarketing.core.slugs import unique_slug
from comarketing.core.urls import (
    InvalidDestination,
    configured_domains,
    public_url,
    validate_destination,
)
from comarketing.extensions import db
from comarketing.partners.models import Partner
from comarketing.webinars.models import Webinar, WebinarHost, WebinarPlatform
from comarketing.webinars.signals import hosts_added

MAX_DURATION_MINUTES = 24 * 60


def registration_path(webinar: Webinar) -> str:
    return f"/w/{webinar.slug}"


def registration_url(webinar: Webinar) -> str:
    return public_url(registration_path(webinar))


def ics_url(webinar: Webinar) -> str:
    return public_url(f"/w/{webinar.slug}.ics")


def is_timezone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return "/" in name or name == "UTC"


def _check(problems: Problems, values: dict[str, Any]) -> None:
    if not str(values["title"]).strip():
        problems.add("title", _("Required."))
    starts_at: datetime = values["starts_at"]
    if starts_at.tzinfo is None:
        problems.add("starts_at", _("Give the time with its UTC offset."))
    duration = values["duration_minutes"]
    if not 0 < duration <= MAX_DURATION_MINUTES:
        problems.add(
            "duration_minutes", _("Between 1 and %(max)s minutes.", max=MAX_DURATION_MINUTES)
        )
    if not is_timezone(values["timezone"]):
        problems.add("timezone", _("Unknown time zone; use an IANA name like Europe/Moscow."))
    capacity = values["capacity"]
    if capacity is not None and capacity < 1:
        problems.add("capacity", _("At least 1, or empty for no limit."))
    for field in ("join_url", "recording_url"):
        if values.get(field):
            try:
                validate_destination(
                    values[field], allowed_domains=configured_domains("WEBINAR_LINK_DOMAINS")
                )
            except InvalidDestination as error:
                problems.add(field, _(error.msgid, **error.params))
    if (
        values["campaign_id"] is not None
        and db.session.get(Campaign, values["campaign_id"]) is None
    ):
        problems.add("campaign_id", _("No such campaign."))
    _check_platform(problems, values)


def _check_platform(problems: Problems, values: dict[str, Any]) -> None:
    """``platform`` is one we pull from (or None); an event id goes with it, and is cleaned
    (trimmed, empty: None) in ``values``."""
    platform = values.get("platform") or None
    event_id = str(values.get("platform_event_id") or "").strip() or None
    if platform is not None and platform not in set(WebinarPlatform):
        names = ", ".join(sorted(WebinarPlatform))
        problems.add("platform", _("One of %(names)s, or empty.", names=names))
    elif platform is not None:
        platform = WebinarPlatform(platform)
        if event_id is None:
            problems.add(
                "platform_event_id",
                _(
                    "Give the platform's id of the event (Zoom's meeting id, MTS Link's event "
                    "session id)."
                ),
            )
    if event_id is not None and len(event_id) > 100:
        problems.add("platform_event_id", _("At most 100 characters."))
    values["platform"], values["platform_event_id"] = platform, event_id


def _hosts(partner_ids: Sequence[int], problems: Problems) -> list[Partner]:
    if len(set(partner_ids)) != len(partner_ids):
        problems.add("partner_ids", _("A partner is listed twice."))
    partners = db.session.scalars(select(Partner).where(Partner.id.in_(partner_ids))).all()
    missing = set(partner_ids) - {p.id for p in partners}
    if missing:
        ids = ", ".join(map(str, sorted(missing)))
        problems.add("partner_ids", _("No partner with id %(ids)s.", ids=ids))
    return list(partners)


def create_webinar(
    *,
    title: str,
    starts_at: datetime,
    duration_minutes: int,
    timezone: str = "Europe/Moscow",
    partner_ids: Sequence[int] = (),
    campaign_id: int | None = None,
    description: str = "",
    capacity: int | None = None,
    join_url: str | None = None,
    recording_url: str | None = None,
    platform: str | None = None,
    platform_event_id: str | None = None,
    created_by_id: int | None = None,
) -> Webinar:
    """Schedule a joint webinar (``starts_at`` aware; stored in UTC, announced in
    ``timezone``); each co-host gets its tracked link to the registration page
    (``hosts_added``)."""
    values = dict(locals())
    problems = Problems()
    _check(problems, values)
    hosts = _hosts(list(partner_ids), problems)
    problems.raise_if_any()
    local_day = starts_at.astimezone(ZoneInfo(timezone)).date().isoformat()
    webinar = Webinar(
        title=title.strip(),
        slug=unique_slug(Webinar.slug, f"{title} {local_day}", fallback="webinar"),
        description=description.strip(),
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        timezone=timezone,
        capacity=capacity,
        join_url=join_url or None,
        recording_url=recording_url or None,
        platform=values["platform"],
        platform_event_id=values["platform_event_id"],
        campaign_id=campaign_id,
        created_by_id=created_by_id,
        hosts=[WebinarHost(partner_id=p.id) for p in hosts],
    )
    db.session.add(webinar)
    db.session.flush()
    hosts_added.send(webinar, partners=hosts, created_by_id=created_by_id)
    return webinar


def update_webinar(webinar: Webinar, changes: dict[str, Any]) -> Webinar:
    """Change a webinar; a new time moves the registrants' pending reminders with it.
    New co-hosts get their links; the slug never changes (links use it)."""
    from comarketing.webinars.services.notifications import reschedule_reminders

    fields = (
        "title",
        "starts_at",
        "duration_minutes",
        "timezone",
        "campaign_id",
        "description",
        "capacity",
        "join_url",
        "recording_url",
        "platform",
        "platform_event_id",
    )
    values = {field: changes.get(field, getattr(webinar, field)) for field in fields}
    problems = Problems()
    _check(problems, values)
    new_hosts: list[Partner] = []
    if "partner_ids" in changes:
        new_hosts = _hosts(list(changes["partner_ids"]), problems)
    problems.raise_if_any()
    moved = values["starts_at"] != webinar.starts_at or (
        values["duration_minutes"] != webinar.duration_minutes
    )
    if (values["platform"], values["platform_event_id"]) != (
        webinar.platform,
        webinar.platform_event_id,
    ):
        webinar.platform_synced_at = None  # another event: pull it when it has ended
    for field, value in values.items():
        setattr(
            webinar,
            field,
            value.strip()
            if isinstance(value, str) and field in ("title", "description")
            else value,
        )
    if "partner_ids" in changes:
        current = {host.partner_id for host in webinar.hosts}
        wanted = {p.id for p in new_hosts}
        webinar.hosts = [h for h in webinar.hosts if h.partner_id in wanted] + [
            WebinarHost(partner_id=p.id) for p in new_hosts if p.id not in current
        ]
        db.session.flush()
        added = [partner for partner in new_hosts if partner.id not in current]
        hosts_added.send(webinar, partners=added, created_by_id=None)
    db.session.flush()
    if moved:
        reschedule_reminders(webinar)
    return webinar


def has_ended(webinar: Webinar, now: datetime) -> bool:
    return webinar.starts_at + timedelta(minutes=webinar.duration_minutes) <= now
