"""``/api/v1/kpi/targets`` (contract §9): managers set targets, staff read them and their
progress, partners have no access (403 for the list, 404 for any target), and bad input is
a 422 with the field's problem."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.factories import bearer
from tests.goals.builders import add_monthly_leads

NOW = datetime(2026, 7, 15, 9, tzinfo=UTC)
TARGET = {
    "metric": "leads",
    "segment": "bitrix24",
    "baseline_from": "2026-01-01",
    "baseline_to": "2026-03-31",
    "multiple": "2.5",
    "horizon_months": 18,
    "starts_on": "2026-04-01",
    "name": "Bitrix24: лиды ×2,5",
}


@pytest.fixture
def staff(make):
    """A bearer header per role."""
    partner = make.partner(segment="bitrix24")
    return {
        role: bearer(make.token(make.user(role, partner=partner if role == "partner" else None)))
        for role in ("manager", "marketer", "admin", "partner")
    }


def post(client, headers, **changes):
    return client.post("/api/v1/kpi/targets", json={**TARGET, **changes}, headers=headers)


def test_a_manager_sets_a_target_and_staff_read_it(client, staff):
    created = post(client, staff["manager"])
    assert created.status_code == 201, created.text
    body = created.json
    assert {k: body[k] for k in TARGET} == TARGET
    assert body["active"] is True
    listed = client.get("/api/v1/kpi/targets", headers=staff["marketer"])
    assert listed.status_code == 200
    assert [item["id"] for item in listed.json["items"]] == [body["id"]]
    one = client.get(f"/api/v1/kpi/targets/{body['id']}", headers=staff["admin"])
    assert one.json == body
    assert post(client, staff["admin"], multiple=7, segment=None).json["multiple"] == "7"


def test_marketers_and_partners_cannot_set_targets(client, staff):
    assert post(client, staff["marketer"]).status_code == 403
    assert post(client, staff["partner"]).status_code == 403


def test_a_partner_sees_no_target(client, staff):
    target_id = post(client, staff["manager"]).json["id"]
    assert client.get("/api/v1/kpi/targets", headers=staff["partner"]).status_code == 403
    for url in (f"/api/v1/kpi/targets/{target_id}", f"/api/v1/kpi/targets/{target_id}/progress"):
        response = client.get(url, headers=staff["partner"])
        assert response.status_code == 404, url
        assert "Bitrix24" not in response.text
    assert client.get("/api/v1/kpi/targets/999999", headers=staff["manager"]).status_code == 404


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"starts_on": "2026-04-02"}, "starts_on"),
        ({"multiple": "0"}, "multiple"),
        ({"multiple": "-2"}, "multiple"),
        ({"multiple": "2.12345"}, "multiple"),
        ({"multiple": "1000.5"}, "multiple"),
        ({"multiple": "NaN"}, "multiple"),
        ({"horizon_months": 0}, "horizon_months"),
        ({"horizon_months": 121}, "horizon_months"),
        ({"horizon_months": "18"}, "horizon_months"),
        ({"baseline_to": "2025-12-31"}, "baseline_to"),
        ({"baseline_from": "2026-01-02", "baseline_to": "2026-02-27"}, "baseline_to"),
        ({"baseline_from": "2000-01-01", "baseline_to": "2026-03-31"}, "baseline_to"),
        ({"metric": "clicks"}, "metric"),
        ({"segment": "no-such-segment"}, "segment"),
        ({"segment": "   "}, "segment"),
        ({"starts_on": None}, "starts_on"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(client, staff, changes, field):
    response = post(client, staff["manager"], **changes)
    assert response.status_code == 422, response.text
    assert field in response.json["error"]["fields"]


def test_the_progress_of_the_issue_target(client, staff, make, time_machine):
    """100 Bitrix24 leads a month in the baseline, then 105, 115, 130: plans 105.22, 110.72,
    116.50, on track, 482.68 at the horizon (130 × 1.3^5)."""
    time_machine.move_to(NOW, tick=False)
    partner = make.partner(segment="bitrix24")
    add_monthly_leads(partner.id, {(2026, 1): 100, (2026, 2): 100, (2026, 3): 100,
                                   (2026, 4): 105, (2026, 5): 115, (2026, 6): 130})  # fmt: skip
    target_id = post(client, staff["manager"]).json["id"]
    response = client.get(f"/api/v1/kpi/targets/{target_id}/progress", headers=staff["marketer"])
    assert response.status_code == 200, response.text
    assert response.json == {
        "baseline": "100.00",
        "months": [
            {"month": "2026-04", "planned": "105.22", "actual": "105.00", "gap": "-0.22"},
            {"month": "2026-05", "planned": "110.72", "actual": "115.00", "gap": "4.28"},
            {"month": "2026-06", "planned": "116.50", "actual": "130.00", "gap": "13.50"},
        ],
        "forecast": "482.68",
        "status": "on_track",
    }


def test_a_target_not_started_has_no_months_and_no_forecast(client, staff, time_machine):
    time_machine.move_to(NOW, tick=False)
    target_id = post(client, staff["manager"], starts_on="2026-07-01").json["id"]
    response = client.get(f"/api/v1/kpi/targets/{target_id}/progress", headers=staff["manager"])
    assert response.json == {
        "baseline": "0.00", "months": [], "forecast": None, "status": "not_started",
    }  # fmt: skip


def test_the_document_describes_the_targets(client):
    paths = client.get("/api/openapi.json").json["paths"]
    assert {"/api/v1/kpi/targets", "/api/v1/kpi/targets/{target_id}",
            "/api/v1/kpi/targets/{target_id}/progress"} <= set(paths)  # fmt: skip
    assert set(paths["/api/v1/kpi/targets"]["get"]["responses"]) >= {"200", "401", "403"}
