"""Webinars through the API: creation, validation, registrations with capacity, attendance."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from comarketing.core.auth import Role
from comarketing.core.outbox import OutboxMessage
from comarketing.extensions import db
from comarketing.leads.models import Conversion, Lead, Touchpoint
from comarketing.links.models import TrackedLink
from comarketing.webinars.models import Registration, Webinar
from tests.factories import bearer

FUTURE = (datetime.now(UTC) + timedelta(days=20)).replace(microsecond=0)


@pytest.fixture
def marketer(make):
    return bearer(make.token(make.user(Role.MARKETER)))


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def webinar_body(**overrides):
    body = {
        "title": "Речевая аналитика для Bitrix24",
        "starts_at": "2026-12-15T11:00:00+03:00",
        "duration_minutes": 60,
        "timezone": "Europe/Moscow",
        "partner_ids": [],
    }
    return body | overrides


def test_create_webinar_issues_links_to_cohosts(client, make, marketer):
    first, second = make.partner(), make.partner()
    response = client.post(
        "/api/v1/webinars", json=webinar_body(partner_ids=[first.id, second.id]), headers=marketer
    )
    assert response.status_code == 201, response.json
    data = response.json
    assert data["starts_at"] == "2026-12-15T08:00:00Z"
    assert data["ends_at"] == "2026-12-15T09:00:00Z"
    assert data["registration_url"] == f"http://go.test/w/{data['slug']}"
    assert data["ics_url"] == f"http://go.test/w/{data['slug']}.ics"
    assert sorted(data["partner_ids"]) == sorted([first.id, second.id])
    links = db.session.scalars(
        select(TrackedLink).where(TrackedLink.webinar_id == data["id"])
    ).all()
    assert {link.partner_id for link in links} == {first.id, second.id}
    assert all(link.utm_medium == "webinar" for link in links)
    assert all(link.destination_url == data["registration_url"] for link in links)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"timezone": "Moscow"}, "timezone"),
        ({"duration_minutes": -30}, "duration_minutes"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"starts_at": "2026-12-15T11:00:00"}, "starts_at"),
        ({"starts_at": "not a time"}, "starts_at"),
        ({"capacity": 0}, "capacity"),
        ({"partner_ids": [999_999]}, "partner_ids"),
        ({"join_url": "javascript:alert(1)"}, "join_url"),
        ({"title": "   "}, "title"),
    ],
)
def test_invalid_webinars_are_422_and_write_nothing(client, marketer, overrides, field):
    before = count(Webinar)
    response = client.post("/api/v1/webinars", json=webinar_body(**overrides), headers=marketer)
    assert response.status_code == 422, response.json
    assert field in response.json["error"]["fields"]
    assert count(Webinar) == before


def register(client, webinar, headers, email, **extra):
    body = {"email": email, "name": "Анна Иванова"} | extra
    return client.post(f"/api/v1/webinars/{webinar.id}/registrations", json=body, headers=headers)


def test_capacity_two_takes_two_and_refuses_the_third(client, make, marketer):
    webinar = make.webinar(capacity=2)
    assert register(client, webinar, marketer, "one@example.com").status_code == 201
    assert register(client, webinar, marketer, "two@example.com").status_code == 201
    registrations, leads, messages = count(Registration), count(Lead), count(OutboxMessage)
    conversions = count(Conversion)
    third = register(client, webinar, marketer, "three@example.com")
    assert third.status_code == 409
    assert third.json["error"]["code"] == "webinar_full"
    assert (count(Registration), count(Lead), count(OutboxMessage), count(Conversion)) == (
        registrations,
        leads,
        messages,
        conversions,
    )
    assert count(Lead, Lead.email == "three@example.com") == 0


def test_the_same_person_registers_once(client, make, marketer):
    webinar = make.webinar(capacity=1)
    first = register(client, webinar, marketer, "Anna@Example.com ")
    again = register(client, webinar, marketer, "anna@example.com")
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json["id"] == first.json["id"]
    assert count(Registration, Registration.webinar_id == webinar.id) == 1


def test_registration_is_a_lead_conversion_with_the_partner_of_its_utm(client, make, marketer):
    partner = make.partner("Битрикс Профи")
    webinar = make.webinar([partner])
    response = register(
        client,
        webinar,
        marketer,
        "ivan@example.com",
        utm_source=partner.slug,
        utm_medium="webinar",
        utm_campaign=webinar.slug,
    )
    assert response.status_code == 201
    assert response.json["partner_id"] == partner.id
    lead = db.session.get(Lead, response.json["lead_id"])
    assert lead.email == "ivan@example.com"
    assert lead.owner_partner_id == partner.id
    touch = db.session.scalars(select(Touchpoint).where(Touchpoint.lead_id == lead.id)).one()
    assert (touch.kind, touch.partner_id, touch.webinar_id) == (
        "registration",
        partner.id,
        webinar.id,
    )
    topics = db.session.scalars(
        select(OutboxMessage.topic).where(OutboxMessage.lead_id == lead.id)
    ).all()
    assert sorted(topics) == [
        "webinar.confirmation",
        "webinar.follow_up",
        "webinar.reminder_1h",
        "webinar.reminder_24h",
    ]


def test_intake_token_may_register_but_not_list(client, make):
    webinar = make.webinar()
    intake = bearer(make.token(make.user(Role.MARKETER), scope="intake"))
    assert register(client, webinar, intake, "lp@example.com").status_code == 202
    assert client.get("/api/v1/webinars", headers=intake).status_code == 403


def test_intake_and_cohost_tokens_learn_nothing_about_registrants(client, make, marketer):
    """Contract §7: 202 and the same bytes, whether the person was known or registered."""
    host = make.partner()
    webinar = make.webinar([host])
    assert register(client, webinar, marketer, "known@example.com").status_code == 201
    for token in (
        bearer(make.token(make.user(Role.MARKETER), scope="intake")),
        bearer(make.token(make.user(Role.PARTNER, host))),
    ):
        again = register(client, webinar, token, "known@example.com")
        new = register(client, webinar, token, f"new{len(token)}@example.com")
        assert (again.status_code, new.status_code) == (202, 202)
        assert again.data == new.data == b'{"status":"accepted"}\n'


def test_partner_sees_only_cohosted_webinars(client, make):
    partner, other = make.partner(), make.partner()
    mine, theirs = make.webinar([partner]), make.webinar([other])
    token = bearer(make.token(make.user(Role.PARTNER, partner)))
    listed = client.get("/api/v1/webinars", headers=token).json["items"]
    assert [w["id"] for w in listed] == [mine.id]
    assert client.get(f"/api/v1/webinars/{theirs.id}", headers=token).status_code == 404
    assert register(client, theirs, token, "x@example.com").status_code == 404
    assert client.post("/api/v1/webinars", json=webinar_body(), headers=token).status_code == 403


def test_attendance_marks_registrants_and_adds_touches(client, make, marketer):
    partner = make.partner()
    webinar = make.webinar([partner], starts_at=datetime.now(UTC) + timedelta(hours=2))
    register(client, webinar, marketer, "came@example.com", utm_source=partner.slug)
    register(client, webinar, marketer, "skipped@example.com")
    body = [
        {"email": "Came@Example.com", "attended": True, "minutes": 55},
        {"email": "skipped@example.com", "attended": False},
        {"email": "stranger@example.com", "attended": True},
    ]
    response = client.post(f"/api/v1/webinars/{webinar.id}/attendance", json=body, headers=marketer)
    assert response.status_code == 200
    assert response.json == {
        "updated": 2,
        "attended": 1,
        "no_show": 1,
        "unknown": ["stranger@example.com"],
    }
    came = db.session.scalar(select(Registration).where(Registration.email == "came@example.com"))
    assert (came.attended, came.attended_minutes) == (True, 55)
    touches = db.session.scalars(
        select(Touchpoint).where(
            Touchpoint.lead_id == came.lead_id, Touchpoint.kind == "attendance"
        )
    ).all()
    assert len(touches) == 1
    assert touches[0].occurred_at == webinar.starts_at
    again = client.post(f"/api/v1/webinars/{webinar.id}/attendance", json=body, headers=marketer)
    assert again.status_code == 200
    assert count(Touchpoint, Touchpoint.kind == "attendance") == 1
