"""Access that can be taken away (contract §7, issue 17): deactivated users and partners, revoked
tokens, and logout end what they must — on the server, not only in the browser."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import requests
from flask.testing import FlaskClient
from sqlalchemy import select

from comarketing.core.auth import Role
from comarketing.core.errors import ValidationFailed
from comarketing.extensions import db
from comarketing.links.services import issue_link
from comarketing.partners.services import update_partner
from comarketing.users import accounts
from comarketing.users.models import ApiToken, User
from comarketing.users.services import authenticate, dummy_hash
from tests.factories import PASSWORD, Factory, bearer, login
from tests.live import live_server


def saved_session(client: FlaskClient) -> str:
    """The session cookie a browser (or a thief) keeps."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def replay(app, cookie: str, path: str):
    """Open ``path`` in a fresh browser carrying only the saved session cookie."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other.get(path)


def test_a_deactivated_users_saved_session_and_token_are_refused(app, client, make):
    user = make.user(Role.MARKETER)
    token = make.token(user)
    login(client, user)
    cookie = saved_session(client)
    assert replay(app, cookie, "/partners").status_code == 200
    assert client.get("/api/v1/partners", headers=bearer(token)).status_code == 200

    accounts.set_active(user, False)
    db.session.commit()

    assert replay(app, cookie, "/partners").status_code == 302  # to the login page
    assert client.get("/api/v1/partners", headers=bearer(token)).status_code == 401
    assert authenticate(user.email, PASSWORD) is None

    accounts.set_active(user, True)
    db.session.commit()
    assert replay(app, cookie, "/partners").status_code == 302  # the old session stays dead
    assert client.get("/api/v1/partners", headers=bearer(token)).status_code == 200


def test_a_revoked_token_answers_401(client, make):
    user = make.user(Role.MARKETER)
    plain = make.token(user)
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert client.get("/api/v1/partners", headers=bearer(plain)).status_code == 200
    accounts.revoke_token(token)
    db.session.commit()
    answer = client.get("/api/v1/partners", headers=bearer(plain))
    assert answer.status_code == 401
    assert answer.json["error"]["code"] == "unauthorized"


def test_logout_ends_the_session_on_the_server(app, client, make):
    user = make.user(Role.MANAGER)
    login(client, user)
    cookie = saved_session(client)
    assert client.post("/logout").status_code == 302
    assert replay(app, cookie, "/partners").status_code == 302


def test_an_inactive_partner_cannot_log_in_but_its_links_still_redirect(app, client, make):
    partner = make.partner()
    user = make.user(Role.PARTNER, partner=partner)
    token = make.token(user)
    campaign = make.campaign([partner])
    link = issue_link(partner=partner, campaign=campaign, destination_url="https://lp.example/")
    login(client, user)
    cookie = saved_session(client)
    assert replay(app, cookie, "/portal").status_code == 200

    update_partner(partner, {"active": False})
    db.session.commit()

    refused = app.test_client().post("/login", data={"email": user.email, "password": PASSWORD})
    assert refused.status_code == 200  # the form again, with its error
    assert replay(app, cookie, "/portal").status_code == 302
    assert client.get("/api/v1/leads", headers=bearer(token)).status_code == 401
    click = app.test_client().get(f"/r/{link.code}")
    assert click.status_code == 302
    assert click.location.startswith("https://lp.example/")


def test_token_use_is_written_every_few_minutes(client, make, time_machine):
    time_machine.move_to(datetime(2026, 12, 4, 9, 0, tzinfo=UTC), tick=False)
    user = make.user(Role.MARKETER)
    plain = make.token(user)
    token_id = db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == user.id))

    def last_use():
        db.session.expire_all()
        return db.session.get(ApiToken, token_id).last_used_at

    assert last_use() is None
    first = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
    for moment, expected in (
        (first, first),
        (first + timedelta(minutes=1), first),  # no write a minute later
        (first + accounts.LAST_USED_PRECISION, first + accounts.LAST_USED_PRECISION),
    ):
        time_machine.move_to(moment, tick=False)
        assert client.get("/api/v1/partners", headers=bearer(plain)).status_code == 200
        assert last_use() == expected


def test_an_api_request_records_its_token_use_even_when_it_writes_nothing(tmp_path):
    """A GET commits nothing of its own; the use is written in a transaction of its own
    (a real server: the rollback-per-test fixture cannot show a separate commit)."""
    with live_server(tmp_path) as live:
        with live.app.app_context():
            make = Factory()
            user = make.user(Role.MARKETER)
            plain = make.token(user)
            token_id = db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == user.id))
        answer = requests.get(f"{live.url}/api/v1/partners", headers=bearer(plain), timeout=30)
        assert answer.status_code == 200
        with live.app.app_context():
            used = db.session.scalar(select(ApiToken.last_used_at).where(ApiToken.id == token_id))
            assert used is not None
            assert abs(used - datetime.now(UTC)) < timedelta(minutes=1)


def test_staff_roles_change_but_never_across_the_partner_line(make):
    partner = make.partner()
    marketer = make.user(Role.MARKETER)
    before = marketer.session_token
    accounts.change_role(marketer, "manager")
    assert marketer.role is Role.MANAGER
    assert marketer.session_token != before
    partner_user = make.user(Role.PARTNER, partner=partner)
    for user, role in ((marketer, "partner"), (partner_user, "admin")):
        with pytest.raises(ValidationFailed):
            accounts.change_role(user, role)


def test_an_unknown_email_is_checked_against_the_configured_hash_method(app):
    method = app.config["PASSWORD_HASH_METHOD"]
    assert dummy_hash(method).startswith(method.split(":")[0])
    assert authenticate("nobody@example.com", PASSWORD) is None
    assert db.session.scalar(select(User).where(User.email == "nobody@example.com")) is None
