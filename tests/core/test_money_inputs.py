"""Amounts typed into staff forms and CSV files follow the one rule of ``core.money``: a
fraction of a kopeck, NaN, infinities and amounts the money columns cannot hold are refused
with a message (never a 500, never rounded), and amounts written with grouped thousands
(Excel's no-break spaces) are read in every import."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from sqlalchemy import func, select

from comarketing.campaigns.models import Campaign
from comarketing.commissions.imports import import_payments
from comarketing.commissions.models import Payment
from comarketing.core.auth import Role
from comarketing.core.csv_import import CsvImportError
from comarketing.extensions import db
from comarketing.leads.services.imports import import_leads
from comarketing.mdf.models import MdfBudget
from comarketing.spend.models import Spend
from comarketing.spend.services import import_spend
from tests.factories import login

EN = {"Accept-Language": "en"}
PLACES = "Give an amount in roubles with at most two decimal places."
TOO_LARGE = "The amount is too large."


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def campaign(client, make):
    login(client, make.user(Role.ADMIN))
    return make.campaign([make.partner()])


def post_spend(client, campaign: Campaign, amount: str):
    data = {"amount": amount, "spent_on": "2026-12-01", "paid_by": "vendor", "partner_id": "0"}
    return client.post(f"/campaigns/{campaign.id}/spend", data=data, headers=EN)


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("100.005", PLACES),  # was rounded to 100.01 without a word
        ("NaN", PLACES),  # was a 500
        ("Infinity", PLACES),  # was a 500
        ("1e13", TOO_LARGE),  # was a database error on PostgreSQL
    ],
)
def test_the_spend_form_refuses_what_is_not_an_amount(client, campaign, amount, message):
    response = post_spend(client, campaign, amount)
    assert response.status_code == 200
    assert message in response.text
    assert count(Spend) == 0


def test_the_spend_form_takes_whole_kopecks(client, campaign):
    assert post_spend(client, campaign, "100.050").status_code == 302
    assert db.session.scalar(select(Spend.amount)) == Decimal("100.05")


def campaign_form(partner_id: int, budget: str) -> dict[str, object]:
    return {
        "name": "Директ",
        "channel": "yandex_direct",
        "starts_on": "2026-12-01",
        "ends_on": "2026-12-31",
        "budget": budget,
        "partners-0-partner_id": partner_id,
        **{f"partners-{row}-partner_id": "0" for row in (1, 2, 3)},
    }


@pytest.mark.parametrize(
    ("budget", "message"),
    [
        ("250000.001", PLACES),  # was rounded to 250000.00 without a word
        ("Infinity", PLACES),  # was a 500
        ("1000000000000", TOO_LARGE),
        ("-1", "Number must be at least 0."),
    ],
)
def test_the_campaign_form_refuses_a_budget_that_is_not_an_amount(
    client, make, campaign, budget, message
):
    before = count(Campaign)
    form = campaign_form(make.partner().id, budget)
    response = client.post("/campaigns/new", data=form, headers=EN)
    assert response.status_code == 200
    assert message in response.text
    assert count(Campaign) == before


def test_the_campaign_form_takes_a_budget_in_whole_kopecks(client, make, campaign):
    response = client.post("/campaigns/new", data=campaign_form(make.partner().id, "250000.50"))
    assert response.status_code == 302
    created = db.session.scalar(select(Campaign).where(Campaign.name == "Директ"))
    assert created.budget == Decimal("250000.50")


@pytest.mark.parametrize(("amount", "message"), [("1e30", TOO_LARGE), ("12.345", PLACES)])
def test_the_mdf_budget_form_refuses_what_is_not_an_amount(client, make, amount, message):
    login(client, make.user(Role.MANAGER))
    data = {"name": "Q", "period_start": "2026-12-01", "period_end": "2026-12-31"}
    response = client.post("/mdf/budgets/new", data=data | {"amount": amount}, headers=EN)
    assert response.status_code == 422  # "1e30" was a 500: round() overflowed
    assert message in response.text
    assert count(MdfBudget) == 0


def spend_file(campaign: Campaign, *amounts: str) -> bytes:
    rows = [
        f"2026-12-0{day};{amount};vendor;{campaign.slug}" for day, amount in enumerate(amounts, 1)
    ]
    return "\n".join(["spent_on;amount;paid_by;campaign", *rows]).encode()


def test_spend_import_reads_grouped_thousands(client, campaign):
    data = spend_file(campaign, "12\u00a0500,50", "1\u202f000", "300.10")
    assert import_spend(data) == 3
    amounts = db.session.scalars(select(Spend.amount).order_by(Spend.spent_on)).all()
    assert amounts == [Decimal("12500.50"), Decimal("1000.00"), Decimal("300.10")]


def test_spend_import_refuses_what_is_not_an_amount(client, campaign):
    data = spend_file(campaign, "100,005", "1e30", "x", "0", "10")
    with pytest.raises(CsvImportError) as refused:
        import_spend(data)
    assert refused.value.errors.by_line == {
        2: ["amount: at most 2 decimal places"],  # was imported as 100.01
        3: ["amount: at most 12 digits before the decimal point"],  # was a crash
        4: ["amount: not a number"],
        5: ["amount: The amount must be positive."],
    }
    assert count(Spend) == 0


def test_the_spend_upload_page_lists_the_amount_problems(client, campaign):
    upload = client.post(
        "/campaigns/spend/import",
        data={"file": (BytesIO(spend_file(campaign, "100,005")), "spend.csv")},
        headers=EN,
    )
    assert upload.status_code == 200
    assert "amount: at most 2 decimal places" in upload.text
    assert count(Spend) == 0


@pytest.fixture
def anna(make):
    partner = make.partner()
    import_leads(f"email,utm_source\nanna@example.com,{partner.slug}\n")
    db.session.commit()


def test_payments_import_reads_grouped_thousands(anna):
    data = "email;amount;paid_at;external_id\n"
    data += "anna@example.com;29\u00a0900,00;2026-11-20;inv-1\n"  # was refused: no-break space
    data += "anna@example.com;-1\u202f000,00;2026-11-21;inv-2\n"
    report = import_payments(data)
    assert (report.rows, report.recorded) == (2, 2)
    amounts = db.session.scalars(select(Payment.amount).order_by(Payment.paid_at)).all()
    assert amounts == [Decimal("29900.00"), Decimal("-1000.00")]


def test_payments_import_says_what_is_wrong_with_an_amount(anna):
    rows = ["abc", "0.00", "10.005", "10000000000000", "NaN"]
    data = "email,amount,paid_at\n" + "".join(f"anna@example.com,{a},2026-11-20\n" for a in rows)
    with pytest.raises(CsvImportError) as refused:
        import_payments(data)
    assert refused.value.errors.by_line == {
        2: ["amount: not a number"],
        3: ["amount: must not be zero"],
        4: ["amount: at most 2 decimal places"],
        5: ["amount: at most 12 digits before the decimal point"],  # was a database error
        6: ["amount: not a number"],
    }
    assert count(Payment) == 0
