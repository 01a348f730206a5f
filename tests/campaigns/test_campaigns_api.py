"""Campaigns through the API: partners, cost shares, links, isolation."""

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from comarketing.campaigns.models import Campaign, CampaignPartner
from comarketing.core.auth import Role
from comarketing.extensions import db
from comarketing.links.models import TrackedLink
from tests.factories import bearer


@pytest.fixture
def marketer(make):
    return bearer(make.token(make.user(Role.MARKETER)))


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def campaign_body(**overrides):
    body = {
        "name": "Яндекс Директ: звонки из amoCRM",
        "channel": "yandex_direct",
        "starts_on": "2026-12-01",
        "ends_on": "2026-12-31",
        "budget": "300000.00",
    }
    return body | overrides


def test_campaign_with_equal_shares_and_links(client, make, marketer):
    partners = [make.partner() for _ in range(3)]
    body = campaign_body(
        partners=[{"partner_id": p.id} for p in partners],
        landing_url="https://vendor.example/amocrm?ref=1#form",
    )
    response = client.post("/api/v1/campaigns", json=body, headers=marketer)
    assert response.status_code == 201, response.json
    data = response.json
    assert data["slug"] == "iandeks-direkt-zvonki-iz-amocrm"
    shares = [Decimal(p["cost_share"]) for p in data["partners"]]
    assert sum(shares) == 1
    assert max(shares) - min(shares) <= Decimal("0.000001")
    links = db.session.scalars(
        select(TrackedLink).where(TrackedLink.campaign_id == data["id"])
    ).all()
    assert {link.partner_id for link in links} == {p.id for p in partners}
    assert all("ref=1" in link.tagged_url and link.tagged_url.endswith("#form") for link in links)


def test_explicit_shares(client, make, marketer):
    first, second = make.partner(), make.partner()
    body = campaign_body(
        partners=[
            {"partner_id": first.id, "cost_share": "0.7"},
            {"partner_id": second.id, "cost_share": "0.3"},
        ]
    )
    response = client.post("/api/v1/campaigns", json=body, headers=marketer)
    assert response.status_code == 201
    assert {p["partner_id"]: p["cost_share"] for p in response.json["partners"]} == {
        first.id: "0.70",
        second.id: "0.30",
    }


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_on": "2026-11-30"}, "ends_on"),
        ({"channel": "Яндекс"}, "channel"),
        ({"budget": "-1"}, "budget"),
        ({"starts_on": "2026-13-01"}, "starts_on"),
        ({"landing_url": "ftp://vendor.example/"}, "landing_url"),
    ],
)
def test_invalid_campaigns_are_422_and_write_nothing(client, marketer, overrides, field):
    before = count(Campaign)
    response = client.post("/api/v1/campaigns", json=campaign_body(**overrides), headers=marketer)
    assert response.status_code == 422
    assert field in response.json["error"]["fields"]
    assert count(Campaign) == before


@pytest.mark.parametrize(
    "shares", [("0.5", "0.4"), ("0.7", None), ("1.2", "-0.2")], ids=["sum", "partial", "range"]
)
def test_cost_shares_must_sum_to_one(client, make, marketer, shares):
    first, second = make.partner(), make.partner()
    parts = [
        {"partner_id": p.id} | ({"cost_share": s} if s is not None else {})
        for p, s in zip((first, second), shares, strict=True)
    ]
    before = (count(Campaign), count(CampaignPartner), count(TrackedLink))
    response = client.post(
        "/api/v1/campaigns",
        json=campaign_body(partners=parts, landing_url="https://vendor.example/"),
        headers=marketer,
    )
    assert response.status_code == 422
    assert all(key.startswith("partners") for key in response.json["error"]["fields"])
    assert (count(Campaign), count(CampaignPartner), count(TrackedLink)) == before


def test_partner_sees_only_its_campaigns(client, make):
    partner, other = make.partner(), make.partner()
    mine, theirs = make.campaign([partner]), make.campaign([other])
    token = bearer(make.token(make.user(Role.PARTNER, partner)))
    assert [c["id"] for c in client.get("/api/v1/campaigns", headers=token).json["items"]] == [
        mine.id
    ]
    assert client.get(f"/api/v1/campaigns/{theirs.id}", headers=token).status_code == 404


def test_a_partner_token_sees_its_own_cost_share_only(client, make, marketer):
    """Issue 17: who else co-funds a campaign is not a partner's business."""
    mine, other = make.partner(), make.partner()
    campaign = make.campaign([mine, other])
    token = bearer(make.token(make.user(Role.PARTNER, partner=mine)))
    seen = client.get(f"/api/v1/campaigns/{campaign.id}", headers=token).json
    assert [share["partner_id"] for share in seen["partners"]] == [mine.id]
    listed = client.get("/api/v1/campaigns", headers=token).json["items"]
    assert {share["partner_id"] for c in listed for share in c["partners"]} == {mine.id}
    staff = client.get(f"/api/v1/campaigns/{campaign.id}", headers=marketer).json
    assert {share["partner_id"] for share in staff["partners"]} == {mine.id, other.id}
