"""The click rollup: the clicks before its mark (a minute ago) from click_days, the ones after
it from the clicks themselves."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta

import pytest
import requests
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from comarketing.core.auth import Role
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.links.models import Click, TrackedLink
from comarketing.partners.models import Partner
from comarketing.reports import metrics
from comarketing.reports.metrics import Scope
from comarketing.reports.models import ClickDay
from comarketing.reports.periods import Period
from comarketing.reports.rollup import (
    LAG,
    STALE,
    roll_up_clicks,
    roll_up_for_reading,
    rolled_through,
    rolled_until,
)
from tests.factories import Factory, bearer, login
from tests.live import live_server


def test_clicks_are_counted_once_across_rollup_and_raw_days(make, time_machine):
    time_machine.move_to(datetime(2026, 10, 20, 12, tzinfo=UTC), tick=False)
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

    scope = Scope("partner", "linear", Period(now.date() - timedelta(days=60), now.date()))
    recent = Scope("partner", "linear", Period(now.date() - timedelta(days=5), now.date()))
    months = Scope("month", "linear", Period(now.date() - timedelta(days=60), now.date()))
    until = roll_up_clicks()
    assert until == now - LAG  # a click is final a minute after it came
    assert db.session.scalar(select(func.sum(ClickDay.humans))) == 6  # days 40, 10, 3 and 1
    assert roll_up_clicks() == until  # nothing twice
    assert db.session.scalar(select(func.sum(ClickDay.humans))) == 6
    assert metrics.clicks(scope) == {partner.id: (7,)}
    assert metrics.clicks(recent) == {partner.id: (3,)}
    assert sum(n for (n,) in metrics.clicks(months).values()) == 7

    second = timedelta(seconds=1)
    time_machine.move_to(now + LAG + second, tick=False)
    assert roll_up_clicks() == now + second  # today's click and the bot's
    assert db.session.scalar(select(func.sum(ClickDay.humans))) == 7
    assert db.session.scalar(select(func.sum(ClickDay.bots))) == 1
    assert metrics.clicks(scope) == {partner.id: (7,)}
    assert metrics.clicks(recent) == {partner.id: (3,)}
    assert sum(n for (n,) in metrics.clicks(months).values()) == 7


@pytest.mark.parametrize(
    ("now", "until", "rolled"),
    [  # (now, UTC; the mark; clicks rolled up): a click is final a minute after it came
        (datetime(2026, 10, 20, 0, 0, 30, tzinfo=UTC), "2026-10-19T23:59:30", 0),
        (datetime(2026, 10, 20, 0, 0, 59, tzinfo=UTC), "2026-10-19T23:59:59", 0),
        (datetime(2026, 10, 20, 0, 1, tzinfo=UTC), "2026-10-20T00:00:00", 1),
        (datetime(2026, 10, 20, 23, 59, tzinfo=UTC), "2026-10-20T23:58:00", 1),
    ],
)
def test_a_click_is_final_a_minute_after_it_came(make, time_machine, now, until, rolled):
    time_machine.move_to(now, tick=False)
    partner = make.partner()
    make.campaign([partner], landing_url="https://vendor.example/")
    link = db.session.scalar(select(TrackedLink))
    just_before_midnight = datetime(2026, 10, 19, 23, 59, 59, tzinfo=UTC)
    db.session.add(Click(link_id=link.id, clicked_at=just_before_midnight, visitor_id="b" * 32))
    db.session.commit()
    assert roll_up_clicks() == datetime.fromisoformat(until).replace(tzinfo=UTC)
    assert (db.session.scalar(select(func.sum(ClickDay.humans))) or 0) == rolled
    assert rolled_through() == date(2026, 10, 18 + rolled)  # the last whole day
    day = Scope("partner", "linear", Period(just_before_midnight.date(), now.date()))
    assert metrics.clicks(day) == {partner.id: (1,)}  # rolled up or raw, counted once


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
    now = utcnow()
    later = roll_up_clicks(now + timedelta(days=3))
    assert later == now + timedelta(days=3) - LAG
    assert roll_up_clicks() == later  # a mark never moves back
    assert db.session.scalar(select(func.sum(ClickDay.humans))) == 1


NOW = datetime(2026, 10, 20, 12, tzinfo=UTC)
OCT = "from=2026-10-01&to=2026-10-20"
REPORTS = [  # (who asks, URL): every GET that reads the ROI report
    ("manager", f"/reports?{OCT}"),
    ("manager", f"/reports/roi.csv?{OCT}"),
    ("manager", f"/reports/webinars?{OCT}"),
    ("manager", f"/reports/partners/{{partner}}?{OCT}"),
    ("token", f"/api/v1/reports/roi?{OCT}"),
    ("token", f"/api/v1/reports/roi?{OCT}&format=csv"),
    ("partner", f"/portal/reports?{OCT}"),
    ("partner", f"/portal/reports.csv?{OCT}&group_by=month"),
]


@pytest.fixture
def days_to_roll_up(make, time_machine):
    """Now is 20 Oct 2026, 12:00 UTC; a partner's link has 3 human clicks on 10 Oct (final,
    not rolled up yet) and 1 now (not final yet)."""
    time_machine.move_to(NOW, tick=False)
    partner = make.partner()
    make.campaign([partner], landing_url="https://vendor.example/")
    link = db.session.scalar(select(TrackedLink))
    for n, at in enumerate([NOW - timedelta(days=10)] * 3 + [NOW]):
        db.session.add(Click(link_id=link.id, clicked_at=at, visitor_id=f"{n:032x}"))
    db.session.commit()
    return partner


@pytest.mark.parametrize(("who", "url"), REPORTS)
def test_a_report_rolls_up_in_a_transaction_of_its_own_and_never_commits_its_request(
    client, make, days_to_roll_up, who, url
):
    partner = days_to_roll_up
    headers = {}
    if who == "token":
        headers = bearer(make.token(make.user(Role.MANAGER)))
    else:
        login(
            client,
            make.user(Role.PARTNER, partner) if who == "partner" else make.user(Role.MANAGER),
        )
    requests_commits = []

    def committed(session: Session) -> None:
        # The request's own session (each request has its own), its transaction (a nested
        # one, a SAVEPOINT, is not a commit).
        if session is db.session() and not session.in_nested_transaction():
            requests_commits.append(session)

    event.listen(Session, "after_commit", committed)
    try:
        response = client.get(url.format(partner=partner.id), headers=headers)
    finally:
        event.remove(Session, "after_commit", committed)
    assert response.status_code == 200, response.text
    assert requests_commits == []
    # The rollup outlived the request that made it: 10 Oct is in click_days.
    assert db.session.scalar(select(func.sum(ClickDay.humans))) == 3
    assert roll_up_for_reading() == NOW - LAG


def test_a_report_rolls_up_when_the_mark_is_half_a_minute_behind(days_to_roll_up, time_machine):
    assert roll_up_for_reading() == NOW - LAG
    time_machine.move_to(NOW + STALE, tick=False)
    assert roll_up_for_reading() == NOW - LAG  # a report of the last half minute rolled up
    assert db.session.scalar(select(func.sum(ClickDay.humans))) == 3
    time_machine.move_to(NOW + STALE + timedelta(seconds=1), tick=False)
    assert roll_up_for_reading() == NOW + STALE + timedelta(seconds=1) - LAG
    time_machine.move_to(NOW + LAG + STALE + timedelta(seconds=1), tick=False)
    assert roll_up_for_reading() == NOW + STALE + timedelta(seconds=1)
    assert db.session.scalar(select(func.sum(ClickDay.humans))) == 4  # now's click too


def test_a_report_is_read_with_no_change_in_the_session(days_to_roll_up):
    db.session.add(Partner(name="Не сохранён", slug="unsaved", segment="amocrm"))
    with pytest.raises(RuntimeError, match="no change"):
        roll_up_for_reading()


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
            until = rolled_until()
            assert until is not None
            assert until >= now - LAG
            raw_old = db.session.scalar(
                select(func.count(Click.id)).where(Click.clicked_at < until)
            )
        assert rolled == raw_old
