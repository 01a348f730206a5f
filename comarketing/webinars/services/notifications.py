"""The e-mails a registrant gets: a confirmation now, reminders 24 h and 1 h before, a
follow-up after (thanks, or the recording for no-shows). They wait in the outbox until due."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from comarketing.core.outbox import OutboxChannel, OutboxMessage, OutboxStatus, enqueue
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.webinars.models import Registration, Webinar

FOLLOW_UP_AFTER_END = timedelta(hours=2)
REMINDERS = {"reminder_24h": timedelta(hours=24), "reminder_1h": timedelta(hours=1)}


def due_time(webinar: Webinar, kind: str) -> datetime:
    """When the e-mail of ``kind`` is due for ``webinar`` (UTC)."""
    if kind in REMINDERS:
        return webinar.starts_at - REMINDERS[kind]
    if kind == "follow_up":
        return webinar.ends_at + FOLLOW_UP_AFTER_END
    raise ValueError(kind)


def schedule_registration_emails(
    registration: Registration, webinar: Webinar, locale: str
) -> list[OutboxMessage]:
    """Queue the registrant's e-mails; reminders whose time has passed are not queued."""
    now = utcnow()
    payload = {"registration_id": registration.id, "webinar_id": webinar.id, "locale": locale}
    messages = [
        enqueue(OutboxChannel.EMAIL, "webinar.confirmation", payload, lead_id=registration.lead_id)
    ]
    for kind in (*REMINDERS, "follow_up"):
        due = due_time(webinar, kind)
        if due > now:
            messages.append(
                enqueue(
                    OutboxChannel.EMAIL,
                    f"webinar.{kind}",
                    payload,
                    due_at=due,
                    lead_id=registration.lead_id,
                )
            )
    return messages


def reschedule_reminders(webinar: Webinar) -> None:
    """The webinar moved: move its pending reminders and follow-ups; drop those now past."""
    now = utcnow()
    pending = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.channel == OutboxChannel.EMAIL,
            OutboxMessage.topic.in_([f"webinar.{kind}" for kind in (*REMINDERS, "follow_up")]),
        )
    )
    for message in pending:
        if message.payload.get("webinar_id") != webinar.id:
            continue
        due = due_time(webinar, message.topic.removeprefix("webinar."))
        if due > now or message.topic == "webinar.follow_up":
            message.next_attempt_at = due
        else:
            message.status = OutboxStatus.CANCELLED
    db.session.flush()
