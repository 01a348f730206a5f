"""Payments and commissions: the owner's rate, repeats harmless, refunds reverse."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from comarketing.commissions.models import Commission, Payment
from comarketing.commissions.services import approve_due, mark_paid
from comarketing.core.auth import Role
from comarketing.extensions import db
from comarketing.leads.models import Lead
from tests.factories import bearer

NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def marketer(make):
    return bearer(make.token(make.user(Role.MARKETER)))


@pytest.fixture
def lead_of_a(client, make, marketer):
    partner = make.partner("Партнёр А", commission_rate="0.50")
    body = {"email": "client@example.com", "utm_source": partner.slug}
    lead = client.post("/api/v1/leads", json=body, headers=marketer).json
    return partner, lead


def pay(client, headers, lead_id, amount, **extra):
    body = {"lead_id": lead_id, "amount": amount, "paid_at": NOW.isoformat()} | extra
    return client.post("/api/v1/payments", json=body, headers=headers)


def test_payment_earns_the_owner_its_rate(client, marketer, lead_of_a):
    partner, lead = lead_of_a
    response = pay(client, marketer, lead["id"], "10000.00", external_id="inv-1")
    assert response.status_code == 201, response.json
    commission = response.json["commission"]
    assert (commission["amount"], commission["rate"], commission["status"]) == (
        "5000.00",
        "0.50",
        "pending",
    )
    assert commission["partner_id"] == partner.id
    stored = db.session.get(Lead, lead["id"])
    assert (stored.status, stored.first_payment_at) == ("customer", NOW)


def test_same_external_id_adds_nothing(client, marketer, lead_of_a):
    _, lead = lead_of_a
    first = pay(client, marketer, lead["id"], "10000.00", external_id="inv-1")
    again = pay(client, marketer, lead["id"], "10000.00", external_id="inv-1")
    assert again.status_code == 200
    assert again.json["id"] == first.json["id"]
    assert db.session.scalar(select(func.count(Payment.id))) == 1
    assert db.session.scalar(select(func.count(Commission.id))) == 1


def test_refund_reverses_the_commission(client, marketer, lead_of_a):
    _, lead = lead_of_a
    paid = pay(client, marketer, lead["id"], "10000.00", external_id="inv-1").json
    refund = pay(client, marketer, lead["id"], "-10000.00", external_id="inv-1-refund").json
    line = refund["commission"]
    assert (line["amount"], line["status"]) == ("-5000.00", "reversed")
    reversal = db.session.get(Commission, line["id"])
    assert reversal.reverses_id == paid["commission"]["id"]
    total = db.session.scalar(select(func.sum(Commission.amount)))
    assert total == Decimal("0.00")


def test_unowned_lead_pays_no_commission(client, marketer):
    lead = client.post("/api/v1/leads", json={"email": "direct@example.com"}, headers=marketer).json
    assert pay(client, marketer, lead["id"], "5000").json["commission"] is None


@pytest.mark.parametrize(
    ("amount", "extra", "field"),
    [
        ("0", {}, "amount"),
        ("10.005", {}, "amount"),
        ("100", {"lead_id": 999_999}, "lead_id"),
        ("100", {"paid_at": "2099-01-01T00:00:00Z"}, "paid_at"),
        ("abc", {}, "amount"),
    ],
)
def test_bad_payments_are_422(client, marketer, lead_of_a, amount, extra, field):
    _, lead = lead_of_a
    body = {"lead_id": lead["id"], "amount": amount, "paid_at": NOW.isoformat()} | extra
    response = client.post("/api/v1/payments", json=body, headers=marketer)
    assert response.status_code == 422
    assert field in response.json["error"]["fields"]
    assert db.session.scalar(select(func.count(Payment.id))) == 0


def test_commission_lifecycle(client, marketer, lead_of_a):
    partner, lead = lead_of_a
    pay(client, marketer, lead["id"], "10000.00")
    assert approve_due(NOW + timedelta(days=29)) == 0
    assert approve_due(NOW + timedelta(days=31)) == 1
    db.session.commit()
    assert mark_paid(partner.id, NOW - timedelta(days=1), NOW + timedelta(days=1)) == 1
    db.session.commit()
    listed = client.get(f"/api/v1/commissions?partner_id={partner.id}", headers=marketer).json
    assert [line["status"] for line in listed["items"]] == ["paid"]


def test_partner_sees_only_its_commissions(client, make, marketer, lead_of_a):
    partner, lead = lead_of_a
    pay(client, marketer, lead["id"], "10000.00")
    other = make.partner()
    mine = bearer(make.token(make.user(Role.PARTNER, partner)))
    theirs = bearer(make.token(make.user(Role.PARTNER, other)))
    assert len(client.get("/api/v1/commissions", headers=mine).json["items"]) == 1
    assert client.get("/api/v1/commissions", headers=theirs).json["items"] == []
    assert pay(client, mine, lead["id"], "1").status_code == 403
