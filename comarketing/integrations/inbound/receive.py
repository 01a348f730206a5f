"""Taking in a CRM's events: verify, store, queue — and answer at once (the CRM waits for
us). Reading the object and applying it is the worker's (``worker``). Services flush; callers
commit."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from comarketing.core.outbox import OutboxChannel, enqueue
from comarketing.extensions import db
from comarketing.integrations.inbound.events import ParsedEvent
from comarketing.integrations.models import CrmDestination, CrmEvent, DestinationKind

CRM_EVENT = "crm.event"
MAX_TOKEN_LENGTH = 200


def token_hash(token: str) -> str:
    """SHA-256 hex of a token we only ever compare (never send)."""
    return hashlib.sha256(token.encode()).hexdigest()


def _matches(stored_hash: str | None, presented: str) -> bool:
    if not stored_hash or not presented or len(presented) > MAX_TOKEN_LENGTH:
        return False
    return hmac.compare_digest(stored_hash, token_hash(presented))


def destination_for(kind: DestinationKind, destination_id: int) -> CrmDestination | None:
    destination = db.session.get(CrmDestination, destination_id)
    return destination if destination is not None and destination.kind is kind else None


def bitrix24_token_valid(destination: CrmDestination, application_token: str) -> bool:
    """The portal's ``auth[application_token]`` is the one set for this destination."""
    return _matches(destination.app_token_hash, application_token)


def amocrm_secret_valid(destination: CrmDestination, secret: str) -> bool:
    """The secret in the hook's address is this destination's."""
    return _matches(destination.hook_secret_hash, secret)


def set_app_token(destination: CrmDestination, token: str) -> None:
    """Keep (the hash of) the Bitrix24 application token events must carry."""
    token = token.strip()
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise ValueError(f"an application token has 1 to {MAX_TOKEN_LENGTH} characters")
    destination.app_token_hash = token_hash(token)
    db.session.flush()


def new_hook_secret(destination: CrmDestination) -> str:
    """A new secret for the amoCRM hook's address; returned once, kept as a hash."""
    secret = secrets.token_urlsafe(24)
    destination.hook_secret_hash = token_hash(secret)
    db.session.flush()
    return secret


def store_events(destination: CrmDestination, events: list[ParsedEvent]) -> list[CrmEvent]:
    """Keep each event and queue it for the worker (one outbox message each)."""
    rows = [
        CrmEvent(
            destination_id=destination.id,
            event=event.event,
            object_type=event.object_type,
            object_id=event.object_id,
            payload=event.payload,
        )
        for event in events
    ]
    db.session.add_all(rows)
    db.session.flush()
    for row in rows:
        enqueue(OutboxChannel.CRM, CRM_EVENT, {"event_id": row.id}, destination_id=destination.id)
    return rows
