"""``flask users create`` and ``flask tokens create`` (contract §2)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from comarketing.core.auth import Role
from comarketing.extensions import db
from comarketing.users.models import ApiToken, TokenScope, User
from tests.factories import bearer

STAFF_ROLES = ["admin", "marketer", "manager"]


def user_count() -> int:
    return db.session.scalar(select(func.count(User.id)))


def create_user(runner, *args: str):
    return runner.invoke(args=["users", "create", *args])


def assert_failed(result, *fragments: str) -> None:
    assert result.exit_code != 0, result.output
    assert "Created" not in result.stdout
    for fragment in fragments:
        assert fragment.lower() in result.output.lower(), result.output


# --- users create -------------------------------------------------------------------------


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_create_staff_user_generates_a_password_that_logs_in(runner, client, role):
    result = create_user(runner, "New.User@Example.com", "--role", role)

    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    assert "new.user@example.com" in lines[0]
    assert role in lines[0]
    assert "with password " in lines[0]
    password = lines[0].rsplit(" ", 1)[-1]
    assert len(password) >= 8

    user = db.session.scalar(select(User).where(User.email == "new.user@example.com"))
    assert user is not None
    assert user.role == Role(role)
    assert user.partner_id is None
    assert user.password_hash
    assert password not in user.password_hash

    wrong = client.post("/login", data={"email": "new.user@example.com", "password": "x" * 12})
    assert wrong.status_code != 302
    response = client.post("/login", data={"email": "new.user@example.com", "password": password})
    assert response.status_code == 302


def test_given_password_is_used_and_not_printed(runner, client):
    result = create_user(runner, "m@example.com", "--role", "marketer", "--password", "s3cret-pass")

    assert result.exit_code == 0, result.output
    assert len(result.stdout.strip().splitlines()) == 1
    assert "s3cret-pass" not in result.output
    response = client.post("/login", data={"email": "m@example.com", "password": "s3cret-pass"})
    assert response.status_code == 302


def test_create_partner_user(runner, client, make):
    partner = make.partner("Интегратор Плюс")

    result = create_user(runner, "p@example.com", "--role", "partner", "--partner", partner.slug)

    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "p@example.com"))
    assert user.role == Role.PARTNER
    assert user.partner_id == partner.id
    password = result.stdout.strip().rsplit(" ", 1)[-1]
    response = client.post("/login", data={"email": "p@example.com", "password": password})
    assert response.status_code == 302


def test_partner_user_without_partner_fails_and_creates_nothing(runner):
    before = user_count()

    result = create_user(runner, "p@example.com", "--role", "partner")

    assert_failed(result, "--partner")
    assert user_count() == before


def test_partner_user_with_unknown_slug_fails(runner, make):
    make.partner("Интегратор Плюс")
    before = user_count()

    result = create_user(runner, "p@example.com", "--role", "partner", "--partner", "no-such")

    assert_failed(result, "no-such")
    assert user_count() == before


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_user_with_partner_fails(runner, make, role):
    partner = make.partner()
    before = user_count()

    result = create_user(runner, "s@example.com", "--role", role, "--partner", partner.slug)

    assert_failed(result, "partner")
    assert user_count() == before


def test_unknown_role_fails_with_message(runner):
    before = user_count()

    result = create_user(runner, "x@example.com", "--role", "superuser")

    assert_failed(result, "superuser", "--role")
    assert user_count() == before


def test_role_is_required(runner):
    before = user_count()

    result = create_user(runner, "x@example.com")

    assert_failed(result, "--role")
    assert user_count() == before


@pytest.mark.parametrize("email", ["dup@example.com", "  DUP@Example.COM "])
def test_duplicate_email_fails(runner, email):
    first = create_user(runner, "dup@example.com", "--role", "admin")
    assert first.exit_code == 0, first.output
    before = user_count()

    result = create_user(runner, email, "--role", "marketer")

    assert_failed(result, "dup@example.com", "exists")
    assert user_count() == before


@pytest.mark.parametrize("email", ["not-an-email", "a@", "@example.com", ""])
def test_invalid_email_fails(runner, email):
    before = user_count()

    result = create_user(runner, email, "--role", "marketer")

    assert_failed(result, "e-mail")
    assert user_count() == before


def test_short_password_fails(runner):
    before = user_count()

    result = create_user(runner, "x@example.com", "--role", "marketer", "--password", "1234567")

    assert_failed(result, "8")
    assert user_count() == before


def test_password_of_exactly_eight_characters_is_accepted(runner):
    result = create_user(runner, "x@example.com", "--role", "marketer", "--password", "12345678")

    assert result.exit_code == 0, result.output


# --- tokens create ------------------------------------------------------------------------


def create_token(runner, *args: str):
    return runner.invoke(args=["tokens", "create", *args])


def test_token_is_last_line_and_authenticates_the_api(runner, client, make):
    partners = [make.partner("Интегратор Плюс"), make.partner("Другой партнёр")]
    user = make.user(Role.MANAGER)

    result = create_token(runner, user.email, "--name", "landing")

    assert result.exit_code == 0, result.output
    token = result.stdout.rstrip("\n").splitlines()[-1]
    assert token == token.strip()
    assert " " not in token
    response = client.get("/api/v1/partners", headers=bearer(token))
    assert response.status_code == 200
    assert sorted(item["id"] for item in response.json["items"]) == sorted(p.id for p in partners)


def test_token_email_is_case_insensitive(runner, make):
    user = make.user(Role.MARKETER)

    result = create_token(runner, user.email.upper())

    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count(ApiToken.id)).where(ApiToken.user_id == user.id))


def test_token_for_unknown_email_fails(runner):
    before = db.session.scalar(select(func.count(ApiToken.id)))

    result = create_token(runner, "nobody@example.com")

    assert result.exit_code != 0
    assert "nobody@example.com" in result.output
    assert result.stdout.strip() == ""
    assert db.session.scalar(select(func.count(ApiToken.id))) == before


def test_unknown_scope_fails(runner, make):
    user = make.user(Role.MARKETER)

    result = create_token(runner, user.email, "--scope", "everything")

    assert result.exit_code != 0
    assert "--scope" in result.output
    assert db.session.scalar(select(func.count(ApiToken.id))) == 0


def test_intake_token_is_refused_on_partners(runner, client, make):
    make.partner()
    user = make.user(Role.MARKETER)

    result = create_token(runner, user.email, "--scope", "intake")

    assert result.exit_code == 0, result.output
    token = result.stdout.strip().splitlines()[-1]
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert row.scope == TokenScope.INTAKE
    response = client.get("/api/v1/partners", headers=bearer(token))
    assert response.status_code == 403
    assert response.mimetype == "application/json"
    assert response.json["error"]["code"] == "forbidden"
    assert response.json["error"]["message"]


def test_tokens_are_stored_hashed(runner, make):
    user = make.user(Role.ADMIN)

    plains = []
    for _ in range(2):
        result = create_token(runner, user.email)
        assert result.exit_code == 0, result.output
        plains.append(result.stdout.strip().splitlines()[-1])

    assert plains[0] != plains[1]
    rows = db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).all()
    assert len(rows) == 2
    for row in rows:
        stored = [
            str(getattr(row, column.key))
            for column in ApiToken.__table__.columns
            if getattr(row, column.key) is not None
        ]
        for plain in plains:
            assert all(plain not in value for value in stored)
        assert len(row.token_hash) == 64


# --- users deactivate / activate, tokens list / revoke (contract §7) ----------------------


def test_deactivate_and_activate_by_email(runner, client, make):
    user = make.user(Role.MARKETER)
    plain = make.token(user)
    result = runner.invoke(args=["users", "deactivate", user.email.upper()])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().count("\n") == 0
    assert client.get("/api/v1/partners", headers=bearer(plain)).status_code == 401
    result = runner.invoke(args=["users", "activate", user.email])
    assert result.exit_code == 0, result.output
    assert client.get("/api/v1/partners", headers=bearer(plain)).status_code == 200
    assert_failed(runner.invoke(args=["users", "deactivate", "nobody@example.com"]), "No user")


def test_tokens_list_never_prints_a_secret_and_revoke_ends_a_token(runner, client, make):
    user, other = make.user(Role.MARKETER), make.user(Role.MANAGER)
    plain, other_plain = make.token(user), make.token(other)
    listed = runner.invoke(args=["tokens", "list"])
    assert listed.exit_code == 0, listed.output
    assert plain not in listed.output
    assert other_plain not in listed.output
    assert user.email in listed.output
    assert other.email in listed.output
    assert listed.stdout.strip().splitlines()[-1] == "2 token(s)."
    mine = runner.invoke(args=["tokens", "list", user.email])
    assert other.email not in mine.output
    token_id = db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == user.id))
    revoked = runner.invoke(args=["tokens", "revoke", str(token_id)])
    assert revoked.exit_code == 0, revoked.output
    assert client.get("/api/v1/partners", headers=bearer(plain)).status_code == 401
    assert client.get("/api/v1/partners", headers=bearer(other_plain)).status_code == 200
    assert "revoked" in runner.invoke(args=["tokens", "list", user.email]).output
    assert_failed(runner.invoke(args=["tokens", "revoke", "999999"]), "No token")
