"""``/api/v1/links`` (contract §3): issue, list and read links, refused destinations, partner
isolation."""

from __future__ import annotations

import pytest

from comarketing.core.auth import Role
from comarketing.partners.services import create_partner
from tests.factories import bearer
from tests.links.conftest import new_campaign, new_webinar

URL = "/api/v1/links"


@pytest.fixture
def marketer(make) -> dict[str, str]:
    return bearer(make.token(make.user(Role.MARKETER)))


def error_fields(response, status: int = 422) -> dict:
    assert response.status_code == status, response.text
    assert response.mimetype == "application/json"
    error = response.json["error"]
    assert error["message"]
    return error.get("fields") or {}


def test_issue_a_campaign_link(client, make, marketer):
    partner = make.partner()
    campaign = new_campaign(partner)
    response = client.post(URL, headers=marketer, json={
        "partner_id": partner.id, "campaign_id": campaign.id,
        "destination_url": "https://vendor.example/land?ref=1#form",
        "utm_content": "Баннер Верх", "utm_term": "АТС для amoCRM", "label": "Весна",
    })  # fmt: skip
    assert response.status_code == 201, response.text
    body = response.json
    assert set(body) >= {"id", "code", "short_url", "tagged_url", "utm", "partner_id"}
    assert body["short_url"] == f"http://go.test/r/{body['code']}"
    assert body["qr_url"] == body["short_url"] + "?qr=1"
    assert body["utm"] == {
        "source": partner.slug, "medium": "partner", "campaign": campaign.slug,
        "content": "banner-verkh", "term": "ats-dlia-amocrm", "id": str(campaign.id),
    }  # fmt: skip
    assert body["tagged_url"].startswith("https://vendor.example/land?ref=1&utm_source=")
    assert body["tagged_url"].endswith("#form")
    assert body["created_at"].endswith("Z")
    assert client.get(f"{URL}/{body['id']}", headers=marketer).json == body


def test_issue_a_webinar_link_defaults_to_the_webinar_medium(client, make, marketer):
    partner = make.partner()
    webinar = new_webinar(partner)
    response = client.post(URL, headers=marketer, json={
        "partner_id": partner.id, "webinar_id": webinar.id,
        "destination_url": "https://vendor.example/webinars/x",
    })  # fmt: skip
    assert response.status_code == 201, response.text
    assert response.json["utm"]["medium"] == "webinar"
    assert response.json["utm"]["id"] == str(webinar.id)
    assert response.json["campaign_id"] is None


@pytest.mark.parametrize(
    "destination",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "//evil.example/path",
        "https://user@vendor.example/",
        "https://user:secret@vendor.example/",
        "https://vendor.example/a\r\nSet-Cookie: x=1",
        "https://vendor.example/" + "a" * 2100,
        "/landing",
        "landing.html",
        "ftp://vendor.example/",
        "",
    ],
)
def test_refused_destinations_are_422_on_the_field(client, make, marketer, destination):
    partner = make.partner()
    campaign = new_campaign(partner)
    response = client.post(URL, headers=marketer, json={
        "partner_id": partner.id, "campaign_id": campaign.id, "destination_url": destination,
    })  # fmt: skip
    assert "destination_url" in error_fields(response)
    assert client.get(URL, headers=marketer).json["items"] == []


def test_a_landing_host_outside_the_campaign_allow_list_is_refused(client, make, marketer):
    partner = make.partner()
    campaign = new_campaign(partner, landing_hosts="vendor.example")
    body = {"partner_id": partner.id, "campaign_id": campaign.id}
    refused = client.post(
        URL, headers=marketer, json=body | {"destination_url": "https://x.example"}
    )
    assert "destination_url" in error_fields(refused)
    allowed = client.post(
        URL, headers=marketer, json=body | {"destination_url": "https://vendor.example"}
    )
    assert allowed.status_code == 201


def test_the_partner_must_take_part_in_the_campaign_or_co_host_the_webinar(client, make, marketer):
    insider, outsider = make.partner(), make.partner()
    campaign, webinar = new_campaign(insider), new_webinar(insider)
    for target in ({"campaign_id": campaign.id}, {"webinar_id": webinar.id}):
        response = client.post(URL, headers=marketer, json={
            "partner_id": outsider.id, "destination_url": "https://vendor.example/", **target,
        })  # fmt: skip
        assert "partner_id" in error_fields(response)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"campaign_id": None, "webinar_id": None}, "campaign_id"),
        ({"campaign_id": "both", "webinar_id": "both"}, "campaign_id"),
        ({"campaign_id": 2_000_000}, "campaign_id"),
        ({"partner_id": 2_000_000}, "partner_id"),
        ({"partner_id": 99_999_999_999}, "partner_id"),
        ({"partner_id": "1"}, "partner_id"),
        ({"utm_medium": "tv"}, "utm_medium"),
        ({"utm_content": "x" * 101}, "utm_content"),
    ],
)
def test_invalid_bodies_are_422(client, make, marketer, body, field):
    partner = make.partner()
    campaign, webinar = new_campaign(partner), new_webinar(partner)
    payload = {"partner_id": partner.id, "campaign_id": campaign.id,
               "destination_url": "https://vendor.example/"}  # fmt: skip
    if body.get("campaign_id") == "both":
        body = {"campaign_id": campaign.id, "webinar_id": webinar.id}
    response = client.post(URL, headers=marketer, json=payload | body)
    assert field in error_fields(response)


def test_partners_and_managers_cannot_issue_links(client, make):
    partner = make.partner()
    campaign = new_campaign(partner)
    body = {"partner_id": partner.id, "campaign_id": campaign.id,
            "destination_url": "https://vendor.example/"}  # fmt: skip
    for user in (make.user(Role.PARTNER, partner=partner), make.user(Role.MANAGER)):
        response = client.post(URL, headers=bearer(make.token(user)), json=body)
        assert response.status_code == 403


def test_partner_tokens_see_only_their_own_links(client, make, new_link):
    first, second = make.partner(), make.partner()
    own, other = new_link(first), new_link(second)
    token = bearer(make.token(make.user(Role.PARTNER, partner=first)))
    listed = client.get(URL, headers=token)
    assert [item["id"] for item in listed.json["items"]] == [own.id]
    assert client.get(f"{URL}?partner_id={second.id}", headers=token).json["items"] == []
    assert client.get(f"{URL}/{own.id}", headers=token).status_code == 200
    for path in (f"{URL}/{other.id}", f"{URL}/{other.id}/stats"):
        response = client.get(path, headers=token)
        assert response.status_code == 404
        assert response.json["error"]["code"] == "not_found"
    manager = bearer(make.token(make.user(Role.MANAGER)))
    assert {i["id"] for i in client.get(URL, headers=manager).json["items"]} == {own.id, other.id}


def test_list_filters_and_paging(client, make, marketer, new_link):
    partner = make.partner()
    links = [new_link(partner, label=f"Осень {n}") for n in range(3)]  # codes have no spaces
    new_link()
    page = client.get(f"{URL}?partner_id={partner.id}&limit=2", headers=marketer).json
    assert [item["id"] for item in page["items"]] == [links[0].id, links[1].id]
    next_page = f"{URL}?partner_id={partner.id}&limit=2&cursor={page['next']}"
    rest = client.get(next_page, headers=marketer).json
    assert [item["id"] for item in rest["items"]] == [links[2].id]
    assert rest["next"] is None
    found = client.get(f"{URL}?q=осень 1", headers=marketer).json["items"]
    assert [item["id"] for item in found] == [links[1].id]


@pytest.mark.parametrize("path", ["/99999999999", "/0", "/-1", "/abc", "/2147483647/stats"])
def test_unknown_or_absurd_ids_are_404(client, marketer, path):
    assert client.get(URL + path, headers=marketer).status_code == 404


def test_the_api_needs_a_token(client):
    assert client.get(URL).status_code == 401
    assert client.post(URL, json={}).status_code == 401


def test_a_cyrillic_partner_gets_an_ascii_utm_source(client, make, marketer):
    partner = create_partner(name="ООО «Рога и Копыта»", segment="bitrix24")
    campaign = new_campaign(partner)
    response = client.post(URL, headers=marketer, json={
        "partner_id": partner.id, "campaign_id": campaign.id,
        "destination_url": "https://vendor.example/land?ref=1#form",
    })  # fmt: skip
    assert response.status_code == 201
    assert response.json["utm"]["source"] == "ooo-roga-i-kopyta"
    assert response.json["tagged_url"].isascii()


def test_a_retried_post_with_the_same_idempotency_key_issues_one_link(client, make, marketer):
    partner = make.partner()
    campaign = new_campaign(partner)
    body = {"partner_id": partner.id, "campaign_id": campaign.id,
            "destination_url": "https://vendor.example/"}  # fmt: skip
    headers = marketer | {"Idempotency-Key": "link-1"}
    first = client.post(URL, headers=headers, json=body)
    again = client.post(URL, headers=headers, json=body)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json["id"] == first.json["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(client.get(URL, headers=marketer).json["items"]) == 1
