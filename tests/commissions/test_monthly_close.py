"""Commission plans by product and the monthly close (issue 20, contract §11). Plan: software
0.50 on each payment; telephony 0.10 below 100 000.00 a month, 0.15 from 100 000.00, on the
partner's whole monthly total. Hand-computed:

- November: two telephony payments of 60 000.00 (two clients of one partner) → total
  120 000.00, bracket 0.15 → one line of 18 000.00; closing again writes nothing.
- A 20 000.00 refund for November recorded in December, and a December payment of
  50 000.00: November recomputed is 100 000.00 × 0.15 = 15 000.00, already paid 18 000.00 →
  −3 000.00; December is 50 000.00 × 0.10 = 5 000.00. December's close: 2 000.00.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from comarketing.commissions.closing import close_month
from comarketing.commissions.models import Commission
from comarketing.commissions.plans import create_plan
from comarketing.commissions.services import record_payment
from comarketing.core.auth import Role
from comarketing.extensions import db
from comarketing.leads.models import ConversionKind
from comarketing.leads.services import Submission, record_submission
from tests.factories import bearer

TELEPHONY = [{"from": "0", "rate": "0.10"}, {"from": "100000.00", "rate": "0.15"}]


@pytest.fixture
def plans(app):
    create_plan(product="software", rate=Decimal("0.50"))
    create_plan(product="telephony", basis="monthly_total", brackets=TELEPHONY)
    db.session.commit()


def client_of(partner, name: str) -> int:
    lead = record_submission(
        Submission(kind=ConversionKind.API, email=f"{name}@client.example")
    ).lead
    lead.owner_partner_id = partner.id
    db.session.commit()
    return lead.id


def lines(
    partner_id: int, product: str = "telephony"
) -> list[tuple[str | None, str | None, Decimal, Decimal]]:
    rows = db.session.scalars(
        select(Commission)
        .where(Commission.partner_id == partner_id, Commission.product == product)
        .order_by(Commission.id)
    )
    return [(line.period, line.closed_in, line.basis, line.amount) for line in rows]


def test_the_issues_story(app, runner, make, plans, time_machine):
    partner = make.partner(commission_rate="0.20")
    first, second = client_of(partner, "one"), client_of(partner, "two")
    november = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
    time_machine.move_to(datetime(2026, 12, 2, 9, 0, tzinfo=UTC), tick=False)
    for lead_id in (first, second):
        result = record_payment(
            lead_id=lead_id, amount=Decimal("60000.00"), paid_at=november, product="telephony"
        )
        assert result.commission is None  # earned when the month closes
    db.session.commit()

    closed = runner.invoke(args=["commissions", "close-month", "2026-11"])
    assert closed.exit_code == 0, closed.output
    assert "1 line(s), 18000.00 RUB" in closed.output
    assert lines(partner.id) == [("2026-11", "2026-11", Decimal("120000.00"), Decimal("18000.00"))]
    again = runner.invoke(args=["commissions", "close-month", "2026-11"])
    assert again.exit_code == 0, again.output
    assert "0 line(s)" in again.output
    assert len(lines(partner.id)) == 1

    # December: the refund for November arrives late; a December payment comes in too.
    time_machine.move_to(datetime(2026, 12, 20, 9, 0, tzinfo=UTC), tick=False)
    record_payment(
        lead_id=first, amount=Decimal("-20000.00"), paid_at=november, product="telephony"
    )
    record_payment(
        lead_id=second,
        amount=Decimal("50000.00"),
        paid_at=datetime(2026, 12, 15, tzinfo=UTC),
        product="telephony",
    )
    db.session.commit()
    not_over = runner.invoke(args=["commissions", "close-month", "2026-12"])
    assert not_over.exit_code != 0
    assert "not over" in not_over.output

    time_machine.move_to(datetime(2027, 1, 2, 9, 0, tzinfo=UTC), tick=False)
    december = close_month(2026, 12)
    db.session.commit()
    assert str(december) == "2 line(s), 2000.00 RUB"
    assert lines(partner.id)[1:] == [
        ("2026-11", "2026-12", Decimal("100000.00"), Decimal("-3000.00")),
        ("2026-12", "2026-12", Decimal("50000.00"), Decimal("5000.00")),
    ]


def test_software_earns_the_plans_flat_rate_at_once(app, make, plans):
    partner = make.partner(commission_rate="0.20")
    lead_id = client_of(partner, "soft")
    result = record_payment(
        lead_id=lead_id, amount=Decimal("10000.00"), paid_at=datetime(2026, 11, 3, tzinfo=UTC)
    )
    assert result.payment.product == "software"
    assert (result.commission.rate, result.commission.amount) == (
        Decimal("0.50"),
        Decimal("5000.00"),
    )


def test_without_a_plan_the_partners_rate_applies_to_every_product(app, make):
    partner = make.partner(commission_rate="0.20")
    lead_id = client_of(partner, "noplan")
    result = record_payment(
        lead_id=lead_id,
        amount=Decimal("10000.00"),
        paid_at=datetime(2026, 11, 3, tzinfo=UTC),
        product="telephony",
    )
    assert result.commission.amount == Decimal("2000.00")


def test_a_plan_for_the_first_months_only(app, make):
    create_plan(product="hosting", rate=Decimal("0.30"), months=3)
    partner = make.partner()
    lead_id = client_of(partner, "host")
    paid = [datetime(2026, 1, 31, tzinfo=UTC), datetime(2026, 4, 29, 23, 59, tzinfo=UTC),
            datetime(2026, 4, 30, tzinfo=UTC)]  # fmt: skip
    earned = [
        record_payment(
            lead_id=lead_id, amount=Decimal("100"), paid_at=moment, product="hosting"
        ).commission
        for moment in paid
    ]
    # 31 January + 3 months ends on 30 April (exclusive): 29 April is inside, 30 April is not.
    assert [line.amount if line else None for line in earned] == [
        Decimal("30.00"),
        Decimal("30.00"),
        None,
    ]


def test_plans_through_the_api(app, client, make):
    manager = bearer(make.token(make.user(Role.MANAGER)))
    marketer = bearer(make.token(make.user(Role.MARKETER)))
    body = {"product": "telephony", "basis": "monthly_total", "brackets": TELEPHONY}
    assert client.post("/api/v1/commission-plans", headers=marketer, json=body).status_code == 403
    created = client.post("/api/v1/commission-plans", headers=manager, json=body)
    assert created.status_code == 201, created.json
    assert created.json["brackets"] == [
        {"from": "0.00", "rate": "0.10"},
        {"from": "100000.00", "rate": "0.15"},
    ]
    assert client.post("/api/v1/commission-plans", headers=manager, json=body).status_code == 409
    bad = client.post(
        "/api/v1/commission-plans",
        headers=manager,
        json={"product": "x y", "basis": "monthly_total", "brackets": [{"from": "5", "rate": "2"}]},
    )
    assert bad.status_code == 422
    listed = client.get("/api/v1/commission-plans", headers=marketer)
    assert [plan["product"] for plan in listed.json["items"]] == ["telephony"]


def test_the_payments_csv_takes_a_product_column(app, make, plans):
    from comarketing.commissions.imports import import_payments
    from comarketing.core.csv_import import CsvImportError

    partner = make.partner()
    client_of(partner, "csv")
    csv = (
        "email,amount,paid_at,external_id,product\n"
        "csv@client.example,70000,2026-11-05,inv-1,telephony\n"
        "csv@client.example,1000,2026-11-06,inv-2,\n"
    )
    report = import_payments(csv)
    db.session.commit()
    assert report.recorded == 2
    from comarketing.commissions.models import Payment

    products = db.session.scalars(select(Payment.product).order_by(Payment.id)).all()
    assert products == ["telephony", "software"]
    with pytest.raises(CsvImportError):
        import_payments(
            "email,amount,paid_at,product\ncsv@client.example,5,2026-11-07,Tele Phony\n"
        )


def test_a_manager_closes_the_month_on_the_page_and_both_statements_show_the_line(
    app, client, make, plans, time_machine
):
    from tests.factories import login

    partner = make.partner("Телефонный партнёр")
    for name in ("p1", "p2"):
        record_payment(
            lead_id=client_of(partner, name),
            amount=Decimal("60000.00"),
            paid_at=datetime(2026, 11, 10, 9, 0, tzinfo=UTC),
            product="telephony",
        )
    db.session.commit()
    time_machine.move_to(datetime(2026, 12, 2, 9, 0, tzinfo=UTC), tick=False)
    login(client, make.user(Role.MANAGER))
    english = {"Accept-Language": "en"}
    page = client.get("/commissions?month=2026-11", headers=english).text
    assert "Close November 2026" in page
    closed = client.post("/commissions/close?month=2026-11", headers=english, follow_redirects=True)
    assert "Closed: 1 line, RUB18,000.00." in closed.text
    statement = client.get(f"/commissions?month=2026-11&partner={partner.id}", headers=english)
    assert "telephony for November 2026: monthly total RUB120,000.00 at 15%" in statement.text
    csv = client.get(f"/commissions/statement.csv?month=2026-11&partner={partner.id}").text
    assert "telephony" in csv
    assert "2026-11" in csv

    client.post("/logout")
    login(client, make.user(Role.PARTNER, partner=partner))
    portal = client.get("/portal/commissions?month=2026-11", headers=english).text
    assert "monthly total RUB120,000.00 at 15%" in portal
    assert "RUB18,000.00" in portal


def test_a_month_that_is_not_over_cannot_be_closed_on_the_page(app, client, make, plans):
    from tests.factories import login

    login(client, make.user(Role.MANAGER))
    answer = client.post("/commissions/close?month=2099-01", follow_redirects=True)
    assert answer.status_code == 200
    assert db.session.scalar(select(Commission.id)) is None
