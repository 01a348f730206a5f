"""Adding and removing a partner's postback endpoints. Services flush; callers commit."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from comarketing.core import http
from comarketing.core.errors import Conflict, ValidationFailed
from comarketing.core.outbox import cancel_pending
from comarketing.extensions import db
from comarketing.integrations.postbacks.models import EVENTS, TOPIC_PREFIX, PostbackEndpoint
from comarketing.integrations.services import check_reachable
from comarketing.partners.models import Partner

MAX_ENDPOINTS = 5  # per partner: every event is sent to each, so a partner cannot fan it out


def may_reach_private() -> bool:
    """Whether a postback may go to a loopback or private address: only where
    ``OUTBOUND_ALLOW_PRIVATE`` allows it and never in production, even when an operator
    allows private targets there for a CRM on the vendor's own network — a postback URL is
    typed by a partner, not by the vendor."""
    return http.private_targets_allowed() and current_app.config.get("ENV") != "production"


def checked_url(url: str) -> str:
    """The URL as stored: http(s) with a host, no white space, and not a private target
    (``may_reach_private``); otherwise a 422 on ``url``."""
    url = url.strip()
    if not url or any(char.isspace() or not char.isprintable() for char in url):
        raise ValidationFailed(
            _("The address is not a URL."),
            fields={"url": [_("Give an http:// or https:// address without spaces.")]},
        )
    check_reachable(
        url, refused=_("This address cannot receive postbacks."), allow_private=may_reach_private()
    )
    return url


def checked_events(events: Sequence[str] | None) -> list[str]:
    """The events named, once each, in the order of ``EVENTS``; None: every event."""
    if events is None:
        return list(EVENTS)
    unknown = [event for event in events if event not in EVENTS]
    if unknown or not events:
        raise ValidationFailed(
            _("Choose the events to receive."),
            fields={"events": [_("One or more of: %(names)s.", names=", ".join(EVENTS))]},
        )
    return [event for event in EVENTS if event in events]


def add_endpoint(
    partner: Partner,
    url: str,
    events: Sequence[str] | None = None,
    *,
    created_by_id: int | None = None,
) -> PostbackEndpoint:
    """Add an active endpoint of ``partner`` with a new signing secret (``endpoint.secret``,
    to be shown once). At most ``MAX_ENDPOINTS`` per partner, one per URL (409)."""
    stored_url = checked_url(url)
    chosen = checked_events(events)
    if not partner.active:
        raise Conflict(_("The partner is inactive."), code="partner_inactive")
    existing = db.session.scalars(
        select(PostbackEndpoint.url).where(PostbackEndpoint.partner_id == partner.id)
    ).all()
    if stored_url in existing:
        raise Conflict(
            _("This address is already one of your endpoints."),
            code="duplicate_url",
            fields={"url": [_("Already added.")]},
        )
    if len(existing) >= MAX_ENDPOINTS:
        raise Conflict(
            _("At most %(count)d endpoints: delete one first.", count=MAX_ENDPOINTS),
            code="too_many_endpoints",
        )
    endpoint = PostbackEndpoint(
        partner_id=partner.id,
        url=stored_url,
        secret=secrets.token_urlsafe(32),
        events=chosen,
        active=True,
        created_by_id=created_by_id,
    )
    db.session.add(endpoint)
    db.session.flush()
    return endpoint


def delete_endpoint(endpoint: PostbackEndpoint) -> int:
    """Remove ``endpoint``; its waiting postbacks are cancelled (and would not be sent
    anyway). Returns how many were cancelled."""
    cancelled = cancel_pending(topic_prefix=TOPIC_PREFIX, payload_key=("endpoint_id", endpoint.id))
    db.session.delete(endpoint)
    db.session.flush()
    return cancelled
