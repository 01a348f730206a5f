"""The ROI endpoint's contract: parameters, CSV, a partner's own rows."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from comarketing.core.auth import Role
from comarketing.extensions import db
from comarketing.spend.services import record_spend
from tests.factories import bearer
from tests.reports.touches import touched_lead

URL = "/api/v1/reports/roi"


@pytest.fixture
def manager(make):
    return bearer(make.token(make.user(Role.MANAGER)))


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("model=u_shaped", "model"),
        ("group_by=city", "group_by"),
        ("from=2026-10-31&to=2026-10-01", "from"),
        ("from=2026-13-01", "from"),
        ("to=yesterday", "to"),
        ("format=xml", "format"),
    ],
)
def test_bad_parameters_are_422_with_field_errors(client, manager, query, field):
    response = client.get(f"{URL}?{query}", headers=manager)
    assert response.status_code == 422
    assert response.json["error"]["code"] == "validation_error"
    assert field in response.json["error"]["fields"]


def test_csv_has_the_rows_and_a_total_line(client, manager, story):
    response = client.get(
        f"{URL}?group_by=partner&model=linear&from=2026-10-01&to=2026-10-31&format=csv",
        headers=manager | {"Accept-Language": "en"},
    )
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    lines = response.data.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("key,label,clicks,registrations,attendees,leads,customers,revenue")
    assert lines[-1].startswith(",Total,5,1,1,3.0,1.0,10000.00,5000.00,1500.00,300.00")
    assert len(lines) == 1 + 3 + 1  # header, A, B, unattributed, total


def test_a_partner_sees_only_its_own_row(client, make, story):
    from comarketing.extensions import db
    from comarketing.partners.models import Partner

    partner = db.session.get(Partner, story["A"])
    token = bearer(make.token(make.user(Role.PARTNER, partner)))
    response = client.get(
        f"{URL}?group_by=partner&model=linear&from=2026-10-01&to=2026-10-31", headers=token
    )
    assert response.status_code == 200
    assert [row["key"] for row in response.json["rows"]] == [story["A"]]
    assert response.json["totals"]["leads"] == 0.5
    assert response.json["totals"]["spend_vendor"] == "600.00"


def test_segment_filter(client, manager, story):
    response = client.get(
        f"{URL}?group_by=partner&model=linear&from=2026-10-01&to=2026-10-31&segment=bitrix24",
        headers=manager,
    )
    assert [row["key"] for row in response.json["rows"]] == [story["B"]]


def test_cpl_and_roi(client, manager, story):
    rows = client.get(
        f"{URL}?group_by=partner&model=linear&from=2026-10-01&to=2026-10-31", headers=manager
    ).json["rows"]
    a = next(row for row in rows if row["key"] == story["A"])
    assert a["cpl"] == "1200.00"  # 600.00 / 0.5
    assert a["roi"] == 3.1667  # (5000 − 2500 − 600) / 600
    unattributed = next(row for row in rows if row["key"] is None)
    assert (unattributed["cpl"], unattributed["roi"]) == ("0.00", None)


def test_cpl_comes_from_the_unrounded_credits(client, manager, make, time_machine):
    """20,000.00 of vendor spend over two thirds of a lead: CPL 30,000.00 by hand, not
    20,000.00 / 0.6667 = 29,998.50 (the leads figure as shown, rounded to 4 places)."""
    now = datetime(2026, 10, 20, 12, tzinfo=UTC)
    time_machine.move_to(now, tick=False)
    a, b = make.partner(), make.partner()
    campaign = make.campaign([a], starts_on=date(2026, 10, 1), ends_on=date(2026, 10, 31))
    touched_lead("thirds@example.com", [a, b, a], now)  # linear: A 2/3, B 1/3
    record_spend(
        amount=Decimal("20000.00"),
        spent_on=date(2026, 10, 19),
        paid_by="vendor",
        campaign_id=campaign.id,
        partner_id=a.id,
    )
    db.session.commit()
    report = client.get(
        f"{URL}?group_by=partner&model=linear&from=2026-10-01&to=2026-10-31", headers=manager
    ).json
    row = next(row for row in report["rows"] if row["key"] == a.id)
    assert (row["leads"], row["spend_vendor"]) == (0.6667, "20000.00")
    assert row["cpl"] == "30000.00"
    assert report["totals"]["leads"] == 1.0  # 0.6667 + 0.3333
    assert report["totals"]["cpl"] == "20000.00"


def test_defaults_answer_the_last_90_days(client, manager):
    response = client.get(URL, headers=manager)
    assert response.status_code == 200
    assert response.json == {"rows": [], "totals": response.json["totals"]}
