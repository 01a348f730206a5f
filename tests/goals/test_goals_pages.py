"""``/goals`` and the dashboard's tiles: staff follow the targets (chart, months, status),
managers set them and switch them off; the tile reads "leads ×1.30 of ×2.5, month 4 of 18,
on track" in the reader's language and number format."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from comarketing.core.auth import Role
from comarketing.extensions import db
from comarketing.goals.models import KpiTarget
from comarketing.goals.services import create_target
from tests.factories import login
from tests.goals.builders import add_monthly_leads

NOW = datetime(2026, 7, 15, 9, tzinfo=UTC)


@pytest.fixture
def issue_target(make, time_machine):
    """The issue's ×2.5 / 18-month Bitrix24 target over 100 a month, then 105, 115, 130."""
    time_machine.move_to(NOW, tick=False)
    partner = make.partner(segment="bitrix24")
    add_monthly_leads(partner.id, {(2026, 1): 100, (2026, 2): 100, (2026, 3): 100,
                                   (2026, 4): 105, (2026, 5): 115, (2026, 6): 130})  # fmt: skip
    target = create_target(
        metric="leads", segment="bitrix24", baseline_from=date(2026, 1, 1),
        baseline_to=date(2026, 3, 31), multiple=Decimal("2.5"), horizon_months=18,
        starts_on=date(2026, 4, 1),
    )  # fmt: skip
    db.session.commit()
    return target


def staff_user(make, role: Role, locale: str = "en"):
    user = make.user(role)
    user.locale = locale
    db.session.commit()
    return user


def test_the_goals_page_shows_each_targets_chart_months_and_status(client, make, issue_target):
    login(client, staff_user(make, Role.MARKETER))
    response = client.get("/goals")
    assert response.status_code == 200
    page = response.text
    assert f'id="target-{issue_target.id}"' in page
    assert "leads ×2.5 in 18 months, Bitrix24" in page  # the title of an unnamed target
    assert "<svg" in page
    assert 'id="goals-target-chart"' in page
    for figure in ("105.22", "110.72", "116.50", "+13.50", "−0.22", "482.68"):
        assert figure in page, figure
    assert "on track" in page
    assert 'action="/goals"' not in page  # only managers set targets
    assert client.get("/goals/charts/goals-target-chart.css").status_code == 200


def test_a_manager_sets_a_target_with_the_form(client, make, issue_target):
    manager = staff_user(make, Role.MANAGER)
    login(client, manager)
    assert 'action="/goals"' in client.get("/goals").text
    response = client.post("/goals", data={
        "name": "", "metric": "customers", "segment": "", "multiple": "7",
        "horizon_months": "36", "starts_on": "2026-04", "baseline_from": "2026-01",
        "baseline_to": "2026-03",
    })  # fmt: skip
    assert response.status_code == 302, response.text
    target = db.session.scalars(db.select(KpiTarget).order_by(KpiTarget.id.desc())).first()
    assert target is not None
    assert (target.metric, target.segment, target.multiple, target.horizon_months) == (
        "customers", None, 7, 36,
    )  # fmt: skip
    # The last month of the baseline is included: to its last day.
    assert (target.baseline_from, target.baseline_to, target.starts_on) == (
        date(2026, 1, 1), date(2026, 3, 31), date(2026, 4, 1),
    )  # fmt: skip
    assert target.created_by_id == manager.id
    assert "customers ×7 in 36 months, the whole program" in client.get("/goals").text


def test_a_refused_target_is_shown_on_the_form(client, make, issue_target):
    login(client, staff_user(make, Role.MANAGER))
    response = client.post("/goals", data={
        "metric": "leads", "segment": "nowhere", "multiple": "0", "horizon_months": "18",
        "starts_on": "2026-04", "baseline_from": "2026-03", "baseline_to": "2026-01",
    })  # fmt: skip
    assert response.status_code == 422
    for problem in ("Give a multiple above 0", "No partner is in this segment",
                    "The baseline cannot end before it starts"):  # fmt: skip
        assert problem in response.text
    assert db.session.scalar(db.select(db.func.count(KpiTarget.id))) == 1


def test_marketers_cannot_set_or_switch_targets(client, make, issue_target):
    login(client, staff_user(make, Role.MARKETER))
    assert client.post("/goals", data={"metric": "leads"}).status_code == 403
    assert client.post(f"/goals/{issue_target.id}/active").status_code == 403


def test_the_dashboard_tile_in_the_readers_language(client, make, issue_target):
    login(client, staff_user(make, Role.MANAGER, "en"))
    page = client.get("/").text
    assert "×1.30" in page
    assert "leads ×1.30 of ×2.5, month 4 of 18, on track" in page
    client.post("/logout", data={})
    login(client, staff_user(make, Role.MANAGER, "ru"))
    page = client.get("/").text
    assert re.search(r"×1,30 \w+ ×2,5", page), "numbers in the Russian format"


def test_a_switched_off_target_leaves_the_dashboard(client, make, issue_target):
    login(client, staff_user(make, Role.MANAGER))
    response = client.post(f"/goals/{issue_target.id}/active")
    assert response.status_code == 302
    db.session.refresh(issue_target)
    assert issue_target.active is False
    assert "month 4 of 18" not in client.get("/").text
    page = client.get("/goals").text
    assert "Switched off" in page
    assert "Switch on" in page
    client.post(f"/goals/{issue_target.id}/active")
    assert "month 4 of 18" in client.get("/").text


def test_a_target_before_its_first_month_is_over(client, make, time_machine):
    time_machine.move_to(NOW, tick=False)
    create_target(
        metric="revenue", segment="amocrm", baseline_from=date(2026, 1, 1),
        baseline_to=date(2026, 6, 30), multiple=Decimal(7), horizon_months=36,
        starts_on=date(2026, 8, 1), name="amoCRM: деньги ×7",
    )  # fmt: skip
    db.session.commit()
    login(client, staff_user(make, Role.MANAGER))
    assert "revenue ×7 in 36 months from August 2026" in client.get("/").text
    page = client.get("/goals").text
    assert "amoCRM: деньги ×7" in page
    assert "not started" in page
