"""Erasure: a person's e-mail, phone, name and company leave every table (stored API answers
included) and their pending messages are cancelled, while counts and money stay."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import JSON, String, Text, func, select

import comarketing.models  # noqa: F401 - every table in the metadata
from comarketing.commissions.models import Commission, Payment
from comarketing.core.auth import Role
from comarketing.core.errors import NotFound, ValidationFailed
from comarketing.core.models import IdempotencyRecord
from comarketing.core.outbox import OutboxMessage, OutboxStatus
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.leads.models import Conversion, Lead
from comarketing.leads.services.erasure import erase_lead, erase_person
from comarketing.links.models import Visitor
from tests.factories import bearer, login

EMAIL = "irina.erase@client.example"
PHONE = "+79161234567"


@pytest.fixture
def person(client, make):
    """A person who registered for a webinar, was reported with an Idempotency-Key, and paid."""
    partner = make.partner("Партнёр Эпсилон")
    webinar = make.webinar([partner])
    staff = bearer(make.token(make.user(Role.ADMIN)))
    registered = client.post(
        f"/api/v1/webinars/{webinar.id}/registrations",
        json={"email": EMAIL, "name": "Ирина Стереть", "company": "ООО Забвение",
              "phone": PHONE, "utm_source": partner.slug},
        headers=staff,
    )  # fmt: skip
    assert registered.status_code == 201, registered.text
    lead = client.post(
        "/api/v1/leads",
        json={"email": EMAIL, "name": "Ирина Стереть", "utm_source": partner.slug},
        headers={**staff, "Idempotency-Key": "erase-me-1"},
    )
    assert lead.status_code == 200, lead.text  # the same person
    paid = client.post(
        "/api/v1/payments",
        json={"lead_id": lead.json["id"], "amount": "20000.00", "paid_at": utcnow().isoformat()},
        headers=staff,
    )
    assert paid.status_code == 201, paid.text
    return lead.json["id"]


def holders_of(*needles: str) -> list[str]:
    """Every table.column whose text holds one of ``needles``."""
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, String | Text | JSON):
                continue
            text = (
                func.lower(db.cast(column, String))
                if isinstance(column.type, JSON)
                else func.lower(column)
            )  # noqa: E501
            for needle in needles:
                hit = db.session.scalar(
                    select(func.count()).select_from(table).where(text.contains(needle.lower()))
                )
                if hit:
                    found.append(f"{table.name}.{column.name}")
    return found


def figures():
    return (
        db.session.scalar(select(func.count(Lead.id))),
        db.session.scalar(select(func.count(Conversion.id))),
        db.session.scalar(select(func.count(Payment.id))),
        db.session.scalar(select(func.sum(Commission.amount))),
    )


def test_erasing_leaves_no_personal_data_and_keeps_the_money(runner, person):
    assert holders_of(EMAIL, PHONE, "Ирина Стереть", "ООО Забвение")  # it was there
    pending = db.session.scalar(
        select(func.count(OutboxMessage.id)).where(
            OutboxMessage.lead_id == person, OutboxMessage.status == OutboxStatus.PENDING
        )
    )
    assert pending >= 1  # the webinar confirmation and reminders
    before = figures()
    result = runner.invoke(args=["leads", "erase", EMAIL.upper()])
    assert result.exit_code == 0, result.output
    assert f"lead #{person}" in result.output
    assert f"{pending} pending messages cancelled" in result.output
    assert holders_of(EMAIL, PHONE, "Ирина Стереть", "ООО Забвение") == []
    assert figures() == before
    assert before[3] == Decimal("10000.00")
    lead = db.session.get(Lead, person)
    assert lead.erased_at is not None
    statuses = set(
        db.session.scalars(select(OutboxMessage.status).where(OutboxMessage.lead_id == person))
    )
    assert OutboxStatus.PENDING not in statuses


@pytest.mark.parametrize(
    ("email", "refusal"),
    [("nobody@nowhere.example", NotFound), ("not-an-address", ValidationFailed)],
)
def test_erasing_an_unknown_or_bad_address_is_refused(runner, person, email, refusal):
    before = figures()
    with pytest.raises(refusal):
        erase_person(email)
    assert figures() == before
    assert db.session.get(Lead, person).email == EMAIL


def test_the_command_says_why_it_refuses(runner):
    result = runner.invoke(args=["leads", "erase", "nobody@nowhere.example"])
    assert result.exit_code == 1
    assert "Nobody with this e-mail is known." in result.output


def test_a_manager_erases_from_the_lead_page(client, make, person):
    login(client, make.user(Role.MARKETER))
    assert client.post(f"/leads/{person}/erase").status_code == 403
    client.post("/logout", data={})
    login(client, make.user(Role.MANAGER))
    page = client.get(f"/leads/{person}")
    assert 'data-testid="erase-form"' in page.text
    assert client.post(f"/leads/{person}/erase").status_code == 302
    assert db.session.get(Lead, person).erased_at is not None
    assert holders_of(EMAIL) == []
    assert client.post("/leads/2147483647/erase").status_code == 404


def test_erasure_reaches_answers_errors_and_visitors_that_text_search_misses(client, make):
    """A Cyrillic address (JSON-escaped in a stored answer), a phone-only person, a CRM
    error quoting the person, and the browser that led to them."""
    staff = bearer(make.token(make.user(Role.ADMIN)))
    cyrillic = client.post(
        "/api/v1/leads", json={"email": "ирина@почта.рф", "name": "Ирина"},
        headers={**staff, "Idempotency-Key": "cyr-1"},
    )  # fmt: skip
    phone_only = client.post(
        "/api/v1/leads", json={"phone": "+7 916 765-43-21"},
        headers={**staff, "Idempotency-Key": "phone-1"},
    )  # fmt: skip
    other = client.post(
        "/api/v1/leads", json={"email": "stays@client.example"},
        headers={**staff, "Idempotency-Key": "other-1"},
    )  # fmt: skip
    assert {a.status_code for a in (cyrillic, phone_only, other)} == {201}
    lead = db.session.get(Lead, cyrillic.json["id"])
    db.session.add(Visitor(id="v" * 32, lead_id=lead.id))
    db.session.add(
        OutboxMessage(channel="crm", topic="lead.created", payload={"lead_id": lead.id},
                      lead_id=lead.id, status=OutboxStatus.DEAD,
                      last_error="400 Bad Request: ирина@почта.рф is not valid")
    )  # fmt: skip
    db.session.commit()

    erase_lead(lead)
    erase_lead(db.session.get(Lead, phone_only.json["id"]))
    keys = set(db.session.scalars(select(IdempotencyRecord.key)))
    assert keys == {"other-1"}
    assert db.session.get(Visitor, "v" * 32) is None
    assert holders_of("ирина@почта.рф", "+79167654321") == []
