"""``/api/v1/partners``: bearer auth, paging, filters, scoping, create and change (§3)."""

from __future__ import annotations

import base64
import re

import pytest
from sqlalchemy import select

from comarketing.core.auth import Role
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.partners.models import Partner
from comarketing.users.models import ApiToken
from comarketing.users.services import hash_secret
from tests.factories import bearer

URL = "/api/v1/partners"


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.mimetype == "application/json"
    error = response.json["error"]
    assert isinstance(error["message"], str)
    assert error["message"]
    if code is not None:
        assert error["code"] == code
    return error


@pytest.fixture
def marketer_token(make) -> str:
    return make.token(make.user(Role.MARKETER))


def token_row(plain: str) -> ApiToken:
    return db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_secret(plain)))


# --- authentication -----------------------------------------------------------------------


def assert_unauthorized(response) -> None:
    assert response.status_code == 401
    assert response.mimetype == "application/json"
    assert set(response.json) == {"error"}
    error = response.json["error"]
    assert set(error) == {"code", "message"}
    assert error["code"] == "unauthorized"
    assert isinstance(error["message"], str)
    assert error["message"]
    assert response.headers["WWW-Authenticate"].lower().startswith("bearer")


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": ""},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer "},
        {"Authorization": "Token cm_whatever"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "cm_no_scheme"},
        {"Authorization": "Bearer cm_" + "x" * 300},
    ],
)
def test_missing_or_malformed_authorization_is_401(client, make, headers):
    make.partner()
    assert_unauthorized(client.get(URL, headers=headers))


def test_wrong_token_is_401(client, make, marketer_token):
    make.partner()
    assert_unauthorized(client.get(URL, headers=bearer(marketer_token + "x")))
    assert_unauthorized(client.get(URL, headers=bearer("cm_" + "a" * 43)))
    assert_unauthorized(client.get(URL, headers=bearer(marketer_token[3:])))


def test_valid_token_works_with_lower_case_scheme(client, make, marketer_token):
    make.partner()
    response = client.get(URL, headers={"Authorization": f"bearer {marketer_token}"})
    assert response.status_code == 200


def test_revoked_token_is_401(client, make, marketer_token):
    make.partner()
    assert client.get(URL, headers=bearer(marketer_token)).status_code == 200
    token_row(marketer_token).revoked_at = utcnow()
    db.session.commit()

    assert_unauthorized(client.get(URL, headers=bearer(marketer_token)))


def test_token_of_inactive_user_is_401(client, make):
    user = make.user(Role.ADMIN)
    token = make.token(user)
    assert client.get(URL, headers=bearer(token)).status_code == 200
    user.active = False
    db.session.commit()

    assert_unauthorized(client.get(URL, headers=bearer(token)))


def test_unauthorized_write_is_401_and_changes_nothing(client, make):
    partner = make.partner("Старое имя")
    response = client.patch(f"{URL}/{partner.id}", json={"name": "Новое"})
    assert_unauthorized(response)
    assert_unauthorized(client.post(URL, json={"name": "X", "segment": "bitrix24"}))
    db.session.expire_all()
    assert db.session.get(Partner, partner.id).name == "Старое имя"
    assert db.session.scalar(select(Partner).where(Partner.name == "X")) is None


def test_session_cookie_does_not_authenticate_the_api(client, make):
    from tests.factories import login

    login(client, make.user(Role.ADMIN))
    assert_unauthorized(client.get(URL))


# --- list, paging, filters ----------------------------------------------------------------


def test_list_shape(client, make, marketer_token):
    partner = make.partner("Интегратор Плюс", segment="amocrm", commission_rate="0.3", tier="gold")

    response = client.get(URL, headers=bearer(marketer_token))

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert set(response.json) == {"items", "next"}
    assert response.json["next"] is None
    [item] = response.json["items"]
    assert item["id"] == partner.id
    assert item["name"] == "Интегратор Плюс"
    assert item["slug"] == partner.slug
    assert item["segment"] == "amocrm"
    assert item["tier"] == "gold"
    assert item["commission_rate"] == "0.30"
    assert item["active"] is True
    assert item["created_at"].endswith("Z")


def test_cursor_paging_walks_every_partner_once(client, make, marketer_token):
    ids = sorted(make.partner().id for _ in range(7))

    seen: list[int] = []
    pages = 0
    query = {"limit": 3}
    while True:
        response = client.get(URL, headers=bearer(marketer_token), query_string=query)
        assert response.status_code == 200
        page = response.json
        assert len(page["items"]) <= 3
        seen.extend(item["id"] for item in page["items"])
        pages += 1
        if page["next"] is None:
            break
        assert isinstance(page["next"], str)
        query = {"limit": 3, "cursor": page["next"]}
        assert pages < 10

    assert seen == ids
    assert pages == 3


def test_exact_multiple_of_limit_ends_with_null_next(client, make, marketer_token):
    ids = sorted(make.partner().id for _ in range(4))

    first = client.get(URL, headers=bearer(marketer_token), query_string={"limit": 2}).json
    second = client.get(
        URL, headers=bearer(marketer_token), query_string={"limit": 2, "cursor": first["next"]}
    ).json

    assert [i["id"] for i in first["items"] + second["items"]] == ids
    assert second["next"] is None


def test_page_and_limit(client, make, marketer_token):
    ids = sorted(make.partner().id for _ in range(5))

    response = client.get(URL, headers=bearer(marketer_token), query_string={"page": 2, "limit": 2})

    assert response.status_code == 200
    assert [item["id"] for item in response.json["items"]] == ids[2:4]
    assert response.json["next"] is not None
    last = client.get(URL, headers=bearer(marketer_token), query_string={"page": 3, "limit": 2})
    assert [item["id"] for item in last.json["items"]] == ids[4:]
    assert last.json["next"] is None


def test_default_limit_is_50(client, make, marketer_token):
    for _ in range(51):
        make.partner()

    response = client.get(URL, headers=bearer(marketer_token))

    assert len(response.json["items"]) == 50
    assert response.json["next"] is not None


@pytest.mark.parametrize("limit", ["0", "501", "-1", "abc"])
def test_bad_limit_is_422(client, marketer_token, limit):
    response = client.get(URL, headers=bearer(marketer_token), query_string={"limit": limit})
    error = assert_error(response, 422)
    assert error["fields"]["limit"]


def test_limit_500_is_accepted(client, make, marketer_token):
    make.partner()
    response = client.get(URL, headers=bearer(marketer_token), query_string={"limit": 500})
    assert response.status_code == 200


@pytest.mark.parametrize("page", ["0", "-3", "x"])
def test_bad_page_is_422(client, marketer_token, page):
    response = client.get(URL, headers=bearer(marketer_token), query_string={"page": page})
    assert assert_error(response, 422)["fields"]["page"]


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage!!",
        "zzzz",
        "%%%",
        base64.urlsafe_b64encode(b"-5").decode(),
        base64.urlsafe_b64encode(b"abc").decode(),
        "x" * 65,
    ],
)
def test_garbage_cursor_is_422(client, make, marketer_token, cursor):
    make.partner()
    response = client.get(URL, headers=bearer(marketer_token), query_string={"cursor": cursor})
    assert assert_error(response, 422)["fields"]["cursor"]


def test_huge_cursor_is_not_a_500(app, client, make, marketer_token, monkeypatch):
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # answer as in production
    make.partner()
    cursor = base64.urlsafe_b64encode(str(10**30).encode()).decode().rstrip("=")
    response = client.get(URL, headers=bearer(marketer_token), query_string={"cursor": cursor})
    if response.status_code == 200:
        assert response.json == {"items": [], "next": None}
    else:
        assert_error(response, 422)


def test_filter_by_segment(client, make, marketer_token):
    amo = make.partner(segment="amocrm")
    make.partner(segment="bitrix24")

    response = client.get(URL, headers=bearer(marketer_token), query_string={"segment": "amocrm"})

    assert [item["id"] for item in response.json["items"]] == [amo.id]


@pytest.mark.parametrize("q", ["интегратор", "ИНТЕГРАТОР", "плюс", "Тор пл", "integrator"])
def test_search_is_a_case_insensitive_substring(client, make, marketer_token, q):
    wanted = make.partner("Интегратор Плюс")
    make.partner("Другой партнёр")
    make.partner("Ромашка")

    response = client.get(URL, headers=bearer(marketer_token), query_string={"q": q})

    assert response.status_code == 200
    assert [item["id"] for item in response.json["items"]] == [wanted.id]


def test_search_without_match_is_empty(client, make, marketer_token):
    make.partner("Интегратор Плюс")
    response = client.get(URL, headers=bearer(marketer_token), query_string={"q": "ромашка"})
    assert response.json == {"items": [], "next": None}


# --- partner scoping ----------------------------------------------------------------------


@pytest.fixture
def two_partners(make):
    own = make.partner("Свой партнёр")
    other = make.partner("Чужой партнёр")
    token = make.token(make.user(Role.PARTNER, own))
    return own, other, token


def test_partner_token_lists_only_its_partner(client, two_partners):
    own, _, token = two_partners
    response = client.get(URL, headers=bearer(token))
    assert response.status_code == 200
    assert [item["id"] for item in response.json["items"]] == [own.id]
    searched = client.get(URL, headers=bearer(token), query_string={"q": "чужой"})
    assert searched.json["items"] == []


def test_partner_token_gets_404_for_another_partner(client, two_partners):
    own, other, token = two_partners

    assert_error(client.get(f"{URL}/{other.id}", headers=bearer(token)), 404, "not_found")
    response = client.get(f"{URL}/{own.id}", headers=bearer(token))
    assert response.status_code == 200
    assert response.json["id"] == own.id
    assert response.json["name"] == "Свой партнёр"


def test_unknown_partner_id_is_404(client, marketer_token):
    assert_error(client.get(f"{URL}/999999", headers=bearer(marketer_token)), 404, "not_found")


def test_partner_token_cannot_patch(client, two_partners):
    own, _, token = two_partners

    response = client.patch(f"{URL}/{own.id}", headers=bearer(token), json={"name": "Взлом"})

    assert_error(response, 403, "forbidden")
    db.session.expire_all()
    assert db.session.get(Partner, own.id).name == "Свой партнёр"


def test_partner_token_cannot_create(client, two_partners):
    _, _, token = two_partners
    response = client.post(URL, headers=bearer(token), json={"name": "X", "segment": "amocrm"})
    assert_error(response, 403, "forbidden")


# --- create -------------------------------------------------------------------------------


def post(client, token, body):
    return client.post(URL, headers=bearer(token), json=body)


def test_create_with_cyrillic_name(client, marketer_token):
    response = post(client, marketer_token, {"name": "Интегратор Плюс", "segment": "bitrix24"})

    assert response.status_code == 201, response.text
    body = response.json
    assert isinstance(body["id"], int)
    assert body["name"] == "Интегратор Плюс"
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", body["slug"])
    assert body["slug"].startswith("integrator-")
    assert body["segment"] == "bitrix24"
    assert body["commission_rate"] == "0.50"
    assert isinstance(body["created_at"], str)
    assert body["created_at"].endswith("Z")
    stored = db.session.get(Partner, body["id"])
    assert stored.slug == body["slug"]


def test_same_name_gets_a_different_slug(client, marketer_token):
    first = post(client, marketer_token, {"name": "Интегратор Плюс", "segment": "bitrix24"})
    second = post(client, marketer_token, {"name": "Интегратор Плюс", "segment": "amocrm"})

    assert first.status_code == second.status_code == 201
    assert first.json["slug"] != second.json["slug"]
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", second.json["slug"])


def test_explicit_slug_and_fields(client, marketer_token):
    response = post(
        client,
        marketer_token,
        {
            "name": "Ромашка",
            "segment": "amocrm",
            "slug": "romashka-crm",
            "email": "info@romashka.example",
            "commission_rate": "0.125",
            "tier": "gold",
        },
    )

    assert response.status_code == 201, response.text
    body = response.json
    assert body["slug"] == "romashka-crm"
    assert body["email"] == "info@romashka.example"
    assert body["commission_rate"] == "0.125"
    assert body["tier"] == "gold"


def test_explicit_slug_taken_is_409(client, make, marketer_token):
    taken = make.partner("Ромашка")

    response = post(
        client, marketer_token, {"name": "Другая", "segment": "amocrm", "slug": taken.slug}
    )

    assert_error(response, 409, "conflict")
    assert db.session.scalar(select(Partner).where(Partner.name == "Другая")) is None


def test_missing_name_and_segment_is_422(client, marketer_token):
    error = assert_error(post(client, marketer_token, {}), 422)
    assert error["fields"]["name"]
    assert error["fields"]["segment"]


@pytest.mark.parametrize("rate", ["1.5", "-0.1", "abc", "NaN"])
def test_bad_commission_rate_is_422(client, marketer_token, rate):
    response = post(
        client, marketer_token, {"name": "Ромашка", "segment": "amocrm", "commission_rate": rate}
    )
    assert assert_error(response, 422)["fields"]["commission_rate"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("slug", "Not A Slug"), ("segment", "Bitrix 24"), ("email", "nope"), ("name", "")],
)
def test_invalid_field_is_422(client, marketer_token, field, value):
    body = {"name": "Ромашка", "segment": "amocrm", field: value}
    assert assert_error(post(client, marketer_token, body), 422)["fields"][field]


def test_blank_name_is_422(client, marketer_token):
    response = post(client, marketer_token, {"name": "   ", "segment": "amocrm"})
    assert assert_error(response, 422)["fields"]["name"]


def test_unknown_field_is_422(client, marketer_token):
    body = {"name": "Ромашка", "segment": "amocrm", "colour": "red"}
    assert assert_error(post(client, marketer_token, body), 422)["fields"]["colour"]


def test_manager_cannot_create(client, make):
    token = make.token(make.user(Role.MANAGER))
    assert_error(post(client, token, {"name": "Ромашка", "segment": "amocrm"}), 403, "forbidden")
    assert db.session.scalar(select(Partner).where(Partner.name == "Ромашка")) is None


def test_admin_can_create(client, make):
    token = make.token(make.user(Role.ADMIN))
    assert post(client, token, {"name": "Ромашка", "segment": "amocrm"}).status_code == 201


def test_malformed_json_is_400(client, marketer_token):
    response = client.post(
        URL, headers=bearer(marketer_token), data="{bad", content_type="application/json"
    )
    assert_error(response, 400, "malformed_json")


def test_non_object_json_is_not_a_500(client, marketer_token):
    response = client.post(URL, headers=bearer(marketer_token), json=["not", "an", "object"])
    assert response.status_code in (400, 422)
    assert response.mimetype == "application/json"


# --- change -------------------------------------------------------------------------------


def test_patch_changes_name(client, make, marketer_token):
    partner = make.partner("Старое имя")
    slug = partner.slug

    response = client.patch(
        f"{URL}/{partner.id}", headers=bearer(marketer_token), json={"name": "Новое имя"}
    )

    assert response.status_code == 200, response.text
    assert response.json["name"] == "Новое имя"
    assert response.json["slug"] == slug
    again = client.get(f"{URL}/{partner.id}", headers=bearer(marketer_token))
    assert again.json["name"] == "Новое имя"


def test_patch_slug_without_links(client, make, marketer_token):
    partner = make.partner()
    response = client.patch(
        f"{URL}/{partner.id}", headers=bearer(marketer_token), json={"slug": "new-slug"}
    )
    assert response.status_code == 200, response.text
    assert response.json["slug"] == "new-slug"


def test_patch_slug_to_a_taken_one_is_409(client, make, marketer_token):
    partner, other = make.partner(), make.partner()
    response = client.patch(
        f"{URL}/{partner.id}", headers=bearer(marketer_token), json={"slug": other.slug}
    )
    assert_error(response, 409, "conflict")


def test_patch_slug_with_a_tracked_link_is_409(client, make, marketer_token):
    partner = make.partner("Интегратор Плюс")
    slug = partner.slug
    make.campaign([partner], landing_url="https://vendor.example/landing")  # issues the link

    response = client.patch(
        f"{URL}/{partner.id}", headers=bearer(marketer_token), json={"slug": "renamed"}
    )

    assert_error(response, 409, "conflict")
    db.session.expire_all()
    assert db.session.get(Partner, partner.id).slug == slug
    # Other fields may still change.
    ok = client.patch(f"{URL}/{partner.id}", headers=bearer(marketer_token), json={"name": "Иное"})
    assert ok.status_code == 200
    assert ok.json["slug"] == slug


def test_patch_unknown_partner_is_404(client, marketer_token):
    response = client.patch(f"{URL}/999999", headers=bearer(marketer_token), json={"name": "X"})
    assert_error(response, 404, "not_found")


def test_patch_bad_rate_is_422(client, make, marketer_token):
    partner = make.partner()
    response = client.patch(
        f"{URL}/{partner.id}", headers=bearer(marketer_token), json={"commission_rate": "1.5"}
    )
    assert assert_error(response, 422)["fields"]["commission_rate"]


# --- OpenAPI ------------------------------------------------------------------------------


def test_openapi_document_is_public(client):
    response = client.get("/api/openapi.json")

    assert response.status_code == 200
    spec = response.json
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/partners" in spec["paths"]
    assert "/api/v1/partners/{partner_id}" in spec["paths"]
    assert {"get", "post"} <= set(spec["paths"]["/api/v1/partners"])
    assert {"get", "patch"} <= set(spec["paths"]["/api/v1/partners/{partner_id}"])


def test_unknown_api_path_is_json_404(client):
    assert_error(client.get("/api/v1/nope"), 404)


def test_wrong_method_is_json_405(client, make, marketer_token):
    partner = make.partner()
    response = client.delete(f"{URL}/{partner.id}", headers=bearer(marketer_token))
    assert_error(response, 405)


@pytest.mark.parametrize("q", ["%", "_"])
def test_search_wildcards_are_literal(client, make, marketer_token, q):
    make.partner("Интегратор Плюс")
    response = client.get(URL, headers=bearer(marketer_token), query_string={"q": q})
    assert response.json["items"] == []
