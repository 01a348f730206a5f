"""Bulk intake for imports: what ``record_submission`` does row by row, played in memory in
file order and written with a few statements per chunk.

The rules are those of ``persons``, ``touchpoints`` and ``ownership`` (a person found by
e-mail, else phone; a missing contact filled in when nobody has it; the earliest partner touch
in the look-back window owns a new lead; another partner inside protection is a conflict,
after it a re-bind). Rows with a ``cmclid`` need the visitor's clicks, so a chunk with any
goes through ``record_submission`` itself. A property test checks that both ways leave
identical data behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, or_, select, update

from comarketing.core.bulk_insert import insert_rows
from comarketing.core.db import reserve_ids
from comarketing.extensions import db
from comarketing.leads.models import (
    ConflictStatus,
    Conversion,
    Lead,
    LeadOwnership,
    LeadStatus,
    OwnershipConflict,
    OwnershipReason,
    TouchKind,
    Touchpoint,
)
from comarketing.leads.services.bulk_lookups import UTM, Lookups
from comarketing.leads.services.flags import flag_self_referrals
from comarketing.leads.services.intake import Submission, record_submission
from comarketing.leads.signals import NewLead, leads_created, touches_changed

LEADS = cast(Table, Lead.__table__)
OWNERSHIPS = cast(Table, LeadOwnership.__table__)
TOUCHPOINTS = cast(Table, Touchpoint.__table__)


@dataclass
class Person:
    """A lead as the rules see it while the chunk is played."""

    id: int
    email: str | None
    phone: str | None
    name: str
    company: str
    owner: int | None = None
    owned_since: datetime | None = None
    protected_until: datetime | None = None
    created_at: datetime | None = None  # set for persons this chunk creates
    closes_stored: datetime | None = None  # when its stored open ownership ended


@dataclass
class Writes:
    conversions: list[dict[str, Any]] = field(default_factory=list)
    touches: list[dict[str, Any]] = field(default_factory=list)
    ownerships: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    attached: list[dict[str, Any]] = field(default_factory=list)  # waiting touches → lead
    created: list[NewLead] = field(default_factory=list)
    open_ownership: dict[int, dict[str, Any]] = field(default_factory=dict)  # lead → its row


@dataclass
class Chunk:
    """The state of the play: persons by contact, which contacts are taken, waiting touches."""

    lookups: Lookups
    by_email: dict[str, Person]
    by_phone: dict[str, Person]
    waiting: dict[str, list[tuple[int, int | None, datetime]]]
    people: dict[int, Person] = field(default_factory=dict)
    writes: Writes = field(default_factory=Writes)


def import_chunk(rows: list[Submission]) -> int:
    """Record ``rows`` (already checked and normalised); returns how many persons are new."""
    if any(row.cmclid for row in rows):
        return sum(record_submission(row).created for row in rows)
    lookups = Lookups.load()
    chunk = _load(rows, lookups)
    connection = db.session.connection()
    lead_ids = iter(reserve_ids(connection, "leads", len(rows)))
    conversion_ids = iter(reserve_ids(connection, "conversions", len(rows)))
    created = 0
    for row in rows:
        at = row.occurred_at or lookups.now
        person = _find(chunk, row)
        is_new = person is None
        if person is None:
            person = _create(chunk, row, next(lead_ids), at)
            created += 1
        elif row.trusted:
            _update_contact(chunk, person, row)
        chunk.people[person.id] = person
        _convert(chunk, person, row, at, next(conversion_ids), is_new=is_new)
    _write(chunk)
    flag_self_referrals(person.id for person in chunk.people.values() if person.owner)
    touches_changed.send(lead_ids=list(chunk.people))
    return created


def _load(rows: list[Submission], lookups: Lookups) -> Chunk:
    emails = {row.email for row in rows if row.email}
    phones = {row.phone for row in rows if row.phone}
    found = db.session.execute(
        select(
            Lead.id,
            Lead.email,
            Lead.phone,
            Lead.name,
            Lead.company,
            Lead.owner_partner_id,
            Lead.owned_since,
            Lead.protected_until,
        ).where(or_(Lead.email.in_(emails), Lead.phone.in_(phones)))
    ).all()
    chunk = Chunk(lookups, {}, {}, {})
    for values in found:
        person = Person(*values)
        _register(chunk, person)
    if emails:
        for touch_id, email, partner_id, occurred_at in db.session.execute(
            select(Touchpoint.id, Touchpoint.email, Touchpoint.partner_id, Touchpoint.occurred_at)
            .where(Touchpoint.lead_id.is_(None), Touchpoint.email.in_(emails))
            .order_by(Touchpoint.id)
        ):
            chunk.waiting.setdefault(email or "", []).append((touch_id, partner_id, occurred_at))
    return chunk


def _register(chunk: Chunk, person: Person) -> None:
    if person.email:
        chunk.by_email[person.email] = person
    if person.phone:
        chunk.by_phone[person.phone] = person


def _find(chunk: Chunk, row: Submission) -> Person | None:
    """As ``persons.find_person``: by e-mail, else by phone."""
    if row.email and row.email in chunk.by_email:
        return chunk.by_email[row.email]
    return chunk.by_phone.get(row.phone) if row.phone else None


def _create(chunk: Chunk, row: Submission, lead_id: int, at: datetime) -> Person:
    person = Person(
        lead_id, row.email, row.phone, row.name.strip(), row.company.strip(), created_at=at
    )
    _register(chunk, person)
    return person


def _update_contact(chunk: Chunk, person: Person, row: Submission) -> None:
    """As ``persons.find_or_create_person`` for a known person."""
    if row.email and person.email is None and row.email not in chunk.by_email:
        person.email = row.email
        chunk.by_email[row.email] = person
    if row.phone and person.phone is None and row.phone not in chunk.by_phone:
        person.phone = row.phone
        chunk.by_phone[row.phone] = person
    if row.name.strip():
        person.name = row.name.strip()
    if row.company.strip():
        person.company = row.company.strip()


def _convert(
    chunk: Chunk, person: Person, row: Submission, at: datetime, conversion_id: int, *, is_new: bool
) -> None:
    """As the rest of ``intake.record_submission``: conversion, touches, owner, CRM."""
    lookups, writes = chunk.lookups, chunk.writes
    source = lookups.source(row.utm)
    writes.conversions.append(
        {
            "id": conversion_id,
            "lead_id": person.id,
            "kind": row.kind.value,
            "occurred_at": at,
            "name": row.name.strip()[:200],
            "company": row.company.strip()[:200],
            "created_at": lookups.now,
            "partner_id": source.partner_id if source else None,
            "campaign_id": source.campaign_id if source else None,
            "webinar_id": source.webinar_id if source else None,
            **{f"utm_{name}": row.utm.get(name) or None for name in UTM},
        }
    )
    candidates: list[tuple[datetime, int | None]] = []
    if source is not None:
        writes.touches.append(
            {
                "lead_id": person.id,
                "email": person.email,
                "kind": TouchKind.UTM.value,
                "occurred_at": at,
                "partner_id": source.partner_id,
                "campaign_id": source.campaign_id,
                "webinar_id": source.webinar_id,
                "channel": source.channel,
                "created_at": lookups.now,
            }
        )
        candidates.append((at, source.partner_id))
    for touch_id, partner_id, when in chunk.waiting.pop(person.email or "", []):
        writes.attached.append({"touch": touch_id, "lead": person.id})
        candidates.append((when, partner_id))
    if is_new:
        owners = sorted(
            (when, partner)
            for when, partner in candidates
            if partner is not None
            and partner not in lookups.inactive
            and at - lookups.lookback <= when <= at
        )
        if owners:
            _bind(chunk, person, owners[0][1], at, OwnershipReason.REGISTRATION.value)
        writes.created.append(NewLead(person.id, conversion_id))
    elif source is not None and source.partner_id is not None:
        _partner_converted(chunk, person, source.partner_id, at, conversion_id)


def _bind(chunk: Chunk, person: Person, partner_id: int, at: datetime, reason: str) -> None:
    """As ``ownership.bind_owner``: close the open ownership, open a new one, protect."""
    open_row = chunk.writes.open_ownership.get(person.id)
    if open_row is not None:
        open_row["ends_at"] = at
    elif person.created_at is None and person.closes_stored is None:
        person.closes_stored = at
    person.owner, person.owned_since = partner_id, at
    person.protected_until = at + chunk.lookups.protection
    row = {
        "lead_id": person.id,
        "partner_id": partner_id,
        "starts_at": at,
        "ends_at": None,
        "reason": reason,
        "decided_by_id": None,
        "note": "",
    }
    chunk.writes.ownerships.append(row)
    chunk.writes.open_ownership[person.id] = row


def _partner_converted(
    chunk: Chunk, person: Person, partner_id: int, at: datetime, conversion_id: int
) -> None:
    """As ``ownership.partner_converted`` for a bare ``utm_source`` (a file has no clicks):
    a conflict inside another owner's protection, never a (re-)binding."""
    if person.owner == partner_id or partner_id in chunk.lookups.inactive:
        return
    protected = person.protected_until is not None and at < person.protected_until
    if person.owner is not None and protected:
        chunk.writes.conflicts.append(
            {
                "lead_id": person.id,
                "owner_partner_id": person.owner,
                "claimant_partner_id": partner_id,
                "conversion_id": conversion_id,
                "occurred_at": at,
                "status": ConflictStatus.OPEN.value,
                "resolution_note": "",
            }
        )


def _write(chunk: Chunk) -> None:
    """Everything the play decided, in a few statements (parents before children)."""
    writes, now = chunk.writes, chunk.lookups.now
    new = [p for p in chunk.people.values() if p.created_at is not None]
    known = [p for p in chunk.people.values() if p.created_at is None]
    if new:
        insert_rows(
            LEADS,
            [
                {
                    "id": p.id,
                    "email": p.email,
                    "phone": p.phone,
                    "name": p.name,
                    "company": p.company,
                    "status": LeadStatus.NEW.value,
                    "owner_partner_id": p.owner,
                    "owned_since": p.owned_since,
                    "protected_until": p.protected_until,
                    "created_at": p.created_at,
                    "updated_at": p.created_at,
                }
                for p in new
            ],
        )
    if known:
        db.session.execute(
            update(LEADS)
            .where(LEADS.c.id == bindparam("lead_id"))
            .values(
                email=bindparam("new_email"),
                phone=bindparam("new_phone"),
                name=bindparam("new_name"),
                company=bindparam("new_company"),
                owner_partner_id=bindparam("owner"),
                owned_since=bindparam("since"),
                protected_until=bindparam("until"),
                updated_at=bindparam("now"),
            ),
            [
                {
                    "lead_id": p.id,
                    "new_email": p.email,
                    "new_phone": p.phone,
                    "new_name": p.name,
                    "new_company": p.company,
                    "owner": p.owner,
                    "since": p.owned_since,
                    "until": p.protected_until,
                    "now": now,
                }
                for p in known
            ],
        )
    closes = [{"closed": p.id, "ends": p.closes_stored} for p in known if p.closes_stored]
    if closes:
        db.session.execute(
            update(OWNERSHIPS)
            .where(OWNERSHIPS.c.lead_id == bindparam("closed"), OWNERSHIPS.c.ends_at.is_(None))
            .values(ends_at=bindparam("ends")),
            closes,
        )
    for table, rows in (
        (Conversion.__table__, writes.conversions),
        (TOUCHPOINTS, writes.touches),
        (OWNERSHIPS, writes.ownerships),
        (OwnershipConflict.__table__, writes.conflicts),
    ):
        insert_rows(cast(Table, table), rows)
    if writes.attached:
        db.session.execute(
            update(TOUCHPOINTS)
            .where(TOUCHPOINTS.c.id == bindparam("touch"))
            .values(lead_id=bindparam("lead")),
            writes.attached,
        )
    if writes.created:
        leads_created.send(leads=writes.created)
