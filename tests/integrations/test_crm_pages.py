"""``/settings/integrations``: managers and admins see destinations, outbox counts and dead
messages with their last error, and retry them with a CSRF-protected POST."""

import pytest
from sqlalchemy import select

from comarketing.core.auth import Role
from comarketing.core.outbox import OutboxMessage, OutboxStatus, retry_dead
from comarketing.extensions import db
from comarketing.integrations.models import CrmDestination
from comarketing.integrations.services import add_destination
from comarketing.leads.models import ConversionKind
from comarketing.leads.services import Submission, record_submission
from tests.factories import login

URL = "/settings/integrations"
B24 = "https://b24-x1y2.bitrix24.ru/rest/1/q1w2e3r4t5/"


@pytest.fixture
def dead_message():
    add_destination("bitrix24", B24, name="Битрикс вендора")
    record_submission(Submission(kind=ConversionKind.API, email="dead@example.com"))
    message = db.session.scalar(select(OutboxMessage))
    message.status, message.attempts = OutboxStatus.DEAD, 8
    message.last_error = "HTTP 401 NO_AUTH_FOUND: Wrong webhook"
    db.session.commit()
    return message


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ADMIN])
def test_staff_who_decide_see_destinations_counts_and_dead_messages(
    client, make, dead_message, role
):
    login(client, make.user(role))
    response = client.get(URL, headers={"Accept-Language": "en"})
    assert response.status_code == 200
    page = response.text
    assert "Битрикс вендора" in page
    assert "https://b24-x1y2.bitrix24.ru/rest/1/…/" in page
    assert "q1w2e3r4t5" not in page  # the webhook's secret never reaches a page
    assert "HTTP 401 NO_AUTH_FOUND: Wrong webhook" in page
    assert f"/settings/integrations/outbox/{dead_message.id}/retry" in page


def test_others_cannot_open_it(client, make):
    assert client.get(URL).status_code == 302  # to the login page
    login(client, make.user(Role.MARKETER))
    assert client.get(URL).status_code == 403
    client.post("/logout")
    partner = make.partner()
    login(client, make.user(Role.PARTNER, partner=partner))
    response = client.get(URL)
    assert (response.status_code, response.location) == (302, "/portal")


def test_retry_makes_a_dead_message_pending_again(client, make, dead_message):
    login(client, make.user(Role.MANAGER))
    response = client.post(f"{URL}/outbox/{dead_message.id}/retry")
    assert response.status_code == 302
    db.session.refresh(dead_message)
    assert (dead_message.status, dead_message.attempts) == (OutboxStatus.PENDING, 0)
    again = client.post(f"{URL}/outbox/{dead_message.id}/retry", follow_redirects=True)
    assert again.status_code == 200  # not dead any more: nothing to do, said so


def test_retry_needs_the_csrf_token(app, client, make, dead_message):
    login(client, make.user(Role.MANAGER))
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        refused = client.post(f"{URL}/outbox/{dead_message.id}/retry")
        page = client.get(URL).text
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        accepted = client.post(f"{URL}/outbox/retry-dead", data={"csrf_token": token})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert refused.status_code == 400
    assert accepted.status_code == 302
    db.session.refresh(dead_message)
    assert dead_message.status == OutboxStatus.PENDING


def test_switching_a_destination_off_and_on(client, make, dead_message):
    login(client, make.user(Role.ADMIN))
    destination_id = dead_message.destination_id
    off = client.post(f"{URL}/destinations/{destination_id}/active", follow_redirects=True)
    assert off.status_code == 200
    assert db.session.get(CrmDestination, destination_id).active is False
    record_submission(Submission(kind=ConversionKind.API, email="new@example.com"))
    db.session.commit()
    assert db.session.scalars(select(OutboxMessage.id)).all() == [dead_message.id]
    client.post(f"{URL}/destinations/{destination_id}/active")
    record_submission(Submission(kind=ConversionKind.API, email="newer@example.com"))
    db.session.commit()
    assert len(db.session.scalars(select(OutboxMessage.id)).all()) == 2
    assert client.post(f"{URL}/destinations/999/active").status_code == 404


def test_the_lead_page_macro_shows_each_destinations_state(app, dead_message):
    from flask import render_template_string

    from comarketing.integrations.queries import delivery_states

    lead_id = dead_message.lead_id
    states = delivery_states([lead_id, 999])
    assert list(states) == [lead_id]
    (state,) = states[lead_id]
    assert (state.destination, state.status, state.attempts) == ("Битрикс вендора", "dead", 8)
    template = (
        "{% from 'integrations/_delivery.html' import crm_delivery %}"
        "{{ crm_delivery(states) }}|{{ crm_delivery([]) }}|{{ crm_delivery(states, compact=True) }}"
    )
    with app.test_request_context(headers={"Accept-Language": "en"}):
        full, empty, compact = render_template_string(template, states=states[lead_id]).split("|")
    assert "Битрикс вендора" in full
    assert "HTTP 401 NO_AUTH_FOUND: Wrong webhook" in full
    assert "text-bg-danger" in full
    assert "not sent to a CRM" in empty
    assert 'title="Битрикс вендора: HTTP 401' in compact
    retry_dead([dead_message.id])
    dead_message.attempts = 2
    db.session.commit()
    with app.test_request_context(headers={"Accept-Language": "en"}):
        pending = render_template_string(template, states=delivery_states([lead_id])[lead_id])
    assert "2 attempts" in pending
    assert "next at" in pending
