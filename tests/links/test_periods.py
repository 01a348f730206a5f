"""Periods are capped (issue 17): a link's page, the portal's and the stats API refuse a period
longer than MAX_PERIOD_DAYS or a day too far from today with 422, before building any day
rows (a period to 9999-12-30 was millions of rows)."""

from __future__ import annotations

import pytest

from comarketing.core.auth import Role
from tests.factories import bearer, login


@pytest.fixture
def link(new_link):
    return new_link(destination="https://lp.example/")


@pytest.mark.parametrize(
    "query",
    [
        "from=0001-01-01&to=9999-12-30",
        "to=9999-12-30",
        "from=1970-01-01",
        "from=2010-01-01&to=2026-12-01",  # longer than ten years
    ],
)
def test_the_stats_api_refuses_a_period_it_cannot_list(client, make, link, query):
    token = bearer(make.token(make.user(Role.MARKETER)))
    answer = client.get(f"/api/v1/links/{link.id}/stats?{query}", headers=token)
    assert answer.status_code == 422
    assert "to" in answer.json["error"]["fields"]


def test_a_period_inside_the_limits_is_listed_day_by_day(client, make, link):
    token = bearer(make.token(make.user(Role.MARKETER)))
    answer = client.get(f"/api/v1/links/{link.id}/stats?from=2026-11-01&to=2026-11-30",
                        headers=token)  # fmt: skip
    assert answer.status_code == 200
    assert len(answer.json["by_day"]) == 30


def test_the_pages_refuse_it_on_the_form(client, make, link):
    login(client, make.user(Role.MARKETER))
    staff = client.get(f"/links/{link.id}?start=0001-01-01&end=9999-12-30")
    assert staff.status_code == 422
    client.post("/logout")
    login(client, make.user(Role.PARTNER, partner=link.partner))
    portal = client.get(f"/portal/links/{link.id}?start=0001-01-01&end=9999-12-30")
    assert portal.status_code == 422
    assert client.get(f"/portal/links/{link.id}?start=2026-11-01&end=2026-11-30").status_code == (
        200
    )


def test_report_pages_and_api_refuse_it_too(client, make):
    login(client, make.user(Role.MANAGER))
    page = client.get("/reports?period=custom&from=0001-01-01&to=9999-12-30")
    assert page.status_code == 422
    token = bearer(make.token(make.user(Role.MANAGER)))
    api = client.get("/api/v1/reports/roi?from=0001-01-01&to=9999-12-30", headers=token)
    assert api.status_code == 422
