"""Accounts and tokens through the API (contract §7): admins list and change logins; anyone
lists and revokes their own tokens, an admin everyone's; secrets never leave."""

from __future__ import annotations

from sqlalchemy import select

from comarketing.core.auth import Role
from comarketing.extensions import db
from comarketing.users.models import ApiToken
from tests.factories import bearer


def test_admins_list_and_deactivate_logins(client, make):
    admin = make.user(Role.ADMIN)
    staff = bearer(make.token(admin))
    partner = make.partner()
    target = make.user(Role.PARTNER, partner=partner)
    target_token = bearer(make.token(target))
    listed = client.get(f"/api/v1/users?role=partner&partner_id={partner.id}", headers=staff)
    assert listed.status_code == 200
    assert [u["email"] for u in listed.json["items"]] == [target.email]
    assert set(listed.json["items"][0]) >= {"id", "email", "role", "partner_id", "active",
                                             "last_login_at"}  # fmt: skip
    changed = client.patch(f"/api/v1/users/{target.id}", json={"active": False}, headers=staff)
    assert (changed.status_code, changed.json["active"]) == (200, False)
    assert client.get("/api/v1/leads", headers=target_token).status_code == 401
    assert client.get("/api/v1/users?active=false", headers=staff).json["items"][0]["id"] == (
        target.id
    )


def test_an_admin_cannot_lock_itself_out_and_others_cannot_manage_users(client, make):
    admin = make.user(Role.ADMIN)
    staff = bearer(make.token(admin))
    mine = client.patch(f"/api/v1/users/{admin.id}", json={"active": False}, headers=staff)
    assert mine.status_code == 409
    marketer = bearer(make.token(make.user(Role.MARKETER)))
    assert client.get("/api/v1/users", headers=marketer).status_code == 403
    assert client.patch(f"/api/v1/users/{admin.id}", json={"active": False},
                        headers=marketer).status_code == 403  # fmt: skip
    assert client.patch(
        "/api/v1/users/99999", json={"active": False}, headers=staff
    ).status_code == (404)


def test_tokens_are_listed_without_secrets_and_revoked(client, make):
    user, other = make.user(Role.MARKETER), make.user(Role.MANAGER)
    plain, other_plain = make.token(user), make.token(other)
    mine = client.get("/api/v1/tokens", headers=bearer(plain))
    assert mine.status_code == 200
    assert [t["user_id"] for t in mine.json["items"]] == [user.id]
    assert plain not in mine.text
    assert mine.json["items"][0]["prefix"] == plain[:10]
    theirs = db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == other.id))
    assert client.delete(f"/api/v1/tokens/{theirs}", headers=bearer(plain)).status_code == 404
    own = mine.json["items"][0]["id"]
    assert client.delete(f"/api/v1/tokens/{own}", headers=bearer(plain)).status_code == 204
    assert client.get("/api/v1/tokens", headers=bearer(plain)).status_code == 401
    admin = bearer(make.token(make.user(Role.ADMIN)))
    everyone = client.get("/api/v1/tokens", headers=admin).json["items"]
    assert {t["user_id"] for t in everyone} >= {user.id, other.id}
    revoked = next(t for t in everyone if t["id"] == own)
    assert revoked["revoked_at"] is not None
    assert client.get("/api/v1/partners", headers=bearer(other_plain)).status_code == 200
