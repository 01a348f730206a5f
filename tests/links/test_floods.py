"""Click floods (contract §7, issue 17): human clicks on one link from one address beyond
CLICK_FLOOD_PER_DAY in a UTC day are suspicious_clicks — not clicks in the stats or the
reports, and not touchpoints — while every click is still written and redirected."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from comarketing.core.auth import Role
from comarketing.extensions import db
from comarketing.leads.models import Touchpoint
from comarketing.links.models import Click
from comarketing.reports import metrics
from comarketing.reports.metrics import Scope
from comarketing.reports.periods import Period
from comarketing.reports.rollup import roll_up_clicks
from tests.factories import bearer

BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"
DAY = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def link(new_link):
    return new_link(destination="https://lp.example/")


def click_from(client, link, address: str) -> str:
    answer = client.get(
        f"/r/{link.code}", headers={"User-Agent": BROWSER}, environ_base={"REMOTE_ADDR": address}
    )
    assert answer.status_code == 302  # a flood is still redirected
    return parse_qs(urlsplit(answer.location).query)["cmclid"][0]


def test_beyond_the_daily_limit_an_address_clicks_suspiciously(
    app, client, make, link, time_machine, monkeypatch
):
    monkeypatch.setitem(app.config, "CLICK_FLOOD_PER_DAY", 20)
    time_machine.move_to(DAY)
    for _ in range(25):
        click_from(client, link, "198.51.100.7")
    click_from(client, link, "198.51.100.8")
    time_machine.move_to(DAY + timedelta(days=1))
    click_from(client, link, "198.51.100.7")  # a new UTC day counts again

    assert db.session.scalar(select(func.count(Click.id))) == 27  # every click is kept
    token = bearer(make.token(make.user(Role.MARKETER)))
    stats = client.get(f"/api/v1/links/{link.id}/stats?from=2026-11-10&to=2026-11-11",
                       headers=token).json  # fmt: skip
    assert (stats["clicks"], stats["suspicious_clicks"]) == (22, 5)
    assert [day["clicks"] for day in stats["by_day"]] == [21, 1]

    period = Scope("partner", "linear", Period(DAY.date(), DAY.date() + timedelta(days=1)))
    assert metrics.clicks(period) == {link.partner_id: (22,)}  # the open days, read raw
    time_machine.move_to(DAY + timedelta(days=10))
    roll_up_clicks()
    assert metrics.clicks(period) == {link.partner_id: (22,)}  # the same, rolled up


def test_a_floods_clicks_are_no_touchpoints(app, client, make, link, time_machine, monkeypatch):
    monkeypatch.setitem(app.config, "CLICK_FLOOD_PER_DAY", 3)
    time_machine.move_to(DAY)
    cmclids = [click_from(client, link, "203.0.113.9") for _ in range(5)]
    marketer = bearer(make.token(make.user(Role.MARKETER)))
    body = {"email": "flood@client.example", "cmclid": cmclids[0]}
    answer = client.post("/api/v1/leads", json=body, headers=marketer)
    assert answer.status_code == 201
    touches = db.session.scalar(
        select(func.count(Touchpoint.id)).where(Touchpoint.lead_id == answer.json["id"])
    )
    assert touches == 3  # the visitor's first three clicks; the flood's two are not touches
