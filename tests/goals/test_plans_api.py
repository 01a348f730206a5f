"""Joint business plans through the API (contract §9): goals with actuals and percents from
live data, figures computed by hand; a partner reads its own plans, another partner's are 404;
who may write; validation; a repeated period is a 409.

The fixture is 2026-Q4 in Moscow (1 October 00:00 MSK = 30 September 21:00 UTC, to
31 December 21:00 UTC), read at 15 December 2026 15:00 MSK:

- webinars co-hosted by the partner: 15 October and 10 December (with another partner) count;
  a cancelled one on 12 November, one at 23:30 MSK on 30 September (Q3) and one still to come on
  22 December do not → **2**;
- leads it owns created in the quarter: 10, the first at 00:30 MSK on 1 October; one more at
  23:30 MSK on 30 September is Q3 → **10**;
- first payments in the quarter: lead 1 (2 November, 100 000) and lead 2 (1 December, 50 000);
  the Q3 lead paid first at 23:50 MSK on 30 September → **2**;
- payments in the quarter of its leads: 100 000 + 50 000 − 20 000 (a refund of lead 1 on
  10 December); the Q3 payment of 5 000 and another partner's 77 000 do not count →
  **130 000.00**.

Goals 3, 20, 4 and 400 000.00 → 66.7 %, 50.0 %, 50.0 %, 32.5 %. Elapsed: 75 days 15 hours of
92 days = 82.2 %, so the plan falls behind; on 25 October (24 days 15 hours: 26.8 %), with one
webinar held (33.3 %), it did not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from comarketing.core.auth import Role
from comarketing.extensions import db
from comarketing.partners.models import Partner
from comarketing.webinars.models import WebinarStatus
from tests.factories import bearer

NOW = datetime(2026, 12, 15, 12, 0, tzinfo=UTC)  # 15:00 in Moscow
EARLY = datetime(2026, 10, 25, 12, 0, tzinfo=UTC)
Q4_GOALS = {"webinars": 3, "leads": 20, "customers": 4, "revenue": "400000.00"}
LEAD_TIMES = [
    "2026-09-30T21:30:00Z",  # 00:30 MSK on 1 October: Q4
    "2026-10-05T09:00:00Z",
    "2026-10-20T09:00:00Z",
    "2026-11-01T09:00:00Z",
    "2026-11-10T09:00:00Z",
    "2026-11-20T09:00:00Z",
    "2026-12-01T09:00:00Z",
    "2026-12-05T09:00:00Z",
    "2026-12-10T09:00:00Z",
    "2026-12-14T09:00:00Z",
]


@dataclass
class Quarter:
    partner: Partner
    other: Partner
    staff: dict[str, str]  # a marketer's token
    own: dict[str, str]  # the partner's token
    foreign: dict[str, str]  # the other partner's token

    @property
    def plans(self) -> str:
        return f"/api/v1/partners/{self.partner.id}/plans"


def build_quarter(client, make, time_machine) -> Quarter:
    """The fixture of the module's docstring, made through the API at ``NOW``."""
    time_machine.move_to(NOW, tick=False)
    partner = make.partner("Интегратор Плюс", segment="amocrm", tier="gold")
    other = make.partner("Битрикс Профи")
    staff = bearer(make.token(make.user(Role.MARKETER)))

    make.webinar([partner], starts_at=datetime(2026, 10, 15, 8, 0, tzinfo=UTC))
    make.webinar([partner, other], starts_at=datetime(2026, 12, 10, 8, 0, tzinfo=UTC))
    cancelled = make.webinar([partner], starts_at=datetime(2026, 11, 12, 8, 0, tzinfo=UTC))
    cancelled.status = WebinarStatus.CANCELLED
    make.webinar([partner], starts_at=datetime(2026, 9, 30, 20, 30, tzinfo=UTC))  # Q3 in MSK
    make.webinar([partner], starts_at=datetime(2026, 12, 22, 8, 0, tzinfo=UTC))  # still to come
    make.webinar([other], starts_at=datetime(2026, 11, 5, 8, 0, tzinfo=UTC))
    db.session.commit()

    def lead(email: str, owner: Partner, at: str) -> int:
        answer = client.post(
            "/api/v1/leads",
            json={"email": email, "utm_source": owner.slug, "occurred_at": at},
            headers=staff,
        )
        assert answer.status_code == 201, answer.text
        assert answer.json["owner_partner_id"] == owner.id
        return int(answer.json["id"])

    def pay(lead_id: int, amount: str, at: str) -> None:
        answer = client.post(
            "/api/v1/payments",
            json={"lead_id": lead_id, "amount": amount, "paid_at": at},
            headers=staff,
        )
        assert answer.status_code == 201, answer.text

    q3_lead = lead("q3@client.example", partner, "2026-09-30T20:30:00Z")  # 23:30 MSK, 30 Sep
    ids = [lead(f"q4-{n}@client.example", partner, at) for n, at in enumerate(LEAD_TIMES)]
    others = lead("other@client.example", other, "2026-11-03T09:00:00Z")
    pay(q3_lead, "5000.00", "2026-09-30T20:50:00Z")  # 23:50 MSK on 30 September: Q3
    pay(ids[0], "100000.00", "2026-11-02T10:00:00Z")
    pay(ids[1], "50000.00", "2026-12-01T10:00:00Z")
    pay(ids[0], "-20000.00", "2026-12-10T10:00:00Z")  # a refund
    pay(others, "77000.00", "2026-11-04T10:00:00Z")
    return Quarter(
        partner=partner,
        other=other,
        staff=staff,
        own=bearer(make.token(make.user(Role.PARTNER, partner))),
        foreign=bearer(make.token(make.user(Role.PARTNER, other))),
    )


@pytest.fixture
def quarter(client, make, time_machine) -> Quarter:
    return build_quarter(client, make, time_machine)


def test_a_plan_shows_its_actuals_and_percents(client, quarter, time_machine):
    created = client.post(
        quarter.plans,
        json={"period": "2026-Q4", "goals": Q4_GOALS, "note": "Согласовано на встрече",
              "agreed_by": "Анна Смирнова"},
        headers=quarter.staff,
    )  # fmt: skip
    assert created.status_code == 201, created.text
    plan = created.json
    assert plan["goals"] == {
        "webinars": {"goal": 3, "actual": 2, "percent": 66.7},
        "leads": {"goal": 20, "actual": 10, "percent": 50.0},
        "customers": {"goal": 4, "actual": 2, "percent": 50.0},
        "revenue": {"goal": "400000.00", "actual": "130000.00", "percent": 32.5},
    }
    assert (plan["period"], plan["starts_on"], plan["ends_on"]) == (
        "2026-Q4", "2026-10-01", "2026-12-31",
    )  # fmt: skip
    assert (plan["elapsed"], plan["behind"]) == (82.2, True)
    assert (plan["agreed_by"], plan["agreed_at"]) == ("Анна Смирнова", "2026-12-15T12:00:00Z")

    # The partner reads its own plan, with the same figures.
    mine = client.get(quarter.plans, headers=quarter.own)
    assert mine.status_code == 200
    assert mine.json["next"] is None
    assert [p["goals"] for p in mine.json["items"]] == [plan["goals"]]
    one = client.get(f"{quarter.plans}/{plan['id']}", headers=quarter.own)
    assert one.status_code == 200
    assert one.json == plan

    # Earlier in the quarter the same actuals were ahead of the time gone by.
    time_machine.move_to(EARLY, tick=False)
    early = client.get(f"{quarter.plans}/{plan['id']}", headers=quarter.staff).json
    assert (early["elapsed"], early["behind"]) == (26.8, False)
    assert early["goals"]["webinars"] == {"goal": 3, "actual": 1, "percent": 33.3}


def test_actuals_are_live(client, make, quarter):
    """No copy to keep in step: a new owned lead in the quarter moves the plan at once."""
    plan = client.post(
        quarter.plans, json={"period": "2026-Q4", "goals": {"leads": 20}}, headers=quarter.staff
    ).json
    assert plan["goals"]["leads"] == {"goal": 20, "actual": 10, "percent": 50.0}
    assert plan["goals"]["webinars"] == {"goal": None, "actual": 2, "percent": None}
    client.post(
        "/api/v1/leads",
        json={"email": "late@client.example", "utm_source": quarter.partner.slug},
        headers=quarter.staff,
    )
    again = client.get(f"{quarter.plans}/{plan['id']}", headers=quarter.staff).json
    assert again["goals"]["leads"] == {"goal": 20, "actual": 11, "percent": 55.0}


def test_a_month_plan(client, quarter):
    """December: leads on 1, 5, 10 and 14 December → 4 of 5 = 80.0 %, ahead of the 47.2 % of
    the month gone by (14 days 15 hours of 31)."""
    answer = client.post(
        quarter.plans,
        json={"period": "2026-12", "goals": {"leads": 5, "revenue": "0"}},
        headers=quarter.staff,
    )
    assert answer.status_code == 201, answer.text
    plan = answer.json
    assert plan["goals"]["leads"] == {"goal": 5, "actual": 4, "percent": 80.0}
    # A goal of 0 has nothing to measure against; December's revenue: 50 000 − 20 000.
    assert plan["goals"]["revenue"] == {"goal": "0.00", "actual": "30000.00", "percent": None}
    assert (plan["starts_on"], plan["ends_on"], plan["elapsed"]) == (
        "2026-12-01", "2026-12-31", 47.2,
    )  # fmt: skip
    assert plan["behind"] is False


def test_another_partners_plans_are_404(client, quarter):
    plan = client.post(
        quarter.plans, json={"period": "2026-Q4", "goals": Q4_GOALS}, headers=quarter.staff
    ).json
    url = f"{quarter.plans}/{plan['id']}"
    assert client.get(quarter.plans, headers=quarter.foreign).status_code == 404
    assert client.get(url, headers=quarter.foreign).status_code == 404
    # Nor under its own partner's address.
    under_own = f"/api/v1/partners/{quarter.other.id}/plans/{plan['id']}"
    assert client.get(under_own, headers=quarter.foreign).status_code == 404
    assert client.get(under_own, headers=quarter.staff).status_code == 404
    assert client.get(f"/api/v1/partners/{quarter.other.id}/plans",
                      headers=quarter.foreign).json["items"] == []  # fmt: skip
    # Writes: 404 before the body is even read, and nothing changes.
    for method, target, body in (
        ("POST", quarter.plans, {"period": "2027-Q1", "goals": {"leads": 1}}),
        ("POST", quarter.plans, {"period": "bad"}),
        ("PATCH", url, {"goals": {"leads": 1}}),
        ("PATCH", url, {"goals": {"leads": -1}}),
    ):
        answer = client.open(target, method=method, json=body, headers=quarter.foreign)
        assert answer.status_code == 404, (method, target, body, answer.text)
        assert "Интегратор" not in answer.text
    assert client.get(url, headers=quarter.staff).json["goals"]["leads"]["goal"] == 20
    assert len(client.get(quarter.plans, headers=quarter.staff).json["items"]) == 1
    assert client.get("/api/v1/partners/999999/plans", headers=quarter.staff).status_code == 404


def test_who_may_write(client, make, quarter):
    manager = bearer(make.token(make.user(Role.MANAGER)))
    by_manager = client.post(
        quarter.plans, json={"period": "2027-01", "goals": {"webinars": 1}}, headers=manager
    )
    assert by_manager.status_code == 201, by_manager.text
    by_partner = client.post(
        quarter.plans, json={"period": "2027-02", "goals": {"webinars": 1}}, headers=quarter.own
    )
    assert by_partner.status_code == 403
    url = f"{quarter.plans}/{by_manager.json['id']}"
    assert client.patch(url, json={"note": "x"}, headers=quarter.own).status_code == 403
    assert len(client.get(quarter.plans, headers=quarter.own).json["items"]) == 1


def test_a_period_has_one_plan(client, quarter):
    body = {"period": "2026-Q4", "goals": {"leads": 20}}
    assert client.post(quarter.plans, json=body, headers=quarter.staff).status_code == 201
    again = client.post(quarter.plans, json=body | {"period": "2026-q4"}, headers=quarter.staff)
    assert again.status_code == 409
    assert again.json["error"]["code"] == "plan_exists"
    # Another partner may have a plan for the same quarter.
    other = f"/api/v1/partners/{quarter.other.id}/plans"
    assert client.post(other, json=body, headers=quarter.staff).status_code == 201


def test_changing_goals(client, quarter):
    plan = client.post(
        quarter.plans, json={"period": "2026-Q4", "goals": Q4_GOALS}, headers=quarter.staff
    ).json
    url = f"{quarter.plans}/{plan['id']}"
    changed = client.patch(
        url, json={"goals": {"leads": 25, "revenue": None}, "note": "Пересмотрено"},
        headers=quarter.staff,
    )  # fmt: skip
    assert changed.status_code == 200, changed.text
    goals = changed.json["goals"]
    assert goals["leads"] == {"goal": 25, "actual": 10, "percent": 40.0}
    assert goals["revenue"] == {"goal": None, "actual": "130000.00", "percent": None}
    assert goals["webinars"]["goal"] == 3  # not named: unchanged
    assert changed.json["note"] == "Пересмотрено"
    assert changed.json["period"] == "2026-Q4"
    cleared = client.patch(
        url,
        json={"goals": {"webinars": None, "leads": None, "customers": None}},
        headers=quarter.staff,
    )
    assert cleared.status_code == 422
    assert "goals" in cleared.json["error"]["fields"]
    moved = client.patch(url, json={"period": "2027-Q1"}, headers=quarter.staff)
    assert moved.status_code == 422  # another period is another plan
    assert client.get(url, headers=quarter.staff).json["goals"]["leads"]["goal"] == 25


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"period": "2026-Q5", "goals": {"leads": 1}}, "period"),
        ({"period": "2026-Q0", "goals": {"leads": 1}}, "period"),
        ({"period": "2026-13", "goals": {"leads": 1}}, "period"),
        ({"period": "2026-00", "goals": {"leads": 1}}, "period"),
        ({"period": "26-Q1", "goals": {"leads": 1}}, "period"),
        ({"period": "0000-01", "goals": {"leads": 1}}, "period"),
        ({"period": "2026-12-01", "goals": {"leads": 1}}, "period"),
        ({"goals": {"leads": 1}}, "period"),
        ({"period": "2026-Q4"}, "goals"),
        ({"period": "2026-Q4", "goals": {}}, "goals"),
        ({"period": "2026-Q4", "goals": {"leads": None}}, "goals"),
        ({"period": "2026-Q4", "goals": {"webinars": -1}}, "goals.webinars"),
        ({"period": "2026-Q4", "goals": {"leads": 1.5}}, "goals.leads"),
        ({"period": "2026-Q4", "goals": {"customers": "4"}}, "goals.customers"),
        ({"period": "2026-Q4", "goals": {"customers": 10**10}}, "goals.customers"),
        ({"period": "2026-Q4", "goals": {"revenue": "-1.00"}}, "goals.revenue"),
        ({"period": "2026-Q4", "goals": {"revenue": "1.005"}}, "goals.revenue"),
        ({"period": "2026-Q4", "goals": {"revenue": "1e30"}}, "goals.revenue"),
        ({"period": "2026-Q4", "goals": {"calls": 3}}, "goals.calls"),
    ],
)
def test_invalid_plans_are_422(client, make, body, field):
    partner = make.partner()
    token = bearer(make.token(make.user(Role.MARKETER)))
    answer = client.post(f"/api/v1/partners/{partner.id}/plans", json=body, headers=token)
    assert answer.status_code == 422, answer.text
    assert field in answer.json["error"]["fields"], answer.json
    assert client.get(f"/api/v1/partners/{partner.id}/plans", headers=token).json["items"] == []
