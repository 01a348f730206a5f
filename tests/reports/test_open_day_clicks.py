"""The open day's clicks rolled up up to a minute ago: whatever the moments the rollup ran at,
the report counts every period's clicks as the flood rule counts the raw clicks (a flood's
count going on across the rollup's mark, from ``click_addresses``)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, insert, select

from comarketing.extensions import db
from comarketing.links.floods import ranked_clicks
from comarketing.links.models import Click, TrackedLink
from comarketing.reports import metrics
from comarketing.reports.metrics import Scope
from comarketing.reports.models import ClickAddress, ClickDay
from comarketing.reports.periods import Period
from comarketing.reports.rollup import LAG, roll_up_clicks, roll_up_for_reading, rolled_until

FIRST = date(2026, 10, 31)  # three UTC days across a month's end: 31 Oct, 1 and 2 Nov
DAYS = [FIRST + timedelta(days=n) for n in range(3)]
PERIODS = [
    Period(DAYS[0], DAYS[2]),
    Period(DAYS[0], DAYS[0]),
    Period(DAYS[1], DAYS[1]),
    Period(DAYS[1], DAYS[2]),
    Period(DAYS[2], DAYS[2] + timedelta(days=5)),
]
GROUPS = ("partner", "campaign", "month")
LIMIT = 3  # CLICK_FLOOD_PER_DAY: a few clicks from one address make a flood
# Clicks bunch in a few minutes of each day, mostly on one link from one address, so that
# floods are common and the rollup's marks fall among their clicks.
HOURS = (0, 12, 23)

a_click = st.fixed_dictionaries(
    {
        "link": st.sampled_from([0, 0, 0, 1, 2]),
        "day": st.sampled_from([0, 1, 1, 2]),
        "hour": st.sampled_from(HOURS),
        "second": st.integers(0, 180),
        "ip_hash": st.sampled_from(["a" * 64, "a" * 64, "b" * 64, None]),
        "is_bot": st.sampled_from([False, False, False, True]),
        "via_qr": st.booleans(),
    }
)
a_moment = st.builds(
    lambda day, hour, second: (
        datetime.combine(FIRST, datetime.min.time(), UTC)
        + timedelta(days=day, hours=hour, seconds=second)
    ),
    st.integers(0, 3),
    st.sampled_from(HOURS),
    st.integers(0, 180),
)


def _moment(click: dict) -> datetime:
    start = datetime.combine(DAYS[click["day"]], datetime.min.time(), UTC)
    return start + timedelta(hours=click["hour"], seconds=click["second"])


def _counted_raw(period: Period, links: dict[int, TrackedLink]) -> dict[str, Counter]:
    """The reference: human clicks the flood rule counts over the period's raw clicks (whole
    UTC days), per key of each dimension."""
    ranked = ranked_clicks(Click.clicked_at >= period.since, Click.clicked_at < period.until)
    rows = db.session.execute(
        select(ranked.c.link_id, ranked.c.day, func.count())
        .where(ranked.c.counted.is_(True))
        .group_by(ranked.c.link_id, ranked.c.day)
    ).all()
    found: dict[str, Counter] = {group: Counter() for group in GROUPS}
    for link_id, day, n in rows:
        link = links[link_id]
        found["partner"][link.partner_id] += n
        found["campaign"][link.campaign_id] += n
        found["month"][str(day)[:7]] += n
    return found


def _reported(group: str, period: Period) -> Counter:
    figures = metrics.clicks(Scope(group, "linear", period))
    return Counter({key: int(n) for key, (n,) in figures.items() if n})


def _links(make) -> dict[int, TrackedLink]:
    """Three links: two partners in one campaign, the first also in another."""
    first, second = make.partner(), make.partner()
    make.campaign([first, second], landing_url="https://vendor.example/")
    make.campaign([first], landing_url="https://vendor.example/other")
    found = db.session.scalars(select(TrackedLink).order_by(TrackedLink.id)).all()
    assert len(found) == 3
    return {link.id: link for link in found}


def test_reports_count_the_raw_clicks_whatever_the_rollups_marks(
    app, make, time_machine, monkeypatch
):
    monkeypatch.setitem(app.config, "CLICK_FLOOD_PER_DAY", LIMIT)
    links = _links(make)
    ids = sorted(links)

    @settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
    @given(
        clicks=st.lists(a_click, min_size=12, max_size=60),
        marks=st.lists(a_moment, min_size=1, max_size=4).map(sorted),
    )
    def check(clicks: list[dict], marks: list[datetime]) -> None:
        example = db.session.begin_nested()
        try:
            rows = [
                {
                    "link_id": ids[click["link"]],
                    "clicked_at": _moment(click),
                    "visitor_id": f"{n:032x}",
                    "is_bot": click["is_bot"],
                    "via_qr": click["via_qr"],
                    "ip_hash": click["ip_hash"],
                }
                for n, click in enumerate(clicks)
            ]
            db.session.execute(insert(Click), rows)
            for mark in marks:
                time_machine.move_to(mark + LAG, tick=False)
                roll_up_clicks()
                assert rolled_until() == mark
                for period in PERIODS:
                    expected = _counted_raw(period, links)
                    for group in GROUPS:
                        assert _reported(group, period) == +expected[group], (mark, period, group)
        finally:
            example.rollback()

    check()


def test_a_flood_goes_on_counting_across_the_mark(app, make, time_machine, monkeypatch):
    """Two clicks of an address rolled up, three more read raw: the limit (3) counts one of
    them; rolled up too, the same."""
    monkeypatch.setitem(app.config, "CLICK_FLOOD_PER_DAY", LIMIT)
    link = next(iter(_links(make).values()))
    noon = datetime(2026, 11, 1, 12, tzinfo=UTC)
    moments = [noon, noon + timedelta(minutes=1)] + [noon + timedelta(minutes=10)] * 3
    for n, at in enumerate(moments):
        db.session.add(Click(link_id=link.id, clicked_at=at, visitor_id=f"{n:032x}", ip_hash="c"))
    db.session.commit()
    day = Scope("partner", "linear", Period(noon.date(), noon.date()))

    time_machine.move_to(noon + timedelta(minutes=5), tick=False)
    roll_up_for_reading()
    assert db.session.scalar(select(ClickAddress.humans)) == 2
    time_machine.move_to(noon + timedelta(minutes=10, seconds=20), tick=False)
    assert roll_up_for_reading() == noon + timedelta(minutes=9, seconds=20)
    time_machine.move_to(noon + timedelta(minutes=10, seconds=45), tick=False)
    assert roll_up_for_reading() == noon + timedelta(minutes=9, seconds=20)  # not stale yet
    assert metrics.clicks(day) == {link.partner_id: (3,)}  # 2 rolled up, 1 of 3 raw
    time_machine.move_to(noon + timedelta(minutes=20), tick=False)
    assert roll_up_for_reading() == noon + timedelta(minutes=19)
    assert db.session.scalar(select(ClickAddress.humans)) == 5
    assert db.session.scalar(select(ClickDay.humans)) == 3
    assert metrics.clicks(day) == {link.partner_id: (3,)}


def test_addresses_of_days_before_yesterday_are_dropped(app, make, time_machine):
    link = next(iter(_links(make).values()))
    days = [datetime(2026, 11, d, 9, tzinfo=UTC) for d in (1, 2, 3)]
    for n, at in enumerate(days):
        db.session.add(Click(link_id=link.id, clicked_at=at, visitor_id=f"{n:032x}", ip_hash="d"))
    db.session.commit()

    def kept() -> list[str]:
        found = db.session.scalars(select(ClickAddress.day).order_by(ClickAddress.day))
        return [str(day) for day in found]

    # A rollup each day: 1 November's addresses are kept while it is yesterday, then dropped.
    time_machine.move_to(datetime(2026, 11, 1, 10, tzinfo=UTC), tick=False)
    roll_up_clicks()
    time_machine.move_to(datetime(2026, 11, 2, 10, tzinfo=UTC), tick=False)
    roll_up_clicks()
    assert kept() == ["2026-11-01", "2026-11-02"]
    time_machine.move_to(datetime(2026, 11, 3, 10, tzinfo=UTC), tick=False)
    roll_up_clicks()
    assert kept() == ["2026-11-02", "2026-11-03"]
    assert db.session.scalar(select(func.sum(ClickDay.humans))) == 3
