"""CSV imports of leads and payments: all rows or none, every bad line reported."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from comarketing.commissions.imports import import_payments
from comarketing.commissions.models import Commission, Payment
from comarketing.core.csv_import import CsvImportError
from comarketing.extensions import db
from comarketing.leads.models import Conversion, Lead
from comarketing.leads.services.imports import import_leads

HEADER = (
    "email,phone,name,company,utm_source,utm_medium,utm_campaign,utm_content,utm_term,occurred_at"
)


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def leads_file(partner, middle):
    rows = [
        HEADER,
        f"anna@example.com,,Анна Смирнова,ООО «Вектор»,{partner.slug},cpc,,,,"
        "2026-11-02T10:00:00+03:00",
        middle,
        "IVAN@example.com ,8 916 123-45-67,Иван,,,,,,,2026-11-03",
        "ivan@example.com,,Иван Петров,ООО «Орион»,,,,,,",
    ]
    return "\ufeff" + "\n".join(rows) + "\n"


def test_a_clean_file_imports_every_row_as_persons(make):
    partner = make.partner()
    report = import_leads(leads_file(partner, ",+7 903 555-01-02,Борис,,,,,,,"))
    db.session.commit()
    assert (report.rows, report.created) == (4, 3)
    assert count(Lead) == 3
    assert count(Conversion) == 4
    anna = db.session.scalar(select(Lead).where(Lead.email == "anna@example.com"))
    assert anna.owner_partner_id == partner.id
    assert anna.created_at == datetime(2026, 11, 2, 7, 0, tzinfo=UTC)
    ivan = db.session.scalar(select(Lead).where(Lead.email == "ivan@example.com"))
    assert (ivan.phone, ivan.company) == ("+79161234567", "ООО «Орион»")
    assert ivan.created_at == datetime(2026, 11, 2, 21, 0, tzinfo=UTC)  # a Moscow date


@pytest.mark.parametrize(
    ("middle", "problem"),
    [
        (",,Без контакта,,,,,,,", "email"),
        ("not-an-email,,X,,,,,,,", "email"),
        ("b@example.com,,X,,,,,,,вчера", "occurred_at"),
        ("b@example.com,,X,,,,,,,2099-01-01", "future"),
        ("b@example.com,,X", "values"),
    ],
)
def test_a_bad_row_in_the_middle_imports_nothing(make, middle, problem):
    partner = make.partner()
    with pytest.raises(CsvImportError) as refused:
        import_leads(leads_file(partner, middle))
    assert list(refused.value.errors.by_line) == [3]
    assert problem in " ".join(refused.value.errors.by_line[3])
    assert count(Lead) == 0


def test_header_needs_email_or_phone():
    with pytest.raises(CsvImportError) as refused:
        import_leads("name,company\nАнна,Вектор\n")
    assert "email / phone" in refused.value.errors.by_line[1][0]


def test_leads_import_cli(runner, tmp_path, make):
    partner = make.partner()
    good = tmp_path / "leads.csv"
    good.write_text(leads_file(partner, "boris@example.com,,Борис,,,,,,,"), encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text(leads_file(partner, ",,Без контакта,,,,,,,"), encoding="utf-8")
    refused = runner.invoke(args=["leads", "import", str(bad)])
    assert refused.exit_code != 0
    assert "line 3" in refused.output
    assert count(Lead) == 0
    result = runner.invoke(args=["leads", "import", str(good)])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "Imported 4 rows from leads.csv: 3 new leads."


def test_payments_import(make):
    partner = make.partner(commission_rate="0.40")
    import_leads(leads_file(partner, "boris@example.com,,Борис,,,,,,,"))
    db.session.commit()
    data = (
        "email;phone;amount;paid_at;external_id;note\n"
        "anna@example.com;;29 900,00;2026-11-20;inv-1;\n"
        ";8 916 123-45-67;14900;2026-11-21T12:00:00+03:00;inv-2;\n"
    )
    report = import_payments(data)
    assert (report.recorded, report.repeated) == (2, 0)
    again = import_payments(data)
    assert (again.recorded, again.repeated) == (0, 2)
    assert count(Payment) == 2
    commission = db.session.scalar(select(Commission))
    assert commission.amount == Decimal("11960.00")  # 40 % of Anna's 29 900.00
    with pytest.raises(CsvImportError) as refused:
        import_payments("email,amount,paid_at\nnobody@example.com,100,2026-11-20\n")
    assert "no lead" in refused.value.errors.by_line[2][0]
