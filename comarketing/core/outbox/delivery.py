"""Delivering the outbox: ``flask outbox deliver`` claims due messages one at a time and
hands each to its channel's sender, with exponential backoff, never lost, never sent twice.

Senders are registered per channel in ``create_app`` (``outbox_registry(app).senders``); a
sender raises ``DeliveryError`` to ask for a retry (or not).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select

from comarketing.core.outbox.models import OutboxChannel, OutboxMessage, OutboxStatus
from comarketing.core.time import utcnow
from comarketing.extensions import db

log = logging.getLogger(__name__)


class DeliveryError(Exception):
    """A delivery failed; ``retry`` False means retrying cannot help (e.g. a 400 answer).
    ``retry_after`` (e.g. an HTTP ``Retry-After``) pushes the next attempt no earlier."""

    def __init__(
        self, message: str, *, retry: bool = True, retry_after: timedelta | None = None
    ) -> None:
        super().__init__(message)
        self.retry = retry
        self.retry_after = retry_after


# A sender reads what it needs from the database and returns the call that does the network
# I/O (and returns the receiver's id for the message, if any), or None when there is nothing
# to send any more. The call runs with no transaction open: no lock is held while a CRM or an
# SMTP server takes its time.
Send = Callable[[], str | None]
Sender = Callable[[OutboxMessage], Send | None]
# Renders an e-mail topic when it is sent (None: nothing to send any more).
Renderer = Callable[[OutboxMessage], EmailMessage | None]


@dataclass
class OutboxRegistry:
    """Who delivers each channel and who renders each e-mail topic (by topic prefix), filled
    by ``create_app`` so that the outbox never imports the domains that use it."""

    senders: dict[OutboxChannel, Sender] = field(default_factory=dict)
    renderers: dict[str, Renderer] = field(default_factory=dict)
    # Links a rendered e-mail builds itself (a signed withdrawal link): hidden from the sent
    # mail kept in development, like the payload's one-time tokens.
    secret_links: list[re.Pattern[str]] = field(default_factory=list)

    def renderer(self, topic: str) -> Renderer | None:
        for prefix, renderer in self.renderers.items():
            if topic.startswith(prefix):
                return renderer
        return None


def outbox_registry(app: Flask | None = None) -> OutboxRegistry:
    """The registry of ``app`` (default: the current app)."""
    target = app or current_app
    registry: OutboxRegistry = target.extensions.setdefault("comarketing.outbox", OutboxRegistry())
    return registry


def retry_delay(attempts: int) -> timedelta | None:
    """The wait before attempt ``attempts + 1`` (OUTBOX_RETRY_DELAYS, seconds); None: dead."""
    delays: list[int] = current_app.config["OUTBOX_RETRY_DELAYS"]
    if attempts > len(delays):
        return None
    return timedelta(seconds=delays[attempts - 1])


@dataclass
class DeliveryReport:
    delivered: int = 0
    retried: int = 0
    dead: int = 0

    def __str__(self) -> str:
        return f"{self.delivered} delivered, {self.retried} to retry, {self.dead} dead"

    def count(self, status: OutboxStatus) -> None:
        """One more message, by the status its attempt left: delivered, dead, or to retry."""
        if status is OutboxStatus.DELIVERED:
            self.delivered += 1
        elif status is OutboxStatus.DEAD:
            self.dead += 1
        else:
            self.retried += 1


def _claim_next(now: datetime) -> OutboxMessage | None:
    """Lock the next due message. ``SKIP LOCKED`` lets several workers share the queue on
    PostgreSQL; on SQLite writers are serialised anyway."""
    stmt = (
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(1)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    return db.session.scalar(stmt)


def _record_failure(message: OutboxMessage, error: DeliveryError, now: datetime) -> None:
    message.last_error = str(error)[:2000]
    delay = retry_delay(message.attempts) if error.retry else None
    if delay is None:
        message.status = OutboxStatus.DEAD
        log.warning("outbox message %s is dead: %s", message.id, error)
        return
    message.next_attempt_at = now + max(delay, error.retry_after or delay)


def deliver_one(message: OutboxMessage, now: datetime, report: DeliveryReport) -> None:
    """Claim, prepare, send, record — with the network call outside any transaction.

    1. Claim: count the attempt and lease the message (``OUTBOX_LEASE_SECONDS``), committed,
       so a crash from here on is retried after the lease and a crash loop still ends dead.
    2. Prepare: the sender reads the database and returns the call to make; commit.
    3. Send: the call runs with no transaction (and no lock) open.
    4. Record: delivered, retry later, or dead; committed.
    A kill between 3 and 4 means the receiver may get the message twice (at least once);
    the CRM requests carry our ids so such repeats can be recognised.
    """
    message_id = message.id
    message.attempts += 1
    # Other workers leave a claimed message alone this long (longer than any send).
    message.next_attempt_at = now + timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    db.session.commit()
    external_id: str | None = None
    try:
        try:
            send = outbox_registry().senders[message.channel](message)
        finally:
            db.session.commit()
        if send is not None:
            external_id = send()
    except DeliveryError as error:
        message = db.session.get_one(OutboxMessage, message_id)
        _record_failure(message, error, now)
    except Exception as error:  # a bug must not stop the queue: retry, and say what broke
        log.exception("outbox message %s failed unexpectedly", message_id)
        db.session.rollback()
        message = db.session.get_one(OutboxMessage, message_id)
        _record_failure(message, DeliveryError(f"{type(error).__name__}: {error}"), now)
    else:
        message = db.session.get_one(OutboxMessage, message_id)
        message.status = OutboxStatus.DELIVERED
        message.delivered_at = utcnow()
        message.last_error = None
        if external_id:
            message.external_id = external_id[:100]
    if message.status in (OutboxStatus.DELIVERED, OutboxStatus.DEAD):
        message.payload = without_secrets(message.payload)
    report.count(message.status)


# Payload keys that only the send needs (an invitation's one-time token): once the message is
# delivered or dead they are dropped, so the database keeps no usable link.
SECRET_PAYLOAD_KEYS = frozenset({"token"})


def without_secrets(payload: dict[str, Any]) -> dict[str, Any]:
    if not SECRET_PAYLOAD_KEYS & payload.keys():
        return payload
    return {key: value for key, value in payload.items() if key not in SECRET_PAYLOAD_KEYS}


def deliver_due(*, now: datetime | None = None, limit: int = 1000) -> DeliveryReport:
    """Deliver what is due, one message at a time (see ``deliver_one``)."""
    report = DeliveryReport()
    for _ in range(limit):
        moment = now or utcnow()
        message = _claim_next(moment)
        if message is None:
            break
        deliver_one(message, moment, report)
        db.session.commit()
    return report
