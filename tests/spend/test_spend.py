"""Spend through the API, and the spend CSV import (page and command line)."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from comarketing.core.auth import Role
from comarketing.core.csv_import import CsvImportError
from comarketing.extensions import db
from comarketing.spend.models import Spend
from comarketing.spend.services import import_spend
from tests.factories import bearer


@pytest.fixture
def marketer(make):
    return bearer(make.token(make.user(Role.MARKETER)))


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def spend_body(**overrides):
    return {"amount": "15000.00", "spent_on": "2026-12-05", "paid_by": "vendor"} | overrides


def test_spend_on_a_campaign(client, make, marketer):
    partner = make.partner()
    campaign = make.campaign([partner])
    response = client.post(
        "/api/v1/spend",
        json=spend_body(campaign_id=campaign.id, paid_by="partner", partner_id=partner.id),
        headers=marketer,
    )
    assert response.status_code == 201, response.json
    assert response.json["amount"] == "15000.00"
    assert response.json["source"] == "api"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"campaign_id": "C", "webinar_id": "W"}, "campaign_id"),
        ({}, "campaign_id"),
        ({"campaign_id": "C", "amount": "0"}, "amount"),
        ({"campaign_id": "C", "paid_by": "someone"}, "paid_by"),
        ({"campaign_id": "C", "paid_by": "partner"}, "partner_id"),
        ({"campaign_id": "C", "partner_id": "OTHER"}, "partner_id"),
        ({"campaign_id": 999_999}, "campaign_id"),
    ],
)
def test_invalid_spend_is_422_and_writes_nothing(client, make, marketer, overrides, field):
    partner, other = make.partner(), make.partner()
    campaign = make.campaign([partner])
    webinar = make.webinar([partner])
    ids = {"C": campaign.id, "W": webinar.id, "OTHER": other.id}
    body = spend_body(
        **{k: ids.get(v, v) if isinstance(v, str) else v for k, v in overrides.items()}
    )
    response = client.post("/api/v1/spend", json=body, headers=marketer)
    assert response.status_code == 422, response.json
    assert field in response.json["error"]["fields"]
    assert count(Spend) == 0


def spend_csv(campaign, webinar, partner, middle="2026-12-02;5000;vendor;{c};;;ok"):
    rows = [
        "spent_on;amount;paid_by;campaign;webinar;partner;note",
        f"2026-12-01;12 500,50;vendor;{campaign.slug};;;Директ, неделя 1",
        middle.format(c=campaign.slug),
        f"2026-12-03;3000;partner;;{webinar.slug};{partner.slug};промо",
    ]
    return ("\ufeff" + "\n".join(rows) + "\n").encode()


def test_spend_csv_imports_every_row(make):
    partner = make.partner()
    campaign, webinar = make.campaign([partner]), make.webinar([partner])
    assert import_spend(spend_csv(campaign, webinar, partner)) == 3
    db.session.commit()
    amounts = db.session.scalars(select(Spend.amount).order_by(Spend.spent_on)).all()
    assert amounts == [Decimal("12500.50"), Decimal("5000.00"), Decimal("3000.00")]
    assert db.session.scalar(select(Spend.spent_on).order_by(Spend.id)) == date(2026, 12, 1)


@pytest.mark.parametrize(
    ("middle", "problem"),
    [
        ("2026-12-32;5000;vendor;{c};;;", "spent_on"),
        ("2026-12-02;пять;vendor;{c};;;", "amount"),
        ("2026-12-02;5000;vendor;no-such-campaign;;;", "campaign"),
        ("2026-12-02;5000;vendor;;;;", "campaign"),
        ("2026-12-02;5000;vendor;{c}", "expected 7 values"),
    ],
)
def test_a_bad_row_in_the_middle_imports_nothing(make, middle, problem):
    partner = make.partner()
    campaign, webinar = make.campaign([partner]), make.webinar([partner])
    with pytest.raises(CsvImportError) as refused:
        import_spend(spend_csv(campaign, webinar, partner, middle))
    assert list(refused.value.errors.by_line) == [3]
    assert problem in " ".join(refused.value.errors.by_line[3])
    assert count(Spend) == 0


def test_spend_import_cli_reports_lines(runner, make, tmp_path):
    partner = make.partner()
    campaign, webinar = make.campaign([partner]), make.webinar([partner])
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_bytes(spend_csv(campaign, webinar, partner))
    bad.write_bytes(spend_csv(campaign, webinar, partner, "2026-12-02;x;vendor;{c};;;"))
    refused = runner.invoke(args=["spend", "import", str(bad)])
    assert refused.exit_code != 0
    assert "line 3" in refused.output
    assert count(Spend) == 0
    imported = runner.invoke(args=["spend", "import", str(good)])
    assert imported.exit_code == 0, imported.output
    assert "3" in imported.output.splitlines()[-1]
    assert count(Spend) == 3
