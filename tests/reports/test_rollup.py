"""The click rollup: final days from click_days, open days from the clicks themselves."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import requests
from sqlalchemy import func, select

from comarketing.core.auth import Role
from comarketing.core.time import day_start, utcnow
from comarketing.extensions import db
from comarketing.links.models import Click, TrackedLink
from comarketing.reports import metrics
from comarketing.reports.metrics import Scope
from comarketing.reports.models import ClickDay
from comarketing.reports.periods import Period
from comarketing.reports.rollup import roll_up_clicks
from tests.factories import Factory
from tests.live import live_server


def test_clicks_are_counted_once_across_rollup_and_raw_days(make):
    partner = make.partner()
    make.campaign([partner], landing_url="https://vendor.example/")
    link = db.session.scalar(select(TrackedLink))
    now = utcnow()
    moments = [now - timedelta(days=d) for d in (40, 40, 10, 3, 1, 0)]
    moments.append(now - timedelta(days=10))
    for n, at in enumerate(moments):
        db.session.add(Click(link_id=link.id, clicked_at=at, visitor_id=f"{n:032x}"))
    db.session.add(Click(link_id=link.id, clicked_at=now, visitor_id="f" * 32, is_bot=True))
    db.session.commit()

    through = roll_up_clicks()
    assert through == now.date() - timedelta(days=2)
    assert db.session.scalar(select(func.sum(ClickDay.humans))) == 5  # days 40, 10 and 3
    assert roll_up_clicks() == through  # nothing twice
    assert db.session.scalar(select(func.sum(ClickDay.humans))) == 5

    scope = Scope("partner", "linear", Period(now.date() - timedelta(days=60), now.date()))
    assert metrics.clicks(scope) == {partner.id: (7,)}
    recent = Scope("partner", "linear", Period(now.date() - timedelta(days=5), now.date()))
    assert metrics.clicks(recent) == {partner.id: (3,)}
    months = Scope("month", "linear", Period(now.date() - timedelta(days=60), now.date()))
    assert sum(n for (n,) in metrics.clicks(months).values()) == 7


def test_nothing_to_roll_up_without_clicks(app):
    assert roll_up_clicks() is None


def test_a_day_rolled_up_stays(make):
    partner = make.partner()
    make.campaign([partner], landing_url="https://vendor.example/")
    link = db.session.scalar(select(TrackedLink))
    old = datetime.now(UTC) - timedelta(days=5)
    db.session.add(Click(link_id=link.id, clicked_at=old, visitor_id="a" * 32))
    db.session.commit()
    roll_up_clicks()
    later = roll_up_clicks(utcnow().date() + timedelta(days=3))
    assert later == utcnow().date() + timedelta(days=1)
    assert db.session.scalar(select(func.sum(ClickDay.humans))) == 1


def test_first_reports_of_a_day_at_once_all_answer(tmp_path):
    """Eight reports arrive together when days are waiting to be rolled up: each answers 200
    with every click counted once (one of them rolls the days up, the others wait for it)."""
    with live_server(tmp_path) as live:
        with live.app.app_context():
            make = Factory()
            partner = make.partner()
            make.campaign([partner], landing_url="https://vendor.example/")
            link = db.session.scalar(select(TrackedLink))
            now = utcnow()
            for n in range(200):
                at = now - timedelta(days=n % 50, minutes=n)
                db.session.add(Click(link_id=link.id, clicked_at=at, visitor_id=f"{n:032x}"))
            token = make.token(make.user(Role.MANAGER))
            db.session.commit()
        start = (now - timedelta(days=60)).date()
        url = f"{live.url}/api/v1/reports/roi?from={start}&to={now.date()}"

        def report(_: int) -> tuple[int, int | None]:
            response = requests.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=60)
            ok = response.status_code == 200
            return response.status_code, response.json()["totals"]["clicks"] if ok else None

        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(report, range(8)))

        assert answers == [(200, 200)] * 8
        with live.app.app_context():
            rolled = db.session.scalar(select(func.sum(ClickDay.humans)))
            raw_old = db.session.scalar(
                select(func.count(Click.id)).where(
                    Click.clicked_at < day_start(now.date() - timedelta(days=1))
                )
            )
        assert rolled == raw_old
