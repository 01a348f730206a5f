"""The portal's postbacks page (its own endpoints: list, add with the secret shown once,
delete; another partner's endpoint is 404) and the status of each lead in the portal (the
won date of a customer, never the won amount nor a CRM's ids)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from comarketing.core.auth import Role
from comarketing.extensions import db
from comarketing.integrations.postbacks.models import PostbackEndpoint
from comarketing.integrations.postbacks.services import add_endpoint
from comarketing.leads.models import ConversionKind, LeadStatus
from comarketing.leads.services import Submission, record_submission
from comarketing.leads.services.status import apply_crm_state
from tests.factories import login

EN = {"Accept-Language": "en"}
XSS_URL = 'https://hooks.example/p?x=<script>window.__xss=1</script>&y="><img/src=x/onerror=1>'


@pytest.fixture
def two(make):
    a, b = make.partner("Альфа Интеграция"), make.partner("Бета Софт")
    return a, b, make.user(Role.PARTNER, partner=a), make.user(Role.PARTNER, partner=b)


def endpoint_count() -> int:
    return db.session.scalar(select(func.count()).select_from(PostbackEndpoint)) or 0


def test_a_partner_adds_an_endpoint_and_sees_its_secret_once(client, two):
    a, _, user_a, _ = two
    login(client, user_a)
    page = client.get("/portal/postbacks", headers=EN)
    assert page.status_code == 200
    assert 'href="/portal/postbacks"' in page.text  # in the portal's menu
    assert 'href="/portal/postbacks"' in client.get("/portal/leads").text

    added = client.post(
        "/portal/postbacks",
        data={
            "url": "https://hooks.alfa.example/cm",
            "events": ["lead.created", "commission.created"],
        },
        headers=EN,
    )
    assert added.status_code == 201, added.text
    assert added.headers["Cache-Control"] == "no-store"
    (endpoint,) = db.session.scalars(select(PostbackEndpoint)).all()
    assert (endpoint.partner_id, endpoint.url) == (a.id, "https://hooks.alfa.example/cm")
    assert endpoint.events == ["lead.created", "commission.created"]
    assert endpoint.created_by_id == user_a.id
    assert endpoint.secret in added.text
    assert 'data-testid="postback-secret"' in added.text

    again = client.get("/portal/postbacks", headers=EN)
    assert "https://hooks.alfa.example/cm" in again.text
    assert endpoint.secret not in again.text  # shown once


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"url": "ftp://hooks.example/x", "events": ["lead.created"]}, 422),
        ({"url": "https://hooks.example/x"}, 422),  # no event chosen
        ({"url": "https://hooks.example/x", "events": ["lead.deleted"]}, 422),
        ({"url": "", "events": ["lead.created"]}, 422),
    ],
)
def test_a_bad_form_writes_nothing(client, two, data, status):
    _, _, user_a, _ = two
    login(client, user_a)
    response = client.post("/portal/postbacks", data=data, headers=EN)
    assert response.status_code == status
    assert 'data-testid="postback-secret"' not in response.text
    assert endpoint_count() == 0


def test_partner_b_can_neither_see_nor_delete_as_endpoint(client, two):
    a, _, user_a, user_b = two
    endpoint = add_endpoint(a, "https://hooks.alfa-secret.example/cm")
    db.session.commit()
    login(client, user_b)
    page = client.get("/portal/postbacks")
    assert "hooks.alfa-secret.example" not in page.text
    assert endpoint.secret not in page.text
    assert client.post(f"/portal/postbacks/{endpoint.id}/delete").status_code == 404
    assert endpoint_count() == 1

    client.post("/logout", data={})
    login(client, user_a)
    deleted = client.post(f"/portal/postbacks/{endpoint.id}/delete")
    assert deleted.status_code == 302
    assert deleted.headers["Location"].endswith("/portal/postbacks")
    assert endpoint_count() == 0


def test_the_delete_button_needs_the_csrf_token(app, client, two):
    a, _, user_a, _ = two
    endpoint = add_endpoint(a, "https://hooks.alfa.example/csrf")
    db.session.commit()
    login(client, user_a)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post(f"/portal/postbacks/{endpoint.id}/delete").status_code == 400
        response = client.post(
            "/portal/postbacks", data={"url": "https://x.example/", "events": ["lead.created"]}
        )
        assert response.status_code == 400
        assert endpoint_count() == 1
        page = client.get("/portal/postbacks")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text)
        assert token is not None
        deleted = client.post(
            f"/portal/postbacks/{endpoint.id}/delete", data={"csrf_token": token.group(1)}
        )
        assert deleted.status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert endpoint_count() == 0


def test_an_address_carrying_markup_is_shown_as_text(client, two):
    a, _, user_a, _ = two
    login(client, user_a)
    added = client.post("/portal/postbacks", data={"url": XSS_URL, "events": ["lead.created"]})
    assert added.status_code == 201, added.text
    for html in (added.text, client.get("/portal/postbacks").text):
        assert "<script>window.__xss" not in html
        assert "<img/src=x" not in html
        assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html


# --- the status of the partner's leads --------------------------------------------------------


def lead_of(partner, email: str):
    result = record_submission(
        Submission(
            kind=ConversionKind.API,
            email=email,
            company=f"ООО {email}",
            utm={"source": partner.slug},
        )
    )
    db.session.commit()
    return result.lead


def test_the_portal_shows_each_leads_status_and_when_a_customer_was_won(client, two):
    a, _, user_a, _ = two
    working = lead_of(a, "working@client.example")
    won = lead_of(a, "won@client.example")
    lead_of(a, "new@client.example")
    lost = lead_of(a, "lost@client.example")
    apply_crm_state(
        working,
        LeadStatus.WORKING,
        datetime(2026, 11, 20, 9, tzinfo=UTC),
        reference="bitrix24:deal:90817",
    )
    apply_crm_state(
        won,
        LeadStatus.CUSTOMER,
        datetime(2026, 11, 23, 12, tzinfo=UTC),
        reference="bitrix24:deal:90818",
        won_amount=Decimal("987654.32"),
    )
    apply_crm_state(
        lost, LeadStatus.LOST, datetime(2026, 11, 21, 9, tzinfo=UTC), reference="amocrm:lead:55501"
    )
    db.session.commit()
    login(client, user_a)

    listing = client.get("/portal/leads", headers=EN).text
    statuses = re.findall(r'data-testid="lead-status">([^<]+)', listing)
    assert sorted(s.strip() for s in statuses) == ["customer", "lost", "new", "working"]
    assert "won 23 Nov 2026" in listing
    assert listing.count("won ") == 1  # the won date of customers only
    page = client.get(f"/portal/leads/{won.id}", headers=EN).text
    assert "customer, won 23 November 2026" in page
    for html in (listing, page, client.get(f"/portal/leads/{working.id}", headers=EN).text):
        assert "987" not in html  # never the won amount
        assert "90817" not in html
        assert "90818" not in html
        assert "55501" not in html
    customers = client.get("/portal/leads?status=customer", headers=EN).text
    assert "won@client.example" in customers
    assert "working@client.example" not in customers
