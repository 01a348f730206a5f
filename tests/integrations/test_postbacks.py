"""Partner postbacks (contract §8) over real sockets: each partner's server on 127.0.0.1 hears
of its own leads — new, a new status, a new commission — exactly once, signed with the secret
it was given, and never of another partner's; deleted endpoints, erased people and private
targets in production get nothing. Through the API, a partner manages only its own endpoints.
"""

from __future__ import annotations

import hmac
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event, select

from comarketing.commissions.services import record_payment
from comarketing.core.auth import Role
from comarketing.core.outbox import OutboxMessage, OutboxStatus, deliver_due
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.integrations.postbacks.models import PostbackEndpoint
from comarketing.integrations.postbacks.subscribers import enqueue_lead_created
from comarketing.leads.models import ConversionKind, Lead, LeadStatus
from comarketing.leads.services import Submission, record_submission
from comarketing.leads.services.erasure import erase_lead
from comarketing.leads.services.imports import import_leads
from comarketing.leads.services.status import apply_crm_state
from comarketing.leads.signals import NewLead
from tests.factories import bearer
from tests.integrations.crm_fakes import Answer, FakeServer, Received


@dataclass
class PartnerServer(FakeServer):
    """A partner's receiver: records every POST, answers 200 (500 for the first
    ``fail_first``)."""

    fail_first: int = 0

    def answer(self, request: Received) -> Answer:
        if len(self.received) < self.fail_first:
            return 500, {}, {"error": "restarting"}
        return 200, {}, {"ok": True}

    def events(self) -> list[str]:
        return [r.headers["X-Comarketing-Event"] for r in self.received if r.status == 200]

    def bodies(self) -> list[dict]:
        return [r.json() for r in self.received if r.status == 200]


@dataclass
class Side:
    """One partner with its portal user's token, its server and its endpoint's secret."""

    partner: object
    token: dict[str, str]
    server: PartnerServer
    endpoint_id: int = 0
    secret: str = ""
    leads: list[Lead] = field(default_factory=list)


@pytest.fixture
def servers(app):
    started: list[FakeServer] = []

    def start(server):
        started.append(server.start())
        return server

    yield start
    for server in started:
        server.stop()


def add_endpoint(client, side: Side, events=None, url=None) -> dict:
    body = {"url": url or f"{side.server.base_url}/hooks/comarketing"}
    if events is not None:
        body["events"] = events
    response = client.post("/api/v1/postbacks", json=body, headers=side.token)
    assert response.status_code == 201, response.text
    return response.json


@pytest.fixture
def sides(client, make, servers) -> tuple[Side, Side]:
    made = []
    for name in ("Альфа Интеграция", "Бета Интеграция"):
        partner = make.partner(name)
        token = bearer(make.token(make.user(Role.PARTNER, partner=partner)))
        side = Side(partner, token, servers(PartnerServer()))
        created = add_endpoint(client, side)
        side.endpoint_id, side.secret = created["id"], created["secret"]
        made.append(side)
    return made[0], made[1]


def new_lead(email: str, partner=None, name: str = "Анна Смирнова") -> Lead:
    utm = {"source": partner.slug} if partner is not None else {}
    result = record_submission(
        Submission(kind=ConversionKind.API, email=email, name=name, company="Ромашка", utm=utm)
    )
    db.session.commit()
    assert result.lead.owner_partner_id == (partner.id if partner is not None else None)
    return result.lead


def signature_ok(secret: str, request: Received) -> bool:
    """The check a partner's server makes, written here without our code."""
    parts = dict(p.split("=", 1) for p in request.headers["X-Comarketing-Signature"].split(","))
    if abs(time.time() - int(parts["t"])) > 300:
        return False
    expected = hmac.new(secret.encode(), parts["t"].encode() + b"." + request.body, "sha256")
    return hmac.compare_digest(expected.hexdigest(), parts["v1"])


def postback_messages() -> list[OutboxMessage]:
    return db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.topic.startswith("postback."))
        .order_by(OutboxMessage.id)
    ).all()


def test_a_new_lead_reaches_its_owner_once_signed_and_no_other_partner(sides):
    a, b = sides
    lead_a = new_lead("client-of-alfa@example.com", a.partner)
    lead_b = new_lead("client-of-beta@example.com", b.partner, name="Борис Котов")
    new_lead("nobodys@example.com")  # no owner: no postback at all

    assert deliver_due().delivered == 2
    assert deliver_due(now=utcnow() + timedelta(days=30)).delivered == 0  # nothing left

    (request,) = a.server.received
    assert request.path == "/hooks/comarketing"
    assert signature_ok(a.secret, request)
    assert not signature_ok(b.secret, request)
    assert request.headers["X-Comarketing-Event"] == "lead.created"
    (message,) = [m for m in postback_messages() if m.lead_id == lead_a.id]
    assert request.headers["X-Comarketing-Delivery"] == str(message.id)
    assert message.status is OutboxStatus.DELIVERED
    body = request.json()
    assert body == {
        "event": "lead.created",
        "delivery_id": str(message.id),
        "occurred_at": lead_a.created_at.isoformat().replace("+00:00", "Z"),
        "lead": {
            "id": lead_a.id,
            "email": "client-of-alfa@example.com",
            "name": "Анна Смирнова",
            "status": "new",
        },
    }
    # B heard of its own lead only, never of A's.
    (b_request,) = b.server.received
    assert signature_ok(b.secret, b_request)
    assert b_request.json()["lead"] == {
        "id": lead_b.id,
        "email": "client-of-beta@example.com",
        "name": "Борис Котов",
        "status": "new",
    }
    assert b"client-of-alfa" not in b_request.body


def test_a_status_change_arrives_once_with_both_statuses(sides):
    a, b = sides
    lead = new_lead("status@example.com", a.partner)
    deliver_due()
    modified_at = utcnow().replace(microsecond=0) - timedelta(minutes=5)

    assert apply_crm_state(lead, LeadStatus.WORKING, modified_at, reference="test")
    db.session.commit()
    assert deliver_due().delivered == 1
    # The same CRM state again (a replayed event) changes nothing and tells nobody.
    assert not apply_crm_state(lead, LeadStatus.WORKING, modified_at, reference="test")
    db.session.commit()
    assert deliver_due(now=utcnow() + timedelta(days=30)).delivered == 0

    assert a.server.events() == ["lead.created", "lead.status_changed"]
    request = a.server.received[-1]
    assert signature_ok(a.secret, request)
    changed = request.json()
    assert changed["event"] == "lead.status_changed"
    assert changed["occurred_at"] == modified_at.isoformat().replace("+00:00", "Z")
    assert changed["lead"] == {
        "id": lead.id,
        "email": "status@example.com",
        "name": "Анна Смирнова",
        "status": "working",
        "previous_status": "new",
    }
    assert b.server.received == []


def test_a_commission_reaches_the_partner_that_earned_it(sides):
    a, b = sides
    lead = new_lead("payer@example.com", a.partner)
    result = record_payment(lead_id=lead.id, amount=Decimal("12500.00"), paid_at=utcnow())
    db.session.commit()
    assert result.commission is not None

    assert deliver_due().delivered == 3
    assert deliver_due(now=utcnow() + timedelta(days=30)).delivered == 0
    # The first payment also made the lead a customer.
    assert a.server.events() == ["lead.created", "lead.status_changed", "commission.created"]
    assert all(signature_ok(a.secret, r) for r in a.server.received)
    customer, commission = a.server.bodies()[1:]
    assert (customer["lead"]["previous_status"], customer["lead"]["status"]) == ("new", "customer")
    assert commission["commission"] == {
        "id": result.commission.id,
        "lead_id": lead.id,
        "amount": "6250.00",
        "status": "pending",
        "product": "software",
        "period": None,
        "created_at": result.commission.created_at.isoformat().replace("+00:00", "Z"),
    }
    assert commission["lead"] == {
        "id": lead.id,
        "email": "payer@example.com",
        "name": "Анна Смирнова",
    }
    assert b.server.received == []
    # Nothing of the vendor's own: no payment amount, no won amount, no CRM ids.
    sent = b"".join(r.body for r in a.server.received)
    assert b"12500" not in sent
    assert b"won_amount" not in sent
    assert b"external_id" not in sent


def test_a_closed_months_line_reaches_its_partner_without_a_lead(sides, time_machine):
    """A telephony month closes into one line per partner (no single lead): the partner
    hears of it, with the product and the month, and the other partner hears nothing."""
    from comarketing.commissions.closing import close_month
    from comarketing.commissions.plans import create_plan

    a, b = sides
    create_plan(
        product="telephony",
        basis="monthly_total",
        brackets=[{"from": "0", "rate": "0.10"}, {"from": "100000", "rate": "0.15"}],
    )
    lead = new_lead("caller@example.com", a.partner)
    november = datetime(2026, 11, 12, 9, 0, tzinfo=UTC)
    record_payment(
        lead_id=lead.id, amount=Decimal("30000.00"), paid_at=november, product="telephony"
    )
    db.session.commit()
    deliver_due()
    time_machine.move_to(datetime(2026, 12, 3, tzinfo=UTC), tick=False)
    (line,) = close_month(2026, 11).lines
    db.session.commit()
    assert deliver_due().delivered == 1
    closed = a.server.bodies()[-1]
    assert closed["event"] == "commission.created"
    assert closed["lead"] is None
    assert closed["commission"]["lead_id"] is None
    assert (closed["commission"]["product"], closed["commission"]["period"]) == (
        "telephony",
        "2026-11",
    )
    assert closed["commission"]["amount"] == "3000.00"
    assert line.amount == Decimal("3000.00")
    assert b.server.received == []


def test_only_the_events_asked_for_are_sent(client, sides):
    a, _ = sides
    client.delete(f"/api/v1/postbacks/{a.endpoint_id}", headers=a.token)
    only = add_endpoint(client, a, events=["commission.created"])
    assert only["events"] == ["commission.created"]
    lead = new_lead("picky@example.com", a.partner)
    apply_crm_state(lead, LeadStatus.WORKING, utcnow(), reference="test")
    record_payment(lead_id=lead.id, amount=Decimal("1000.00"), paid_at=utcnow())
    db.session.commit()

    assert deliver_due().delivered == 1
    assert a.server.events() == ["commission.created"]


def test_a_failed_postback_is_retried_with_the_same_delivery_id(sides):
    a, _ = sides
    a.server.fail_first = 2
    new_lead("retry@example.com", a.partner)
    moment = utcnow()
    assert deliver_due(now=moment).retried == 1
    assert deliver_due(now=moment + timedelta(hours=1)).retried == 1
    assert deliver_due(now=moment + timedelta(hours=2)).delivered == 1
    assert deliver_due(now=moment + timedelta(days=30)).delivered == 0

    assert [r.status for r in a.server.received] == [500, 500, 200]
    assert len({r.headers["X-Comarketing-Delivery"] for r in a.server.received}) == 1
    assert len({r.body for r in a.server.received}) == 1  # the same postback every time
    (message,) = postback_messages()
    assert (message.status, message.attempts) == (OutboxStatus.DELIVERED, 3)


def test_a_deleted_endpoint_and_an_erased_person_get_nothing(client, sides):
    a, b = sides
    new_lead("before-delete@example.com", a.partner)
    erased = new_lead("erase-me@example.com", b.partner)
    assert client.delete(f"/api/v1/postbacks/{a.endpoint_id}", headers=a.token).status_code == 204
    erase_lead(erased)
    db.session.commit()

    assert deliver_due().delivered == 0
    assert a.server.received == []
    assert b.server.received == []
    assert {m.status for m in postback_messages()} == {OutboxStatus.CANCELLED}
    queued = len(postback_messages())
    new_lead("after-delete@example.com", a.partner)
    assert len(postback_messages()) == queued  # a deleted endpoint is queued nothing
    assert a.server.received == []


def test_contacts_go_only_to_the_partner_that_owns_the_lead_when_sent(sides):
    """A lead re-bound to another partner between the event and its delivery: the first
    partner still hears of its event, but no longer gets the person's contacts."""
    a, b = sides
    lead = new_lead("moved@example.com", a.partner)
    lead.owner_partner_id = b.partner.id
    db.session.commit()

    deliver_due()
    (body,) = a.server.bodies()
    assert body["lead"] == {"id": lead.id, "email": None, "name": None, "status": "new"}
    assert b"moved@example.com" not in a.server.received[0].body
    assert b.server.received == []


def test_an_inactive_partner_is_told_nothing(sides):
    a, _ = sides
    new_lead("inactive@example.com", a.partner)
    a.partner.active = False
    db.session.commit()
    assert deliver_due().delivered == 1  # done: nothing to send any more
    assert a.server.received == []


def test_a_bulk_import_tells_each_partner_of_its_own_leads_only(sides):
    a, b = sides
    rows = ["email,name,utm_source"]
    rows += [f"imp{i}@example.com,Клиент {i},{a.partner.slug}" for i in range(30)]
    rows += [f"impb{i}@example.com,Клиент Б {i},{b.partner.slug}" for i in range(20)]
    rows += [f"none{i}@example.com,Ничей {i}," for i in range(10)]
    import_leads("\n".join(rows) + "\n")
    db.session.commit()
    messages = postback_messages()
    by_endpoint = {}
    for message in messages:
        by_endpoint.setdefault(message.payload["endpoint_id"], []).append(message.lead_id)
    assert len(by_endpoint[a.endpoint_id]) == 30
    assert len(by_endpoint[b.endpoint_id]) == 20
    owners = dict(db.session.execute(select(Lead.id, Lead.owner_partner_id)).all())
    assert {owners[lead_id] for lead_id in by_endpoint[a.endpoint_id]} == {a.partner.id}
    assert {owners[lead_id] for lead_id in by_endpoint[b.endpoint_id]} == {b.partner.id}

    deliver_due()
    assert len(a.server.received) == 30
    assert len(b.server.received) == 20
    a_emails = {r.json()["lead"]["email"] for r in a.server.received}
    assert a_emails == {f"imp{i}@example.com" for i in range(30)}
    b_emails = {r.json()["lead"]["email"] for r in b.server.received}
    assert b_emails == {f"impb{i}@example.com" for i in range(20)}


def test_the_receiver_reads_500_leads_a_query(sides):
    a, _ = sides
    rows = ["email,utm_source"] + [f"bulk{i}@example.com,{a.partner.slug}" for i in range(1100)]
    import_leads("\n".join(rows) + "\n")
    db.session.commit()
    messages = postback_messages()
    assert len(messages) == 1100
    assert {m.payload["endpoint_id"] for m in messages} == {a.endpoint_id}

    lead_ids = [m.lead_id for m in messages]
    statements: list[str] = []

    def count(*args) -> None:  # type: ignore[no-untyped-def]
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        queued = enqueue_lead_created(leads=[NewLead(lead_id, 0) for lead_id in lead_ids])
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert queued == 1100
    assert len(statements) <= 3 + 1  # three reads of ≤ 500 leads, one bulk insert


# --- the endpoint's address: a stranger's input --------------------------------------------


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("ftp://files.example/hook", "url"),
        ("https://", "url"),
        ("https://hooks.example/a b", "url"),
        ("", "url"),
        ("https://hooks.example/" + "a" * 2100, "url"),
    ],
)
def test_an_address_that_is_not_an_http_url_is_a_422(client, sides, url, field):
    a, _ = sides
    response = client.post("/api/v1/postbacks", json={"url": url}, headers=a.token)
    assert response.status_code == 422, response.text
    assert field in response.json["error"]["fields"]


def test_unknown_events_are_a_422(client, sides):
    a, _ = sides
    for events in (["lead.deleted"], [], "lead.created"):
        response = client.post(
            "/api/v1/postbacks",
            json={"url": "https://hooks.example/x", "events": events},
            headers=a.token,
        )
        assert response.status_code == 422, response.text
        assert any(name.startswith("events") for name in response.json["error"]["fields"])


def test_private_targets_are_refused_in_production_even_when_allowed(app, client, sides):
    """Production never sends a partner's postback to loopback or private networks, even
    when OUTBOUND_ALLOW_PRIVATE is on for the vendor's own CRM."""
    a, b = sides
    new_lead("prod@example.com", a.partner)
    app.config.update(ENV="production", OUTBOUND_ALLOW_PRIVATE=True)
    try:
        for url in (a.server.base_url, "http://10.0.0.8/hook", "http://[::1]:8080/hook"):
            response = client.post("/api/v1/postbacks", json={"url": url}, headers=b.token)
            assert response.status_code == 422, (url, response.text)
        assert deliver_due().dead == 1  # stored while allowed: refused when sent, never retried
    finally:
        app.config.update(ENV="testing", OUTBOUND_ALLOW_PRIVATE=True)
    assert a.server.received == []
    (message,) = postback_messages()
    assert "private or local address" in message.last_error


# --- the API: each partner manages its own endpoints ---------------------------------------


def test_the_secret_is_shown_once_and_endpoints_stay_with_their_partner(client, make, sides):
    a, b = sides
    own = client.get(f"/api/v1/postbacks/{a.endpoint_id}", headers=a.token)
    assert own.status_code == 200
    assert "secret" not in own.json
    assert own.json["events"] == ["lead.created", "lead.status_changed", "commission.created"]
    listed = client.get("/api/v1/postbacks", headers=a.token).json
    assert [item["id"] for item in listed["items"]] == [a.endpoint_id]
    assert a.secret not in json.dumps(listed)

    # B cannot see, nor delete, A's endpoint: 404, as for one that does not exist.
    assert client.get(f"/api/v1/postbacks/{a.endpoint_id}", headers=b.token).status_code == 404
    assert client.delete(f"/api/v1/postbacks/{a.endpoint_id}", headers=b.token).status_code == 404
    assert db.session.get(PostbackEndpoint, a.endpoint_id) is not None

    # Staff read every partner's endpoints (no secrets); only partners add them.
    for role in (Role.MANAGER, Role.ADMIN):
        staff = bearer(make.token(make.user(role)))
        items = client.get("/api/v1/postbacks", headers=staff).json["items"]
        assert {item["id"] for item in items} == {a.endpoint_id, b.endpoint_id}
        assert "secret" not in items[0]
        response = client.post(
            "/api/v1/postbacks", json={"url": "https://x.example/"}, headers=staff
        )
        assert response.status_code == 403
    manager = bearer(make.token(make.user(Role.MANAGER)))
    assert client.delete(f"/api/v1/postbacks/{b.endpoint_id}", headers=manager).status_code == 403
    admin = bearer(make.token(make.user(Role.ADMIN)))
    assert client.delete(f"/api/v1/postbacks/{b.endpoint_id}", headers=admin).status_code == 204
    assert client.get(f"/api/v1/postbacks/{b.endpoint_id}", headers=b.token).status_code == 404


def test_one_endpoint_per_address_and_a_few_per_partner(client, sides):
    a, _ = sides
    again = client.post(
        "/api/v1/postbacks", json={"url": f"{a.server.base_url}/hooks/comarketing"}, headers=a.token
    )
    assert again.status_code == 409
    assert again.json["error"]["code"] == "duplicate_url"
    for n in range(4):
        add_endpoint(client, a, url=f"https://hooks.example/{n}")
    full = client.post(
        "/api/v1/postbacks", json={"url": "https://hooks.example/6"}, headers=a.token
    )
    assert full.status_code == 409
    assert full.json["error"]["code"] == "too_many_endpoints"
