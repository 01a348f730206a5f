"""The click rollup: final days from click_days, open days from the clicks themselves."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.links.models import Click, TrackedLink
from comarketing.reports import metrics
from comarketing.reports.metrics import Scope
from comarketing.reports.models import ClickDay
from comarketing.reports.periods import Period
from comarketing.reports.rollup import roll_up_clicks


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
