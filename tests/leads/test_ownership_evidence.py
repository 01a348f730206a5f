"""Ownership needs evidence (contract §7, issue 17): what a stranger can type — a partner's
slug in ``utm_source`` — may make the first owner of a new person, but never moves a known
one, and a public submission never rewrites a known person's name or company. Verified
evidence (a click on the partner's own tracked link that came back as ``cmclid``) does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from comarketing.core.auth import Role
from comarketing.extensions import db
from comarketing.leads.models import Conversion, Lead, OwnershipConflict
from comarketing.links.services import issue_link
from comarketing.partners.services import update_partner
from tests.factories import bearer

BROWSER = {
    "User-Agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
}
LONG_AGO = datetime.now(UTC) - timedelta(days=120)  # past the 90 days of protection


@pytest.fixture
def marketer(make):
    return bearer(make.token(make.user(Role.MARKETER)))


@pytest.fixture
def expired_lead_of_p1(client, make, marketer):
    """P1 brought Анна 120 days ago: its protection has run out."""
    p1, p2 = make.partner("Первый партнёр"), make.partner("Второй партнёр")
    answer = client.post(
        "/api/v1/leads",
        json={"email": "anna@client.example", "name": "Анна Верная", "company": "ООО Верное",
              "utm_source": p1.slug, "occurred_at": LONG_AGO.isoformat()},
        headers=marketer,
    )  # fmt: skip
    assert answer.json["owner_partner_id"] == p1.id
    lead = db.session.get(Lead, answer.json["id"])
    assert lead.protected_until < datetime.now(UTC)
    return p1, p2, lead


def register_on_the_page(client, make, p2, **form):
    webinar = make.webinar([p2])
    page = client.get(f"/w/{webinar.slug}?utm_source={p2.slug}")
    assert page.status_code == 200
    return client.post(
        f"/w/{webinar.slug}",
        data={"email": "anna@client.example", "name": "Самозванец", "company": "ООО Чужое",
              "utm_source": p2.slug, "consent": "y", **form},
    )  # fmt: skip


def test_a_public_registration_with_another_slug_moves_nobody(client, make, expired_lead_of_p1):
    p1, p2, lead = expired_lead_of_p1
    answer = register_on_the_page(client, make, p2)
    assert answer.status_code == 302, answer.text
    db.session.expire_all()
    assert lead.owner_partner_id == p1.id
    assert (lead.name, lead.company) == ("Анна Верная", "ООО Верное")
    last = db.session.scalar(
        select(Conversion).where(Conversion.lead_id == lead.id).order_by(Conversion.id.desc())
    )
    assert (last.name, last.company, last.utm_source) == ("Самозванец", "ООО Чужое", p2.slug)


def test_an_intake_token_cannot_rebind_or_rename_a_known_person(client, make, expired_lead_of_p1):
    p1, p2, lead = expired_lead_of_p1
    intake = bearer(make.token(make.user(Role.MARKETER), scope="intake"))
    client.post(
        "/api/v1/leads",
        json={"email": "anna@client.example", "name": "Самозванец", "utm_source": p2.slug},
        headers=intake,
    )
    db.session.expire_all()
    assert (lead.owner_partner_id, lead.name) == (p1.id, "Анна Верная")


def test_an_unowned_known_person_stays_unowned_on_a_bare_slug(client, make, marketer):
    p2 = make.partner()
    client.post("/api/v1/leads", json={"email": "free@client.example"}, headers=marketer)
    again = client.post(
        "/api/v1/leads",
        json={"email": "free@client.example", "utm_source": p2.slug},
        headers=marketer,
    )
    assert again.json["owner_partner_id"] is None


def test_a_bare_slug_still_makes_the_first_owner_of_a_new_person(client, make, marketer):
    p2 = make.partner()
    new = client.post(
        "/api/v1/leads", json={"email": "new@client.example", "utm_source": p2.slug},
        headers=marketer,
    )  # fmt: skip
    assert new.status_code == 201
    assert new.json["owner_partner_id"] == p2.id


def test_a_click_on_the_partners_own_link_rebinds_after_protection(
    client, make, marketer, expired_lead_of_p1
):
    p1, p2, lead = expired_lead_of_p1
    campaign = make.campaign([p2])
    link = issue_link(partner=p2, campaign=campaign, destination_url="https://lp.example/")
    db.session.commit()
    redirect = client.get(f"/r/{link.code}", headers=BROWSER)
    cmclid = parse_qs(urlsplit(redirect.location).query)["cmclid"][0]
    answer = client.post(
        "/api/v1/leads",
        json={"email": "anna@client.example", "cmclid": cmclid},
        headers=marketer,
    )
    assert answer.json["owner_partner_id"] == p2.id
    assert db.session.scalar(select(func.count(OwnershipConflict.id))) == 0


def test_an_inactive_partner_becomes_the_owner_of_nobody(client, make, marketer):
    gone = make.partner()
    update_partner(gone, {"active": False})
    db.session.commit()
    answer = client.post(
        "/api/v1/leads", json={"email": "late@client.example", "utm_source": gone.slug},
        headers=marketer,
    )  # fmt: skip
    assert answer.status_code == 201
    assert answer.json["owner_partner_id"] is None
