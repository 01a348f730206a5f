"""``/settings`` (issue 17; issue 24 found it a 404): admins take access away and give it back
from a page, every staff member revokes their own tokens there."""

from __future__ import annotations

from sqlalchemy import select

from comarketing.core.auth import Role
from comarketing.extensions import db
from comarketing.users.models import ApiToken, User
from tests.factories import bearer, login


def test_an_admin_deactivates_reactivates_and_changes_roles(client, make):
    admin = make.user(Role.ADMIN)
    marketer = make.user(Role.MARKETER)
    token = bearer(make.token(marketer))
    login(client, admin)
    page = client.get("/settings", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert f'data-user-id="{marketer.id}"' in page.text
    assert (
        client.post(f"/settings/users/{marketer.id}/active", data={"active": "0"}).status_code
        == 302
    )
    db.session.expire_all()
    assert db.session.get(User, marketer.id).active is False
    assert client.get("/api/v1/partners", headers=token).status_code == 401
    client.post(f"/settings/users/{marketer.id}/active", data={"active": "1"})
    client.post(f"/settings/users/{marketer.id}/role", data={"role": "manager"})
    db.session.expire_all()
    assert (db.session.get(User, marketer.id).active, db.session.get(User, marketer.id).role) == (
        True,
        Role.MANAGER,
    )
    refused = client.post(f"/settings/users/{admin.id}/active", data={"active": "0"},
                          headers={"Accept-Language": "en"}, follow_redirects=True)  # fmt: skip
    assert "cannot take your own access away" in refused.text
    assert db.session.get(User, admin.id).active is True


def test_staff_see_and_revoke_only_their_own_tokens(client, make):
    marketer, other = make.user(Role.MARKETER), make.user(Role.MANAGER)
    plain, other_plain = make.token(marketer), make.token(other)
    login(client, marketer)
    page = client.get("/settings")
    assert plain[:10] in page.text
    assert other_plain[:10] not in page.text
    assert 'data-testid="users"' not in page.text  # the users table is for admins
    own = db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == marketer.id))
    theirs = db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == other.id))
    assert client.post(f"/settings/tokens/{theirs}/revoke").status_code == 404
    assert client.post(f"/settings/tokens/{own}/revoke").status_code == 302
    assert client.get("/api/v1/partners", headers=bearer(plain)).status_code == 401
    assert client.get("/api/v1/partners", headers=bearer(other_plain)).status_code == 200
    assert (
        client.post(f"/settings/users/{other.id}/active", data={"active": "0"}).status_code == 403
    )


def test_a_partner_user_is_sent_to_its_portal(client, make):
    login(client, make.user(Role.PARTNER, partner=make.partner()))
    answer = client.get("/settings")
    assert answer.status_code == 302
    assert answer.location.endswith("/portal")
