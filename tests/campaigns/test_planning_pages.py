"""The planning pages: partners, campaigns, webinars, calendar, public registration."""

from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest
from sqlalchemy import func, select

from comarketing.campaigns.models import Campaign
from comarketing.core.auth import Role
from comarketing.extensions import db
from comarketing.partners.models import Partner
from comarketing.spend.models import Spend
from comarketing.webinars.models import Registration, Webinar
from tests.factories import login


@pytest.fixture
def marketer(client, make):
    user = make.user(Role.MARKETER)
    login(client, user)
    return user


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_staff_pages_render(client, make, marketer):
    partner = make.partner("Интегратор Плюс")
    campaign = make.campaign([partner], landing_url="https://vendor.example/")
    webinar = make.webinar([partner])
    for page in (
        "/partners",
        "/partners/new",
        f"/partners/{partner.id}",
        f"/partners/{partner.id}/edit",
        "/campaigns",
        "/campaigns/new",
        f"/campaigns/{campaign.id}",
        f"/campaigns/{campaign.id}/edit",
        "/campaigns/spend/import",
        "/webinars",
        "/webinars?when=past",
        "/webinars/new",
        f"/webinars/{webinar.id}",
        f"/webinars/{webinar.id}/edit",
        "/calendar",
        "/calendar?month=2026-13",
    ):
        response = client.get(page)
        assert response.status_code == 200, page


def test_manager_reads_but_cannot_plan(client, make):
    login(client, make.user(Role.MANAGER))
    assert client.get("/campaigns").status_code == 200
    assert client.get("/campaigns/new").status_code == 403
    assert client.post("/partners/new", data={"name": "X", "segment": "amocrm"}).status_code == 403


def test_create_partner_with_cyrillic_name(client, marketer):
    response = client.post(
        "/partners/new", data={"name": "ООО «Рога и Копыта»", "segment": "amocrm"}
    )
    assert response.status_code == 302
    partner = db.session.scalar(select(Partner).where(Partner.name == "ООО «Рога и Копыта»"))
    assert partner.slug == "ooo-roga-i-kopyta"


def test_create_campaign_through_the_form(client, make, marketer):
    first, second = make.partner(), make.partner()
    form = {
        "name": "VK Реклама: сквозная аналитика",
        "channel": "vk_ads",
        "starts_on": "2026-12-01",
        "ends_on": "2026-12-31",
        "budget": "250000",
        "landing_url": "https://vendor.example/analytics",
        "partners-0-partner_id": first.id,
        "partners-0-cost_share": "0.6",
        "partners-1-partner_id": second.id,
        "partners-1-cost_share": "0.4",
        "partners-2-partner_id": "0",
        "partners-3-partner_id": "0",
    }
    response = client.post("/campaigns/new", data=form)
    assert response.status_code == 302, response.text
    campaign = db.session.scalar(select(Campaign).where(Campaign.channel == "vk_ads"))
    assert sorted(float(p.cost_share) for p in campaign.partners) == [0.4, 0.6]


def test_campaign_form_shows_share_errors_and_writes_nothing(client, make, marketer):
    first, second = make.partner(), make.partner()
    form = {
        "name": "Плохие доли",
        "channel": "email",
        "starts_on": "2026-12-01",
        "ends_on": "2026-12-31",
        "partners-0-partner_id": first.id,
        "partners-0-cost_share": "0.6",
        "partners-1-partner_id": second.id,
        "partners-1-cost_share": "0.6",
        "partners-2-partner_id": "0",
        "partners-3-partner_id": "0",
    }
    response = client.post("/campaigns/new", data=form, headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert "Cost shares must sum to 1" in response.text
    assert count(Campaign) == 0


def test_spend_form_and_upload(client, make, marketer):
    partner = make.partner()
    campaign = make.campaign([partner])
    response = client.post(
        f"/campaigns/{campaign.id}/spend",
        data={"amount": "1000", "spent_on": "2026-12-01", "paid_by": "vendor", "partner_id": "0"},
    )
    assert response.status_code == 302
    bad = "spent_on,amount,paid_by,campaign\n2026-12-01,10,vendor,{s}\n2026-12-02,x,vendor,{s}\n"
    upload = client.post(
        "/campaigns/spend/import",
        data={"file": (BytesIO(bad.format(s=campaign.slug).encode()), "spend.csv")},
        headers={"Accept-Language": "en"},
    )
    assert upload.status_code == 200
    assert "Nothing was imported" in upload.text
    assert count(Spend) == 1


def test_create_webinar_in_its_zone(client, make, marketer):
    partner = make.partner()
    form = {
        "title": "Сквозная аналитика",
        "starts_at": "2026-12-15T11:00",
        "timezone": "Europe/Moscow",
        "duration_minutes": "60",
        "partner_ids": [partner.id],
        "campaign_id": "0",
    }
    assert client.post("/webinars/new", data=form).status_code == 302
    webinar = db.session.scalar(select(Webinar))
    assert webinar.starts_at == datetime(2026, 12, 15, 8, 0, tzinfo=UTC)
    bad = client.post("/webinars/new", data=form | {"timezone": "Moon/Base"})
    assert bad.status_code == 200
    assert count(Webinar) == 1


def test_public_registration_keeps_utm_and_enforces_capacity(client, make):
    partner = make.partner()
    webinar = make.webinar([partner], capacity=1)
    page = client.get(f"/w/{webinar.slug}?utm_source={partner.slug}&utm_medium=webinar&cmclid=abc")
    assert page.status_code == 200
    assert f'value="{partner.slug}"' in page.text
    form = {"name": "Анна", "email": "anna@example.com", "consent": "y", "utm_source": partner.slug}
    response = client.post(f"/w/{webinar.slug}", data=form)
    assert response.status_code == 302
    assert client.get(response.headers["Location"]).status_code == 200
    registration = db.session.scalar(select(Registration))
    assert registration.partner_id == partner.id
    full = client.post(
        f"/w/{webinar.slug}",
        data=form | {"email": "boris@example.com"},
        headers={"Accept-Language": "en"},
    )
    assert full.status_code == 409
    assert "the webinar is full" in full.text
    assert count(Registration) == 1


def test_public_registration_needs_consent(client, make):
    webinar = make.webinar()
    response = client.post(f"/w/{webinar.slug}", data={"name": "Анна", "email": "a@example.com"})
    assert response.status_code == 200
    assert count(Registration) == 0


def test_registration_closes_after_the_webinar(client, make):
    webinar = make.webinar(starts_at=datetime.now(UTC) - timedelta(days=1))
    response = client.post(
        f"/w/{webinar.slug}", data={"name": "Анна", "email": "a@example.com", "consent": "y"}
    )
    assert response.status_code == 410
    assert count(Registration) == 0


def test_attendance_upload(client, make, marketer):
    from comarketing.leads.services.registrations import register

    webinar = make.webinar()
    register(webinar, email="came@example.com", name="Анна")
    db.session.commit()
    csv = "email;attended;minutes\ncame@example.com;да;45\n"
    response = client.post(
        f"/webinars/{webinar.id}/attendance",
        data={"file": (BytesIO(csv.encode()), "attendance.csv")},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(Registration.attended_minutes)) == 45


def test_webinar_spend_form(client, make, marketer):
    partner = make.partner()
    webinar = make.webinar([partner])
    ok = client.post(
        f"/webinars/{webinar.id}/spend",
        data={
            "amount": "20000",
            "spent_on": "2026-12-01",
            "paid_by": "partner",
            "partner_id": partner.id,
        },
    )
    assert ok.status_code == 302
    refused = client.post(
        f"/webinars/{webinar.id}/spend",
        data={"amount": "-5", "spent_on": "2026-12-01", "paid_by": "vendor", "partner_id": "0"},
    )
    assert refused.status_code == 200
    assert db.session.scalar(select(func.sum(Spend.amount))) == 20000


def test_partner_list_filters(client, make, marketer):
    make.partner("Интегратор Плюс", segment="amocrm", tier="gold")
    make.partner("Битрикс Профи", segment="bitrix24", tier="silver")
    assert "Битрикс Профи" not in client.get("/partners?segment=amocrm").text
    page = client.get("/partners?tier=silver").text
    assert "Битрикс Профи" in page
    assert "Интегратор Плюс" not in page
    assert "Интегратор Плюс" in client.get("/partners?q=интегратор").text
