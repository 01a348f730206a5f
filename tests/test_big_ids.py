"""Ids beyond what the key columns hold are a 404 or a 422, never a database error."""

import pytest

from comarketing.core.auth import Role
from tests.factories import bearer, login

HUGE = 99_999_999_999


@pytest.fixture
def no_propagation(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    yield
    app.config["PROPAGATE_EXCEPTIONS"] = None


@pytest.mark.usefixtures("no_propagation")
@pytest.mark.parametrize("resource", ["partners", "campaigns", "leads", "webinars", "links"])
def test_huge_ids_in_api_paths_are_404(client, make, resource):
    token = bearer(make.token(make.user(Role.MARKETER)))
    response = client.get(f"/api/v1/{resource}/{HUGE}", headers=token)
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


@pytest.mark.usefixtures("no_propagation")
@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (
            "/api/v1/payments",
            {"lead_id": HUGE, "amount": "1", "paid_at": "2026-01-01T00:00:00Z"},
            "lead_id",
        ),
        (
            "/api/v1/spend",
            {"amount": "1", "spent_on": "2026-01-01", "paid_by": "vendor", "campaign_id": HUGE},
            "campaign_id",
        ),
        (
            "/api/v1/campaigns",
            {
                "name": "x",
                "channel": "email",
                "starts_on": "2026-01-01",
                "ends_on": "2026-01-02",
                "partners": [{"partner_id": HUGE}],
            },
            "partners.0.partner_id",
        ),
        (
            "/api/v1/webinars",
            {"title": "x", "starts_at": "2026-12-15T11:00:00+03:00", "duration_minutes": HUGE},
            "duration_minutes",
        ),
        (
            "/api/v1/touchpoints",
            {"email": "a@example.com", "occurred_at": "2026-01-01T00:00:00Z", "partner_id": HUGE},
            "partner_id",
        ),
    ],
)
def test_huge_ids_in_bodies_are_422(client, make, path, body, field):
    token = bearer(make.token(make.user(Role.MARKETER)))
    response = client.post(path, json=body, headers=token)
    assert response.status_code == 422, response.json
    assert field in response.json["error"]["fields"]


@pytest.mark.usefixtures("no_propagation")
@pytest.mark.parametrize("page", ["partners", "campaigns", "webinars", "leads", "links"])
def test_huge_ids_in_pages_are_404(client, make, page):
    login(client, make.user(Role.MARKETER))
    assert client.get(f"/{page}/{HUGE}").status_code == 404


@pytest.mark.usefixtures("no_propagation")
def test_huge_partner_in_the_campaign_form_is_a_form_error(client, make):
    login(client, make.user(Role.MARKETER))
    form = {
        "name": "x",
        "channel": "email",
        "starts_on": "2026-12-01",
        "ends_on": "2026-12-31",
        "partners-0-partner_id": str(HUGE),
    }
    assert client.post("/campaigns/new", data=form).status_code == 200
