"""The .ics of a webinar, read back by two independent iCalendar parsers."""

from datetime import UTC, datetime, timedelta, timezone

import icalendar
import pytest
import vobject

MOSCOW = timezone(timedelta(hours=3))


@pytest.fixture
def webinar(make):
    partner = make.partner("Интегратор Плюс")
    return make.webinar(
        [partner],
        title="Как не терять звонки в amoCRM",
        starts_at=datetime(2026, 12, 15, 11, 0, tzinfo=MOSCOW),
        duration_minutes=90,
    )


def download(client, webinar):
    response = client.get(f"/w/{webinar.slug}.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return response.data


def test_two_parsers_read_the_same_event(client, webinar):
    body = download(client, webinar)

    event = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]
    assert event.decoded("dtstart").astimezone(UTC) == datetime(2026, 12, 15, 8, 0, tzinfo=UTC)
    assert event.decoded("dtend").astimezone(UTC) == datetime(2026, 12, 15, 9, 30, tzinfo=UTC)
    assert str(event["summary"]) == "Как не терять звонки в amoCRM"

    parsed = vobject.readOne(body.decode())
    vevent = parsed.vevent
    assert vevent.dtstart.value.astimezone(UTC) == datetime(2026, 12, 15, 8, 0, tzinfo=UTC)
    assert vevent.dtend.value.astimezone(UTC) == datetime(2026, 12, 15, 9, 30, tzinfo=UTC)
    assert vevent.summary.value == "Как не терять звонки в amoCRM"
    assert vevent.uid.value == str(event["uid"])


def test_event_is_written_in_the_webinar_zone_with_its_vtimezone(client, webinar):
    body = download(client, webinar).decode()
    assert "DTSTART;TZID=Europe/Moscow:20261215T110000" in body
    assert "BEGIN:VTIMEZONE" in body
    assert "TZID:Europe/Moscow" in body


def test_uid_is_stable_and_dtstamp_url_organizer_present(client, webinar):
    first = icalendar.Calendar.from_ical(download(client, webinar)).walk("VEVENT")[0]
    second = icalendar.Calendar.from_ical(download(client, webinar)).walk("VEVENT")[0]
    assert first["uid"] == second["uid"] == f"webinar-{webinar.id}@go.test"
    assert first.get("dtstamp") is not None
    assert str(first["url"]) == f"http://go.test/w/{webinar.slug}"
    assert str(first["organizer"]).startswith("mailto:")
    assert str(first["location"]) == "https://webinar.example/room/1"


def test_utc_zone_is_written_as_utc(client, make):
    webinar = make.webinar(
        starts_at=datetime(2026, 12, 15, 8, 0, tzinfo=UTC), timezone="UTC", duration_minutes=30
    )
    event = vobject.readOne(download(client, webinar).decode()).vevent
    assert event.dtstart.value == datetime(2026, 12, 15, 8, 0, tzinfo=UTC)


def test_unknown_webinar_is_404(client):
    assert client.get("/w/no-such-webinar.ics").status_code == 404


def test_feeds_need_their_secret(client, make, app):
    from comarketing.webinars.public import all_webinars_feed_token

    partner = make.partner()
    other = make.partner()
    mine = make.webinar([partner], title="Мой вебинар")
    make.webinar([other], title="Чужой вебинар")
    assert client.get("/calendar/feed/wrong.ics").status_code == 404
    feed = client.get(f"/calendar/feed/{all_webinars_feed_token()}.ics")
    assert feed.status_code == 200
    assert len(icalendar.Calendar.from_ical(feed.data).walk("VEVENT")) == 2
    own = client.get(f"/calendar/partner/{partner.feed_token}.ics")
    events = icalendar.Calendar.from_ical(own.data).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == [mine.title]
    assert client.get("/calendar/partner/not-a-token.ics").status_code == 404
