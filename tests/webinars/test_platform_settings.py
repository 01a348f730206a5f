"""A webinar's platform and event id, set through the API and the staff form."""

from __future__ import annotations

from datetime import timedelta

from comarketing.core.auth import Role
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.webinars.models import Webinar, WebinarPlatform
from tests.factories import bearer, login


def body(**overrides):
    return {
        "title": "Звонки в Bitrix24",
        "starts_at": "2026-12-15T11:00:00+03:00",
        "duration_minutes": 60,
        "timezone": "Europe/Moscow",
    } | overrides


def test_the_api_sets_and_shows_the_platform(client, make):
    headers = bearer(make.token(make.user(Role.MARKETER)))
    created = client.post(
        "/api/v1/webinars",
        json=body(platform="zoom", platform_event_id=" 857 4635 2910 "),
        headers=headers,
    )
    assert created.status_code == 201, created.get_json()
    answer = created.get_json()
    assert (answer["platform"], answer["platform_event_id"]) == ("zoom", "857 4635 2910")
    shown = client.get(f"/api/v1/webinars/{answer['id']}", headers=headers).get_json()
    assert shown["platform"] == "zoom"

    plain = client.post("/api/v1/webinars", json=body(), headers=headers).get_json()
    assert (plain["platform"], plain["platform_event_id"]) == (None, None)

    unknown = client.post("/api/v1/webinars", json=body(platform="webex"), headers=headers)
    assert unknown.status_code == 422
    assert "platform" in unknown.get_json()["error"]["fields"]
    without_id = client.post("/api/v1/webinars", json=body(platform="mts_link"), headers=headers)
    assert without_id.status_code == 422
    assert "platform_event_id" in without_id.get_json()["error"]["fields"]


def test_the_staff_form_sets_the_platform_and_a_new_event_is_pulled_again(client, make):
    login(client, make.user(Role.MARKETER))
    webinar = make.webinar(starts_at=utcnow() - timedelta(days=3))
    webinar.platform_synced_at = utcnow()
    db.session.commit()
    form = client.get(f"/webinars/{webinar.id}/edit").text
    assert 'name="platform"' in form
    assert 'name="platform_event_id"' in form
    local = webinar.starts_at.astimezone().replace(tzinfo=None)
    response = client.post(
        f"/webinars/{webinar.id}/edit",
        data={
            "title": webinar.title,
            "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
            "timezone": "UTC",
            "duration_minutes": "60",
            "campaign_id": "0",
            "platform": "mts_link",
            "platform_event_id": "2405021",
        },
    )
    assert response.status_code == 302, response.text
    db.session.expire_all()
    saved = db.session.get(Webinar, webinar.id)
    assert (saved.platform, saved.platform_event_id) == (WebinarPlatform.MTS_LINK, "2405021")
    assert saved.platform_synced_at is None
    assert 'id="platform-sync"' in client.get(f"/webinars/{webinar.id}").text
