"""Joint business plans on pages: the staff partner page (plans with goals, actuals and bars, a
form to add one), the plans of the current period that fall behind, and the partner portal
(its own plans only; another partner's plan is 404). The figures are those of
``test_plans_api``'s 2026-Q4 fixture, read on 15 December 2026."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from comarketing.core.auth import Role
from comarketing.extensions import db
from comarketing.goals.plans_models import PartnerPlan
from comarketing.goals.plans_services import create_plan
from tests.factories import login
from tests.goals.test_plans_api import Q4_GOALS, build_quarter

EN = {"Accept-Language": "en"}


def plan_count() -> int:
    return db.session.scalar(select(func.count()).select_from(PartnerPlan)) or 0


def texts(html: str) -> str:
    """The page's text with tags and runs of white space collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def quarter_plans(client, make, time_machine):
    quarter = build_quarter(client, make, time_machine)
    q4 = client.post(
        quarter.plans,
        json={"period": "2026-Q4", "goals": Q4_GOALS, "note": "Четыре клиента к Новому году"},
        headers=quarter.staff,
    ).json
    december = client.post(
        quarter.plans, json={"period": "2026-12", "goals": {"leads": 5}}, headers=quarter.staff
    ).json
    return quarter, q4, december


def test_the_partner_page_shows_plans_and_adds_one(client, make, time_machine):
    quarter, q4, _december = quarter_plans(client, make, time_machine)
    marketer = make.user(Role.MARKETER)
    login(client, marketer)
    page = client.get(f"/partners/{quarter.partner.id}", headers=EN)
    assert page.status_code == 200
    text = texts(page.text)
    assert "Business plans" in text
    assert f'id="plan-{q4["id"]}"' in page.text
    for percent in ("66.7 %", "50.0 %", "32.5 %"):  # webinars; leads and customers; revenue
        assert percent in text
    assert "Time gone by 82.2 %" in text
    assert "Четыре клиента к Новому году" in text
    assert 'max="100" value="66.7"' in page.text  # the webinars' bar
    assert 'data-testid="plan-behind"' in page.text
    assert 'data-testid="plan-form"' in page.text
    assert 'value="2026-Q4"' in page.text  # the form proposes the current quarter

    added = client.post(
        f"/partners/{quarter.partner.id}/plans",
        data={"period": "2027-Q1", "webinars": "6", "leads": "30", "revenue": "500000.00",
              "agreed_by": "Анна", "note": "Новый квартал"},
        headers=EN,
    )  # fmt: skip
    assert added.status_code == 302
    assert added.headers["Location"].endswith(f"/partners/{quarter.partner.id}#plans")
    plan = db.session.scalar(select(PartnerPlan).where(PartnerPlan.period == "2027-Q1"))
    assert plan is not None
    assert (plan.webinars, plan.leads, plan.customers, str(plan.revenue)) == (
        6, 30, None, "500000.00",
    )  # fmt: skip
    assert (plan.agreed_by, plan.created_by_id) == ("Анна", marketer.id)


def test_the_form_refuses_what_is_not_a_plan(client, make, time_machine):
    quarter, _q4, _december = quarter_plans(client, make, time_machine)
    login(client, make.user(Role.MANAGER))  # managers record plans too
    url = f"/partners/{quarter.partner.id}/plans"
    before = plan_count()
    for data, status, message in (
        ({"period": "2026-Q5", "leads": "1"}, 422, "The quarter must be from 1 to 4."),
        ({"period": "2026-13", "leads": "1"}, 422, "The month must be from 01 to 12."),
        ({"period": "2027-01", "leads": "-1"}, 422, "between 0 and"),
        ({"period": "2027-01"}, 422, "Set at least one goal"),
        ({"period": "2026-Q4", "leads": "1"}, 409, "already has a plan for 2026-Q4"),
    ):
        answer = client.post(url, data=data, headers=EN)
        assert answer.status_code == status, (data, answer.status_code)
        assert message in answer.text, data
    assert plan_count() == before
    assert client.post(url, data={"period": "2027-01", "leads": "3"}).status_code == 302


def test_partners_and_readers_cannot_add_plans(client, make, time_machine):
    quarter, _q4, _december = quarter_plans(client, make, time_machine)
    url = f"/partners/{quarter.partner.id}/plans"
    before = plan_count()
    login(client, make.user(Role.PARTNER, quarter.partner))
    sent = client.post(url, data={"period": "2027-Q1", "leads": "1"})
    assert (sent.status_code, sent.headers["Location"]) == (302, "/portal")
    assert plan_count() == before


def test_plans_that_fall_behind(client, make, time_machine):
    """On 15 December: the 2026-Q4 plan (66.7 % at best, 82.2 % of the quarter gone) is
    listed; December's (80.0 % of its leads, 47.2 % of the month gone), a plan whose goals are
    0 (nothing to fall behind) and a plan of the past quarter are not."""
    quarter, q4, december = quarter_plans(client, make, time_machine)
    zero = make.partner("Нулевой Партнёр")
    create_plan(zero, period="2026-Q4", goals={"webinars": 0, "customers": None, "leads": 0})
    create_plan(quarter.partner, period="2026-Q3", goals={"leads": 1000})
    db.session.commit()
    login(client, make.user(Role.MANAGER))
    page = client.get("/goals/plans/behind", headers=EN)
    assert page.status_code == 200
    listed = re.findall(r'data-testid="behind-plan" data-plan-id="(\d+)"', page.text)
    assert listed == [str(q4["id"])]
    assert str(december["id"]) not in listed
    text = texts(page.text)
    assert "2026-Q4 and 2026-12: 1 of 3 fall behind" in text
    assert quarter.partner.name in text
    assert "Нулевой" not in text
    goals = client.get("/goals")
    assert 'href="/goals/plans/behind"' in goals.text  # linked from the Goals page

    time_machine.move_to("2026-10-25T12:00:00Z", tick=False)
    client.post("/logout")
    login(client, make.user(Role.MANAGER))  # a session from "the future" would not hold
    early = client.get("/goals/plans/behind", headers=EN)
    assert re.findall(r'data-testid="behind-plan"', early.text) == []
    assert "2026-Q4 and 2026-10: 0 of 2 fall behind" in texts(early.text)


def test_a_partner_sees_its_own_plans_in_the_portal(client, make, time_machine):
    quarter, q4, december = quarter_plans(client, make, time_machine)
    foreign_plan = create_plan(quarter.other, period="2026-Q4", goals={"leads": 7},
                               note="Секретный план Беты")  # fmt: skip
    db.session.commit()
    login(client, make.user(Role.PARTNER, quarter.partner))
    page = client.get("/portal/plans", headers=EN)
    assert page.status_code == 200
    text = texts(page.text)
    for figure in ("66.7 %", "50.0 %", "32.5 %", "Time gone by 82.2 %"):
        assert figure in text
    assert re.findall(r'id="plan-(\d+)"', page.text) == [str(december["id"]), str(q4["id"])]
    assert "Секретный план Беты" not in text
    assert 'href="/portal/plans"' in page.text  # in the portal's menu

    one = client.get(f"/portal/plans/{q4['id']}", headers=EN)
    assert one.status_code == 200
    assert "Четыре клиента к Новому году" in one.text
    assert re.findall(r'id="plan-(\d+)"', one.text) == [str(q4["id"])]
    assert client.get(f"/portal/plans/{foreign_plan.id}").status_code == 404
    assert client.get("/portal/plans/999999").status_code == 404

    client.post("/logout")
    login(client, make.user(Role.PARTNER, quarter.other))
    theirs = client.get("/portal/plans", headers=EN)
    assert "Секретный план Беты" in theirs.text
    assert "Четыре клиента" not in theirs.text
    assert f'id="plan-{q4["id"]}"' not in theirs.text
    assert client.get(f"/portal/plans/{q4['id']}").status_code == 404
