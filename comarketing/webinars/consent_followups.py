"""A co-host's follow-ups after a webinar (contract §12): one e-mail to the no-shows and one
to the attendees among the registrants who agreed to share their contact with it, each
carrying the co-host's own tracked link to the webinar (issued when it became a co-host), so
the clicks and the leads it brings are credited to it. Once per webinar, co-host and audience:
the unique ``CohostFollowUp`` row makes a second press (or two at once) change nothing. The
e-mails go through the outbox; each is rendered only while its consent still stands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from comarketing.core.db import AnySelect
from comarketing.core.errors import Conflict
from comarketing.core.outbox import OutboxChannel, OutboxMessage, enqueue
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.webinars.consent_models import CohostFollowUp, FollowUpAudience
from comarketing.webinars.consents import shared_with
from comarketing.webinars.models import Registration, Webinar
from comarketing.webinars.services.webinars import has_ended

TOPIC = "webinar.cohost_follow_up"


@dataclass(frozen=True)
class FollowUpLink:
    """The co-host's tracked link the follow-up carries (its short URL)."""

    link_id: int
    url: str


def audience_query(webinar: Webinar, partner_id: int, audience: FollowUpAudience) -> AnySelect:
    """The registrants of the audience whose consent to the partner stands: attendees are
    those marked attended, no-shows those marked not attended (attendance recorded)."""
    attended = audience is FollowUpAudience.ATTENDEES
    return shared_with(partner_id).where(
        Registration.webinar_id == webinar.id, Registration.attended.is_(attended)
    )


def sent_follow_ups(webinar_id: int, partner_id: int) -> dict[FollowUpAudience, CohostFollowUp]:
    rows = db.session.scalars(
        select(CohostFollowUp).where(
            CohostFollowUp.webinar_id == webinar_id, CohostFollowUp.partner_id == partner_id
        )
    )
    return {row.audience: row for row in rows}


def _locales(registrations: list[Registration]) -> dict[int, str]:
    """The language each registrant registered in (kept on their confirmation e-mail)."""
    lead_ids = {r.lead_id for r in registrations if r.lead_id is not None}
    if not lead_ids:
        return {}
    found: dict[int, str] = {}
    for payload in db.session.scalars(
        select(OutboxMessage.payload).where(
            OutboxMessage.topic == "webinar.confirmation", OutboxMessage.lead_id.in_(lead_ids)
        )
    ):
        if isinstance(payload, dict) and payload.get("locale"):
            found[payload["registration_id"]] = payload["locale"]
    return found


def send_follow_up(
    webinar: Webinar,
    partner_id: int,
    audience: FollowUpAudience,
    link: FollowUpLink,
    *,
    sent_by_id: int | None,
    now: datetime | None = None,
) -> tuple[CohostFollowUp, bool]:
    """Queue the co-host's follow-up to the audience; (the record, True) when queued now,
    (the earlier record, False) when it was sent before. 409 before the webinar ends or when
    nobody of the audience consented."""
    now = now or utcnow()
    earlier = sent_follow_ups(webinar.id, partner_id).get(audience)
    if earlier is not None:
        return earlier, False
    if not has_ended(webinar, now):
        raise Conflict(_("Follow-ups can be sent after the webinar."), code="webinar_not_ended")
    recipients = list(
        db.session.scalars(audience_query(webinar, partner_id, audience).order_by(Registration.id))
    )
    if not recipients:
        raise Conflict(
            _("Nobody of this audience agreed to share their contact with you."),
            code="no_recipients",
        )
    record = CohostFollowUp(
        webinar_id=webinar.id,
        partner_id=partner_id,
        audience=audience,
        link_id=link.link_id,
        recipients=len(recipients),
        sent_by_id=sent_by_id,
        created_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(record)
            db.session.flush()
    except IntegrityError:  # pressed twice at once: the other press sent it
        found = sent_follow_ups(webinar.id, partner_id).get(audience)
        assert found is not None
        return found, False
    locales = _locales(recipients)
    for registration in recipients:
        enqueue(
            OutboxChannel.EMAIL,
            TOPIC,
            {
                "registration_id": registration.id,
                "webinar_id": webinar.id,
                "partner_id": partner_id,
                "audience": audience.value,
                "link_url": link.url,
                "locale": locales.get(registration.id, "ru"),
            },
            lead_id=registration.lead_id,
        )
    db.session.flush()
    return record, True
