"""Lead pages: list, detail, CSV export safe for spreadsheets, conflicts, statements."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from sqlalchemy import func, select

from comarketing.commissions.models import Commission
from comarketing.commissions.services import approve_due, record_payment
from comarketing.core.auth import Role
from comarketing.core.csv_export import safe_cell
from comarketing.extensions import db
from comarketing.leads.models import ConversionKind, Lead, OwnershipConflict
from comarketing.leads.services import Submission, record_submission
from tests.factories import login


def submit(email, partner=None, **extra):
    utm = {"source": partner.slug} if partner else {}
    result = record_submission(Submission(kind=ConversionKind.API, email=email, utm=utm, **extra))
    db.session.commit()
    return result.lead


@pytest.fixture
def manager(client, make):
    login(client, make.user(Role.MANAGER))


def test_pages_render(client, make, manager):
    partner = make.partner()
    lead = submit("anna@example.com", partner, name="Анна")
    record_payment(lead_id=lead.id, amount=Decimal("10000"), paid_at=datetime.now(UTC))
    db.session.commit()
    for page in (
        "/leads",
        "/leads?q=anna",
        "/leads?owner=none",
        "/leads?status=customer&from=2020-01-01&to=2099-01-01",
        f"/leads/{lead.id}",
        "/leads/conflicts",
        "/commissions",
        f"/commissions?partner={partner.id}",
        "/commissions?month=2026-13",
        "/leads/import",
    ):
        assert client.get(page).status_code in (200, 403), page
    assert client.get(f"/leads/{lead.id}").status_code == 200
    assert "Анна" in client.get("/leads").text


def test_export_neutralises_formulas(client, make, manager):
    submit("evil@example.com", name='=HYPERLINK("http://evil")', company="+cmd|' /C calc'!A0")
    response = client.get("/leads/export.csv")
    assert response.status_code == 200
    text = response.data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert "'+cmd" in text
    assert safe_cell(Decimal("-5000.00")) == "-5000.00"
    assert safe_cell("-1+1") == "'-1+1"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell('ООО Ромашка;=HYPERLINK("x")') == 'ООО Ромашка;\'=HYPERLINK("x")'
    assert safe_cell("a; +1;b;-") == "a;' +1;b;'-"
    assert safe_cell("ООО «Ромашка»; Москва") == "ООО «Ромашка»; Москва"


def test_manager_resolves_a_conflict_with_a_reason(client, make, manager):
    first, second = make.partner("Первый"), make.partner("Второй")
    lead = submit("lead@example.com", first)
    submit("lead@example.com", second)
    conflict = db.session.scalar(select(OwnershipConflict))
    assert "Первый" in client.get("/leads/conflicts").text
    refused = client.post(
        f"/leads/conflicts/{conflict.id}", data={"decision": "reassign", "reason": ""}
    )
    assert refused.status_code == 302
    db.session.refresh(conflict)
    assert conflict.status == "open"
    client.post(
        f"/leads/conflicts/{conflict.id}",
        data={"decision": "reassign", "reason": "Сделку вёл второй"},
    )
    db.session.expire_all()
    assert db.session.get(OwnershipConflict, conflict.id).status == "reassigned"
    assert db.session.get(Lead, lead.id).owner_partner_id == second.id


def test_marketer_cannot_decide_conflicts(client, make):
    first, second = make.partner(), make.partner()
    submit("lead@example.com", first)
    submit("lead@example.com", second)
    conflict = db.session.scalar(select(OwnershipConflict))
    login(client, make.user(Role.MARKETER))
    assert (
        client.post(
            f"/leads/conflicts/{conflict.id}", data={"decision": "keep", "reason": "x"}
        ).status_code
        == 403
    )


@pytest.mark.parametrize(
    ("now", "month"),
    [
        ("2026-12-04T12:00:00+00:00", "2026-12"),
        ("2027-12-31T22:30:00+00:00", "2028-01"),  # already 1 January in Moscow
    ],
)
def test_statement_csv_and_payout(client, make, time_machine, now, month):
    """A payment made now is on the statement of the month it falls in on Moscow's clocks,
    which is also the statement a manager opens by default."""
    time_machine.move_to(now)
    login(client, make.user(Role.MANAGER))
    partner = make.partner(commission_rate="0.50")
    lead = submit("client@example.com", partner, company="=ООО Формула")
    paid_at = datetime.now(UTC)
    record_payment(lead_id=lead.id, amount=Decimal("10000"), paid_at=paid_at, external_id="inv-7")
    approve_due(paid_at + timedelta(days=366))  # past any holding period
    db.session.commit()
    default = client.get(f"/commissions/statement.csv?partner={partner.id}")
    assert default.data.count(b"5000.00") == 1
    csv = client.get(f"/commissions/statement.csv?partner={partner.id}&month={month}")
    text = csv.data.decode("utf-8-sig")
    assert "5000.00" in text
    assert "'=ООО Формула" in text
    client.post(f"/commissions/paid?partner={partner.id}&month={month}")
    db.session.expire_all()
    assert db.session.scalar(select(Commission.status)) == "paid"


def test_leads_upload_page(client, make):
    login(client, make.user(Role.MARKETER))
    bad = client.post(
        "/leads/import",
        data={"file": (BytesIO(b"email\nnot-an-email\n"), "l.csv")},
        headers={"Accept-Language": "en"},
    )
    assert "Nothing was imported" in bad.text
    good = client.post(
        "/leads/import", data={"file": (BytesIO(b"email\na@example.com\n"), "l.csv")}
    )
    assert good.status_code == 302
    assert db.session.scalar(select(Lead.email)) == "a@example.com"


@pytest.mark.parametrize("query", ["", "?partner=abc", "?partner=99999999999", "?partner=-1"])
def test_statement_without_a_real_partner_is_404(client, make, query):
    login(client, make.user(Role.ADMIN))
    assert client.get(f"/commissions/statement.csv{query}").status_code == 404
    assert client.post(f"/commissions/paid{query}").status_code == 404


@pytest.mark.parametrize(
    "path", ["/leads/import", "/commissions/payments/import", "/campaigns/spend/import"]
)
def test_uploads_take_csv_files_only(client, make, path):
    login(client, make.user(Role.ADMIN))
    leads = db.session.scalar(select(func.count(Lead.id)))
    page = client.post(
        path, data={"file": (BytesIO(b"PK\x03\x04 binary"), "leads.xlsx")},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert page.status_code == 200
    assert "Upload a .csv file." in page.text or "Загрузите файл .csv." in page.text
    assert db.session.scalar(select(func.count(Lead.id))) == leads
