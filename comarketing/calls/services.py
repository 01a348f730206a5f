"""Calls in (contract §10): a telephony platform reports each call once or more; the first
report is recorded, resolved to what its number credits, and made a conversion or a touch
through the leads services — so ownership, credits and CRM pushes follow as for any lead.
Services flush; callers commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from comarketing.calls.models import CALL_CHANNEL, Call, CallNumber, NumberKind
from comarketing.core.contacts import InvalidContact, normalize_phone
from comarketing.core.errors import Problems
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.leads.models import ConversionKind, Lead, TouchKind
from comarketing.leads.services import Submission, record_submission
from comarketing.leads.services.intake import FUTURE_TOLERANCE
from comarketing.leads.services.persons import find_person
from comarketing.leads.services.touchpoints import Source, add_touch
from comarketing.leads.signals import touches_changed
from comarketing.links.floods import is_flood
from comarketing.links.models import Click, TrackedLink

NOBODY = Source(channel=CALL_CHANNEL)  # a call credited to no partner is still a call


@dataclass(frozen=True)
class CallInput:
    call_id: str
    tracking_number: str
    caller: str | None
    started_at: datetime  # UTC
    duration_s: int
    answered: bool


@dataclass(frozen=True)
class Resolved:
    """What a call credits: its source (NOBODY for nobody), the click of a held pool number,
    and whether it is evidence of the partner's credit."""

    number: CallNumber | None
    source: Source
    click: Click | None = None
    verified: bool = False


def min_seconds() -> int:
    """``CALL_MIN_SECONDS``: an answered call this long or longer is a conversion."""
    return int(current_app.config["CALL_MIN_SECONDS"])


def is_conversion(duration_s: int, answered: bool) -> bool:
    return answered and duration_s >= min_seconds()


def resolve(tracking: str, at: datetime) -> Resolved:
    """What a call to ``tracking`` (E.164) at ``at`` (UTC) credits. A partner's active static
    number: the partner and its activity (an MDF request's funded campaign), verified. A pool
    number held by a click at ``at``: the click's partner, link and campaign (a human click
    that is not a flood is evidence, as its ``cmclid`` would be). Anything else: nobody."""
    number = db.session.scalar(select(CallNumber).where(CallNumber.number == tracking))
    if number is None or not number.active:
        return Resolved(number, NOBODY)
    if number.kind is NumberKind.STATIC:
        campaign_id = number.campaign_id
        if number.mdf_request is not None:
            campaign_id = number.mdf_request.campaign_id
        source = Source(
            number.partner_id,
            campaign_id=campaign_id,
            webinar_id=number.webinar_id,
            channel=CALL_CHANNEL,
        )
        return Resolved(number, source, verified=True)
    held = (
        number.held_click_id is not None
        and number.held_until is not None
        and at <= number.held_until
    )
    click = db.session.get(Click, number.held_click_id) if held else None
    link = db.session.get(TrackedLink, click.link_id) if click is not None else None
    if click is None or link is None:
        return Resolved(number, NOBODY)
    source = Source(
        link.partner_id, link.campaign_id, link.webinar_id, link.id, channel=CALL_CHANNEL
    )
    verified = not click.is_bot and not is_flood(click)
    return Resolved(number, source, click, verified)


def _checked(data: CallInput) -> tuple[str, str | None]:
    problems = Problems()
    tracking = caller = None
    try:
        tracking = normalize_phone(data.tracking_number)
    except InvalidContact as error:
        problems.add("tracking_number", str(error))
    if data.caller and data.caller.strip():
        try:
            caller = normalize_phone(data.caller)
        except InvalidContact as error:
            problems.add("caller", str(error))
    if data.started_at > utcnow() + FUTURE_TOLERANCE:
        problems.add("started_at", _("Must not be in the future."))
    if data.duration_s < 0:
        problems.add("duration_s", _("Must not be negative."))
    problems.raise_if_any(_("The call cannot be recorded."))
    assert tracking is not None
    return tracking, caller


def _known(call_id: str) -> Call | None:
    return db.session.scalar(select(Call).where(Call.call_id == call_id))


def record_call(data: CallInput) -> tuple[Call, bool]:
    """Record a call once: ``(call, created)``; the same ``call_id`` again (even at the same
    moment, the unique index decides) is ``(the first, False)`` and changes nothing.

    An answered call of at least ``CALL_MIN_SECONDS`` from a caller is a conversion of kind
    ``call`` (a new lead, or another conversion of the person with that phone) with a touch
    of channel ``call``; a shorter or unanswered one is a touch of the known person only (an
    unknown caller's stays a call without a lead). A caller's withheld number (empty) makes
    no lead."""
    known = _known(data.call_id)
    if known is not None:
        return known, False
    tracking, caller = _checked(data)
    resolved = resolve(tracking, data.started_at)
    source = resolved.source
    call = Call(
        call_id=data.call_id,
        number_id=resolved.number.id if resolved.number else None,
        tracking_number=tracking,
        caller=caller,
        started_at=data.started_at,
        duration_s=data.duration_s,
        answered=data.answered,
        partner_id=source.partner_id,
        campaign_id=source.campaign_id,
        webinar_id=source.webinar_id,
        link_id=source.link_id,
        click_id=resolved.click.id if resolved.click else None,
        credited=source.partner_id is not None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(call)
            db.session.flush()
    except IntegrityError:
        again = _known(data.call_id)
        if again is None:
            raise
        return again, False
    if caller is not None:
        call.lead_id = _join_person(call, caller, resolved)
    db.session.flush()
    return call, True


def _join_person(call: Call, caller: str, resolved: Resolved) -> int | None:
    """The lead the call joins: a conversion for a long answered call, a touch of a known
    person otherwise (None: an unknown caller of a short call)."""
    if is_conversion(call.duration_s, call.answered):
        result = record_submission(
            Submission(
                kind=ConversionKind.CALL,
                phone=caller,
                occurred_at=call.started_at,
                touch_kind=TouchKind.CALL,
                source=resolved.source,
                verified=resolved.verified,
            )
        )
        return result.lead.id
    lead: Lead | None = find_person(None, caller)
    if lead is None:
        return None
    add_touch(lead, TouchKind.CALL, call.started_at, resolved.source)
    db.session.flush()
    touches_changed.send(lead_ids=[lead.id])
    return lead.id
