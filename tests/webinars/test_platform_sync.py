"""``flask webinars sync``: attendance pulled from fake Zoom and MTS Link servers (real HTTP on
127.0.0.1), recorded like an upload, idempotent, and the figures the webinar report shows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from comarketing.core.auth import Role
from comarketing.core.outbox import OutboxMessage
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.leads.models import TouchKind, Touchpoint
from comarketing.leads.services.registrations import register
from comarketing.webinars.models import Registration, Webinar, WebinarPlatform
from comarketing.webinars.platforms import mts_link
from comarketing.webinars.platforms.sync import periodic_sync
from tests.factories import bearer, login
from tests.reports.test_pages import table_rows
from tests.webinars.platform_fakes import MtsLinkApi, Visit, ZoomApi

REGISTERED = [f"p{number:02d}@example.com" for number in range(45)]
CAME = REGISTERED[:40]  # the other 5 are no-shows
TWICE = CAME[:8]  # dropped and came back: two visits each
OUTSIDERS = ["walk.in@example.com", "guest@example.com"]  # watched, never registered here
PLATFORM_ONLY = "platform.only@example.com"  # registered on the platform only, did not come


def minutes_of(email: str) -> int:
    return 10 + CAME.index(email) if email in CAME else 0


def visits() -> list[Visit]:
    """Person i watched 10 + i minutes and 20 seconds (rounded: 10 + i); the first eight in
    two visits (5 minutes, then the rest)."""
    rows = []
    for email in CAME:
        total = minutes_of(email) * 60 + 20
        if email in TWICE:
            rows += [Visit(email, email, 300), Visit(email, email, total - 300)]
        else:
            rows.append(Visit(email, email, total))
    return rows + [Visit(email, email, 1800) for email in OUTSIDERS]


@pytest.fixture
def zoom(app) -> Iterator[ZoomApi]:
    server = ZoomApi(
        visits=visits(),
        registrants=[*REGISTERED, PLATFORM_ONLY],
        hide_email={CAME[10], CAME[11], CAME[12]},  # guests: matched by registrant_id
    ).start()
    saved = {key: app.config.get(key) for key in ("ZOOM_API_URL", "ZOOM_TOKEN")}
    app.config.update(ZOOM_API_URL=f"{server.base_url}/v2", ZOOM_TOKEN=server.token)
    yield server
    app.config.update(saved)
    server.stop()


@pytest.fixture
def mts(app, monkeypatch) -> Iterator[MtsLinkApi]:
    monkeypatch.setattr(mts_link, "PER_PAGE", 15)  # 43 people: three pages
    server = MtsLinkApi(visits=visits(), registrants=[*REGISTERED, PLATFORM_ONLY]).start()
    saved = {key: app.config.get(key) for key in ("MTS_LINK_API_URL", "MTS_LINK_TOKEN")}
    app.config.update(MTS_LINK_API_URL=f"{server.base_url}/v3", MTS_LINK_TOKEN=server.token)
    yield server
    app.config.update(saved)
    server.stop()


def held_webinar(make, platform: WebinarPlatform, event_id: str, hours_ago: int = 3) -> Webinar:
    webinar = make.webinar(
        title="Звонки в Bitrix24", starts_at=utcnow() - timedelta(hours=hours_ago)
    )
    for email in REGISTERED:
        register(webinar, email=email, name=email.split("@")[0])
    webinar.platform = platform
    webinar.platform_event_id = event_id
    db.session.commit()
    return webinar


def state(webinar: Webinar) -> tuple[list[tuple], int, int]:
    """What sync writes: each registration's attendance, the attendance touches, the outbox."""
    rows = db.session.execute(
        select(
            Registration.email,
            Registration.attended,
            Registration.attended_minutes,
            Registration.attendance_recorded_at,
        )
        .where(Registration.webinar_id == webinar.id)
        .order_by(Registration.email)
    ).all()
    touches = db.session.scalar(
        select(func.count(Touchpoint.id)).where(
            Touchpoint.webinar_id == webinar.id, Touchpoint.kind == TouchKind.ATTENDANCE
        )
    )
    outbox = db.session.scalar(select(func.count(OutboxMessage.id)))
    return [tuple(row) for row in rows], touches or 0, outbox or 0


def check_recorded(webinar: Webinar) -> None:
    rows, touches, _ = state(webinar)
    assert len(rows) == 45
    for email, attended, minutes, _at in rows:
        if email in CAME:
            assert (attended, minutes) == (True, minutes_of(email)), email
        else:
            assert (attended, minutes) == (False, None), email
    assert touches == 40


@pytest.mark.parametrize("platform", [WebinarPlatform.ZOOM, WebinarPlatform.MTS_LINK])
def test_sync_records_the_40_attendances_once(
    request, runner, make, client, platform: WebinarPlatform
):
    server = request.getfixturevalue("zoom" if platform is WebinarPlatform.ZOOM else "mts")
    event_id = server.meeting_id if platform is WebinarPlatform.ZOOM else server.session_id
    webinar = held_webinar(make, platform, event_id)

    first = runner.invoke(args=["webinars", "sync", webinar.slug])
    assert first.exit_code == 0, first.output
    assert (
        f"{webinar.slug}: 40 attended, 5 no-shows, 45 changed, "
        "3 on the platform but not registered here." in first.output
    )
    db.session.expire_all()
    check_recorded(webinar)
    pages = len(server.received)
    # Zoom: registrants (46 rows) and participants (50 visits) in pages of 15; MTS Link: 48
    # people in pages of 15.
    assert pages == (4 + 4 if platform is WebinarPlatform.ZOOM else 4)
    before = state(webinar)
    synced_at = db.session.get(Webinar, webinar.id).platform_synced_at
    assert synced_at is not None

    again = runner.invoke(args=["webinars", "sync", webinar.slug])
    assert again.exit_code == 0, again.output
    assert "40 attended, 5 no-shows, 0 changed" in again.output
    db.session.expire_all()
    assert state(webinar) == before  # not even attendance_recorded_at moved

    # The webinar report: 45 registrations, 40 attendees (89 %), in the page and the API.
    manager = make.user(Role.MANAGER)
    login(client, manager)
    today = utcnow().date()
    period = f"from={today - timedelta(days=3)}&to={today}"
    rows, totals = table_rows(client.get(f"/reports/webinars?{period}").text, "webinars-report")
    assert [row[0] for row in rows] == ["Звонки в Bitrix24"]
    assert rows[0][2] == "45"
    assert rows[0][3].replace("\xa0", "").replace(" ", "") == "89%"  # 40 of 45
    roi = client.get(
        f"/api/v1/reports/roi?group_by=webinar&{period}", headers=bearer(make.token(manager))
    ).get_json()
    (row,) = [row for row in roi["rows"] if row["key"] == webinar.id]
    assert (row["registrations"], row["attendees"]) == (45, 40)


def test_a_changed_report_changes_only_what_changed(runner, make, zoom):
    webinar = held_webinar(make, WebinarPlatform.ZOOM, zoom.meeting_id)
    assert runner.invoke(args=["webinars", "sync", webinar.slug]).exit_code == 0
    # Zoom's report later shows one more person (a late visit) and a longer stay.
    zoom.visits.append(Visit(REGISTERED[40], REGISTERED[40], 600))
    zoom.visits.append(Visit(CAME[20], CAME[20], 120))
    result = runner.invoke(args=["webinars", "sync", webinar.slug])
    assert "41 attended, 4 no-shows, 2 changed" in result.output
    db.session.expire_all()
    minutes = dict(
        db.session.execute(
            select(Registration.email, Registration.attended_minutes).where(
                Registration.webinar_id == webinar.id
            )
        ).all()
    )
    assert minutes[REGISTERED[40]] == 10
    assert minutes[CAME[20]] == minutes_of(CAME[20]) + 2


def test_failures_write_nothing_and_say_why(runner, make, zoom, app):
    webinar = held_webinar(make, WebinarPlatform.ZOOM, zoom.meeting_id)
    app.config["ZOOM_TOKEN"] = "expired"
    result = runner.invoke(args=["webinars", "sync", webinar.slug])
    assert result.exit_code != 0
    assert "Zoom answered 401" in result.output
    db.session.expire_all()
    assert db.session.get(Webinar, webinar.id).platform_synced_at is None
    assert all(row[1] is None for row in state(webinar)[0])

    soon = make.webinar(starts_at=utcnow() + timedelta(hours=1))
    soon.platform, soon.platform_event_id = WebinarPlatform.ZOOM, "1"
    db.session.commit()
    result = runner.invoke(args=["webinars", "sync", soon.slug])
    assert result.exit_code != 0
    assert "has not ended yet" in result.output
    plain = make.webinar(starts_at=utcnow() - timedelta(days=1))
    result = runner.invoke(args=["webinars", "sync", plain.slug])
    assert result.exit_code != 0
    assert "no platform" in result.output
    result = runner.invoke(args=["webinars", "sync", "no-such-webinar"])
    assert result.exit_code != 0
    assert "No webinar with slug" in result.output


def test_the_worker_pulls_each_ended_webinar_once(app, make, zoom, mts):
    app.config["WEBINAR_SYNC_DELAY_MINUTES"] = 30
    ended = held_webinar(make, WebinarPlatform.ZOOM, zoom.meeting_id, hours_ago=3)
    other = make.webinar(starts_at=utcnow() - timedelta(hours=5))
    other.platform, other.platform_event_id = WebinarPlatform.MTS_LINK, mts.session_id
    just_ended = make.webinar(starts_at=utcnow() - timedelta(minutes=70))  # ended 10 min ago
    just_ended.platform, just_ended.platform_event_id = WebinarPlatform.ZOOM, zoom.meeting_id
    long_ago = make.webinar(starts_at=utcnow() - timedelta(days=2))
    long_ago.platform, long_ago.platform_event_id = WebinarPlatform.ZOOM, zoom.meeting_id
    db.session.commit()

    assert periodic_sync() == "2 webinar(s) pulled"
    db.session.expire_all()
    check_recorded(ended)
    assert db.session.get(Webinar, other.id).platform_synced_at is not None
    assert db.session.get(Webinar, just_ended.id).platform_synced_at is None
    assert db.session.get(Webinar, long_ago.id).platform_synced_at is None
    calls = len(zoom.received) + len(mts.received)
    assert periodic_sync() == "0 webinar(s) pulled"
    assert len(zoom.received) + len(mts.received) == calls

    mts.token = "rotated"  # a failing platform is tried again at the next run
    other_row = db.session.get(Webinar, other.id)
    other_row.platform_synced_at = None
    db.session.commit()
    assert periodic_sync() == "0 webinar(s) pulled, 1 failed"
