"""The joint-webinar rhythm per ecosystem (issue 19, contract §9): December with three amoCRM
webinars and none for Bitrix24 is `ok` for amoCRM and `below` for Bitrix24, and the calendar
warns; two Bitrix24 webinars more make it `ok`. Target: WEBINARS_PER_MONTH_TARGET = [2, 3]."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from comarketing.core.auth import Role
from comarketing.extensions import db
from comarketing.webinars.models import WebinarStatus
from comarketing.webinars.rhythm import Pace, pace
from tests.factories import bearer, login

EN = {"Accept-Language": "en"}


def december(day: int) -> datetime:
    return datetime(2026, 12, day, 8, 0, tzinfo=UTC)  # 11:00 in Moscow


@pytest.fixture
def december_webinars(app, make):
    amo = make.partner("АмоПартнёр", segment="amocrm")
    bitrix = make.partner("БитриксПартнёр", segment="bitrix24")
    for day in (3, 10, 17):
        make.webinar([amo], starts_at=december(day))
    # Neither counts for December: November in Moscow, and a cancelled one.
    make.webinar([bitrix], starts_at=datetime(2026, 11, 30, 20, 30, tzinfo=UTC))
    make.webinar([bitrix], starts_at=december(8)).status = WebinarStatus.CANCELLED
    db.session.commit()
    return amo, bitrix


def rhythm(client, make, month="2026-12"):
    token = bearer(make.token(make.user(Role.MANAGER)))
    answer = client.get(f"/api/v1/calendar/rhythm?month={month}", headers=token)
    assert answer.status_code == 200, answer.json
    return answer.json


def test_a_segment_without_webinars_is_below_while_the_other_is_ok(client, make, december_webinars):
    _, bitrix = december_webinars
    answer = rhythm(client, make)
    assert answer["target"] == {"min": 2, "max": 3}
    assert answer["segments"] == {
        "amocrm": {"count": 3, "status": "ok"},
        "bitrix24": {"count": 0, "status": "below"},
    }
    login(client, make.user(Role.MARKETER))
    page = client.get("/calendar?month=2026-12", headers=EN).text
    assert "Bitrix24 has 0 joint webinars this month, below the target of 2–3." in page
    assert "Bitrix24 had no joint webinar this month while amoCRM had several" in page

    make.webinar([bitrix], starts_at=december(15))
    make.webinar([bitrix], starts_at=december(22))
    assert rhythm(client, make)["segments"]["bitrix24"] == {"count": 2, "status": "ok"}
    page = client.get("/calendar?month=2026-12", headers=EN).text
    assert "below the target" not in page
    assert "had no joint webinar" not in page


def test_a_webinar_counts_once_for_each_segment_of_its_hosts(client, make):
    amo_one = make.partner(segment="amocrm")
    amo_two = make.partner(segment="amocrm")
    bitrix = make.partner(segment="bitrix24")
    for day in (1, 2, 3, 4):
        make.webinar([amo_one, amo_two, bitrix], starts_at=december(day))
    segments = rhythm(client, make)["segments"]
    assert segments["amocrm"] == {"count": 4, "status": "above"}
    assert segments["bitrix24"] == {"count": 4, "status": "above"}


def test_bad_months_are_refused_and_partners_are_turned_away(client, make):
    token = bearer(make.token(make.user(Role.MANAGER)))
    for month in ("2026-13", "26-12", "december"):
        answer = client.get(f"/api/v1/calendar/rhythm?month={month}", headers=token)
        assert answer.status_code == 422
        assert "month" in answer.json["error"]["fields"]
    partner = bearer(make.token(make.user(Role.PARTNER, partner=make.partner())))
    assert client.get("/api/v1/calendar/rhythm", headers=partner).status_code == 403


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, Pace.BELOW), (1, Pace.BELOW), (2, Pace.OK), (3, Pace.OK), (4, Pace.ABOVE)],
)
def test_pace_against_two_to_three(count, expected):
    assert pace(count, 2, 3) is expected
