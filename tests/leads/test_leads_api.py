"""Leads through the API: persons deduplicated, owners and conflicts, idempotency, signatures."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from comarketing.core.auth import Role
from comarketing.core.models import IdempotencyRecord
from comarketing.core.signatures import sign
from comarketing.extensions import db
from comarketing.leads.models import Conversion, Lead, OwnershipConflict, Touchpoint
from comarketing.users.models import ApiToken
from tests.factories import bearer


@pytest.fixture
def marketer(make):
    return bearer(make.token(make.user(Role.MARKETER)))


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def post_lead(client, headers, **body):
    return client.post("/api/v1/leads", json=body, headers=headers)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"email": "Ivan@Example.com "}, {"email": "ivan@example.com"}),
        ({"phone": "+7 (916) 123-45-67"}, {"phone": "8 916 123-45-67"}),
    ],
)
def test_the_same_person_is_one_lead(client, marketer, first, second):
    created = post_lead(client, marketer, name="Иван", **first)
    again = post_lead(client, marketer, **second)
    assert created.status_code == 201
    assert again.status_code == 200
    assert again.json["id"] == created.json["id"]
    assert count(Lead) == 1
    assert count(Conversion) == 2


def test_normalised_contacts_are_stored(client, marketer):
    response = post_lead(client, marketer, email=" Ivan@Example.COM", phone="8 (916) 123-45-67")
    assert (response.json["email"], response.json["phone"]) == ("ivan@example.com", "+79161234567")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Без контакта"}, "email"),
        ({"email": "not-an-email"}, "email"),
        ({"phone": "12"}, "phone"),
        ({"email": "a@example.com", "occurred_at": "2099-01-01T00:00:00Z"}, "occurred_at"),
    ],
)
def test_bad_leads_are_422_and_write_nothing(client, marketer, body, field):
    response = post_lead(client, marketer, **body)
    assert response.status_code == 422
    assert field in response.json["error"]["fields"]
    assert count(Lead) == 0


def test_owner_is_the_partner_of_the_utm_and_keeps_it_against_another(client, make, marketer):
    first, second = make.partner("Партнёр А"), make.partner("Партнёр Б")
    created = post_lead(client, marketer, email="lead@example.com", utm_source=first.slug)
    assert created.json["owner_partner_id"] == first.id
    protected_until = datetime.fromisoformat(created.json["protected_until"])
    assert protected_until - datetime.now(UTC) > timedelta(days=89)
    again = post_lead(client, marketer, email="lead@example.com", utm_source=second.slug)
    assert again.json["owner_partner_id"] == first.id
    conflict = db.session.scalar(select(OwnershipConflict))
    assert (conflict.owner_partner_id, conflict.claimant_partner_id, conflict.status) == (
        first.id,
        second.id,
        "open",
    )


def test_after_protection_a_bare_utm_source_changes_no_owner(client, make, marketer):
    """Contract §7: after protection only verified evidence re-binds (tests/leads/
    test_ownership_evidence.py shows the click that does)."""
    first, second = make.partner(), make.partner()
    long_ago = (datetime.now(UTC) - timedelta(days=120)).isoformat()
    post_lead(
        client, marketer, email="old@example.com", utm_source=first.slug, occurred_at=long_ago
    )
    again = post_lead(client, marketer, email="old@example.com", utm_source=second.slug)
    assert again.json["owner_partner_id"] == first.id
    assert count(OwnershipConflict) == 0


def test_unknown_utm_source_leaves_the_lead_unattributed(client, marketer):
    response = post_lead(client, marketer, email="direct@example.com", utm_source="google")
    assert response.json["owner_partner_id"] is None
    assert count(Touchpoint) == 0


def test_offline_touch_waits_for_the_person_and_decides_the_owner(client, make, marketer):
    expo, other = make.partner("Выставка"), make.partner()
    met = (datetime.now(UTC) - timedelta(days=3)).isoformat()
    touch = client.post(
        "/api/v1/touchpoints",
        json={
            "email": "Met@Expo.example",
            "occurred_at": met,
            "partner_id": expo.id,
            "kind": "event",
        },
        headers=marketer,
    )
    assert touch.status_code == 201
    assert touch.json["lead_id"] is None
    assert count(Lead) == 0
    lead = post_lead(client, marketer, email="met@expo.example", utm_source=other.slug)
    assert lead.json["owner_partner_id"] == expo.id  # the earliest touch wins


def test_idempotency_key_replays_and_refuses_another_body(client, marketer):
    headers = marketer | {"Idempotency-Key": "form-42"}
    first = post_lead(client, headers, email="once@example.com", name="Один")
    replay = post_lead(client, headers, email="once@example.com", name="Один")
    assert (first.status_code, replay.status_code) == (201, 201)
    assert replay.json == first.json
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert count(Conversion) == 1
    other = post_lead(client, headers, email="other@example.com")
    assert other.status_code == 422
    assert other.json["error"]["code"] == "idempotency_key_reused"
    assert count(Lead) == 1


def test_a_refused_request_does_not_burn_its_key(client, marketer):
    headers = marketer | {"Idempotency-Key": "retry-me"}
    assert post_lead(client, headers, email="bad").status_code == 422
    assert post_lead(client, headers, email="good@example.com").status_code == 201


def test_answers_are_forgotten_after_the_keep_time(client, marketer):
    """A key is honoured for IDEMPOTENCY_KEEP_HOURS (24): an older answer is purged by the
    next claim, and its key sent again is a new request."""
    old = marketer | {"Idempotency-Key": "yesterday"}
    assert post_lead(client, old, email="old@example.com").status_code == 201
    recent = marketer | {"Idempotency-Key": "an-hour-ago"}
    assert post_lead(client, recent, email="recent@example.com").status_code == 201
    now = datetime.now(UTC)
    for key, age in (
        ("yesterday", timedelta(hours=24, seconds=1)),
        ("an-hour-ago", timedelta(hours=1)),
    ):
        record = db.session.scalar(select(IdempotencyRecord).where(IdempotencyRecord.key == key))
        record.created_at = now - age
    db.session.commit()

    again = post_lead(client, old, email="new@example.com")  # another body: new, not a 422
    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again.headers
    replay = post_lead(client, recent, email="recent@example.com")
    assert replay.headers["Idempotent-Replayed"] == "true"
    keys = db.session.scalars(select(IdempotencyRecord.key).order_by(IdempotencyRecord.key))
    assert list(keys) == ["an-hour-ago", "yesterday"]  # the new "yesterday" claim
    assert count(Lead) == 3


def test_intake_token_may_create_leads_only(client, make):
    intake = bearer(make.token(make.user(Role.MARKETER), scope="intake"))
    assert post_lead(client, intake, email="lp@example.com").status_code == 202
    assert client.get("/api/v1/leads", headers=intake).status_code == 403


@pytest.fixture
def signed_token(make):
    from comarketing.users.services import create_api_token

    token, plain = create_api_token(make.user(Role.MARKETER), scope="intake", signed=True)
    db.session.commit()
    return plain, token.signing_secret


def post_signed(client, plain, body, signature):
    headers = bearer(plain) | {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Comarketing-Signature"] = signature
    return client.post("/api/v1/leads", data=body, headers=headers)


def request_signature(secret, body, timestamp=None, *, path="/api/v1/leads", method="POST"):
    return sign(secret, body, timestamp, method=method, path=path)


def test_signed_token_needs_a_fresh_valid_signature(client, signed_token):
    plain, secret = signed_token
    body = b'{"email": "signed@example.com"}'
    now = int(datetime.now(UTC).timestamp())
    for wrong in (
        None,
        request_signature("wrong", body),
        request_signature(secret, body, now - 301),
        sign(secret, body),  # the body alone, as our webhooks are signed: not a request's
        request_signature(secret, body, path="/api/v1/webinars/1/registrations"),
        request_signature(secret, body, method="PUT"),
    ):
        assert post_signed(client, plain, body, wrong).status_code == 401
    assert (
        post_signed(client, plain, body + b" ", request_signature(secret, body)).status_code == 401
    )
    assert count(Lead) == 0
    assert post_signed(client, plain, body, request_signature(secret, body)).status_code == 202


def test_a_signature_is_accepted_once(client, signed_token):
    plain, secret = signed_token
    body = b'{"email": "once@example.com"}'
    signature = request_signature(secret, body)
    assert post_signed(client, plain, body, signature).status_code == 202
    replay = client.post(
        "/api/v1/leads",
        data=body,
        headers=bearer(plain)
        | {"Content-Type": "application/json", "X-Comarketing-Signature": signature}
        | {"Accept-Language": "en"},
    )
    assert replay.status_code == 401
    assert "used already" in replay.json["error"]["message"]
    assert count(Conversion) == 1
    # Signed anew (another second: the signature covers the time), the same body goes in.
    again = request_signature(secret, body, int(datetime.now(UTC).timestamp()) - 1)
    assert post_signed(client, plain, body, again).status_code == 202
    assert count(Conversion) == 2


def test_partner_token_sees_only_leads_it_owns(client, make, marketer):
    mine, theirs = make.partner(), make.partner()
    a = post_lead(client, marketer, email="a@example.com", utm_source=mine.slug).json
    b = post_lead(client, marketer, email="b@example.com", utm_source=theirs.slug).json
    token = bearer(make.token(make.user(Role.PARTNER, mine)))
    assert [lead["id"] for lead in client.get("/api/v1/leads", headers=token).json["items"]] == [
        a["id"]
    ]
    assert client.get(f"/api/v1/leads/{b['id']}", headers=token).status_code == 404
    assert (
        client.get(f"/api/v1/leads/{a['id']}", headers=token).json["conversions"][0]["kind"]
        == "api"
    )
    assert post_lead(client, token, email="c@example.com").status_code == 403


def test_tokens_are_not_stored_in_clear(make):
    plain = make.token(make.user())
    assert plain not in {t.token_hash for t in db.session.scalars(select(ApiToken))}


def test_an_intake_token_learns_nothing_about_people(client, make, marketer):
    """Contract §7: the same status and the same bytes for a known and a new person."""
    post_lead(client, marketer, phone="+7 916 111-22-33", name="Известный", company="ООО Тайна")
    intake = bearer(make.token(make.user(Role.MARKETER), scope="intake"))
    known = post_lead(client, intake, phone="8 916 111-22-33")
    new = post_lead(client, intake, phone="+7 916 999-88-77")
    assert (known.status_code, new.status_code) == (202, 202)
    assert known.data == new.data == b'{"status":"accepted"}\n'
    assert count(Lead) == 2
