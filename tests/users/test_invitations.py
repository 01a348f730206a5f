"""Partner users are invited by a marketer and set their own password through a one-time,
expiring link sent by e-mail; a forgotten password is reset the same way."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from comarketing.core.auth import Role
from comarketing.core.outbox import OutboxMessage, deliver_due
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.users.emails import render
from comarketing.users.models import User, UserToken
from tests.factories import PASSWORD, login


def last_link(topic: str) -> tuple[str, str]:
    """The path of the link in the newest e-mail of ``topic``, and the e-mail's text."""
    message = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.topic == topic).order_by(OutboxMessage.id.desc())
    ).first()
    assert message is not None
    email = render(message)
    assert email is not None
    text = email.get_content()
    url = re.search(r"https?://\S+/(invite|password/reset)/[\w-]+", text)
    assert url is not None, text
    return "/" + url.group(0).split("/", 3)[3], text


@pytest.fixture
def invited(client, make):
    partner = make.partner("Гамма Интеграция")
    login(client, make.user(Role.MARKETER))
    answer = client.post(
        f"/partners/{partner.id}/users",
        data={"email": "Olga@Gamma.example", "name": "Ольга", "locale": "ru"},
    )
    assert answer.status_code == 302, answer.text
    client.post("/logout", data={})
    return partner


def test_the_invitation_creates_a_user_without_a_password_and_mails_a_link(client, invited):
    user = db.session.scalar(select(User).where(User.email == "olga@gamma.example"))
    assert user is not None
    assert (user.role, user.partner_id, user.password_hash) == (Role.PARTNER, invited.id, None)
    path, text = last_link("user.invite")
    assert path.startswith("/invite/")
    assert "Гамма Интеграция" in text
    assert "7" in text
    # The stored token is a hash: the link's token is nowhere in the users' tables.
    token = path.rsplit("/", 1)[1]
    assert token not in {t.token_hash for t in db.session.scalars(select(UserToken))}


def test_the_partner_page_lists_the_invited_user(client, make, invited):
    login(client, make.user(Role.MANAGER))
    html = client.get(f"/partners/{invited.id}").text
    assert "olga@gamma.example" in html
    assert 'data-testid="invite-form"' not in html  # a manager does not plan, so cannot invite


def test_set_password_through_the_link_then_it_is_spent(client, invited):
    path, _ = last_link("user.invite")
    assert client.get(path).status_code == 200
    differ = client.post(path, data={"password": "long-enough-1", "confirm": "long-enough-2"})
    assert differ.status_code == 200
    assert "is-invalid" in differ.text
    done = client.post(path, data={"password": "long-enough-1", "confirm": "long-enough-1"})
    assert done.status_code == 302
    assert done.headers["Location"].endswith("/portal")
    assert client.get("/portal").status_code == 200
    client.post("/logout", data={})
    again = client.get(path)
    assert again.status_code == 404
    ok = client.post("/login", data={"email": "olga@gamma.example", "password": "long-enough-1"})
    assert ok.status_code == 302
    assert ok.headers["Location"].endswith("/portal")


def test_an_expired_invitation_does_not_work(client, invited):
    path, _ = last_link("user.invite")
    for token in db.session.scalars(select(UserToken)):
        token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    answer = client.post(path, data={"password": "long-enough-1", "confirm": "long-enough-1"})
    assert answer.status_code == 404
    user = db.session.scalar(select(User).where(User.email == "olga@gamma.example"))
    assert user.password_hash is None


@pytest.mark.parametrize("token", ["nope", "x" * 300, "../../etc"])
def test_made_up_tokens_do_not_work(client, token):
    assert client.get(f"/invite/{token}").status_code == 404
    assert client.get(f"/password/reset/{token}").status_code == 404


def test_inviting_a_known_address_is_refused_and_writes_nothing(client, make):
    partner = make.partner()
    marketer = make.user(Role.MARKETER)
    login(client, marketer)
    users = db.session.scalar(select(func.count(User.id)))
    messages = db.session.scalar(select(func.count(OutboxMessage.id)))
    answer = client.post(f"/partners/{partner.id}/users", data={"email": marketer.email})
    assert answer.status_code == 422
    assert "already exists" in answer.text or "уже есть" in answer.text
    assert db.session.scalar(select(func.count(User.id))) == users
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == messages
    assert (
        client.post(f"/partners/{partner.id}/users", data={"email": "not-an-email"}).status_code
        == 422
    )


def test_only_planners_invite(client, make):
    partner = make.partner()
    login(client, make.user(Role.MANAGER))
    assert (
        client.post(f"/partners/{partner.id}/users", data={"email": "a@b.example"}).status_code
        == 403
    )
    client.post("/logout", data={})
    login(client, make.user(Role.PARTNER, partner=partner))
    answer = client.post(f"/partners/{partner.id}/users", data={"email": "a@b.example"})
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith("/portal")
    assert db.session.scalar(select(User).where(User.email == "a@b.example")) is None


def test_password_reset(client, make):
    partner = make.partner()
    user = make.user(Role.PARTNER, partner=partner)
    asked = client.post("/password/forgot", data={"email": user.email.upper()})
    assert asked.status_code == 302
    path, text = last_link("user.reset")
    assert path.startswith("/password/reset/")
    done = client.post(path, data={"password": "brand-new-secret", "confirm": "brand-new-secret"})
    assert done.status_code == 302
    client.post("/logout", data={})
    old = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert old.status_code == 200  # the old password no longer works
    new = client.post("/login", data={"email": user.email, "password": "brand-new-secret"})
    assert new.status_code == 302


def test_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client):
    messages = db.session.scalar(select(func.count(OutboxMessage.id)))
    answer = client.post(
        "/password/forgot", data={"email": "nobody@nowhere.example"}, follow_redirects=True
    )
    assert answer.status_code == 200
    assert "link to set a new password is on its way" in answer.text or "ссылка" in answer.text
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == messages


def test_the_link_leaves_the_database_once_the_letter_is_sent(client, invited):
    message = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.topic == "user.invite")
    ).one()
    assert "token" in message.payload
    report = deliver_due()  # no SMTP_URL in tests: the letter goes to the log
    assert report.delivered >= 1
    db.session.refresh(message)
    assert "token" not in message.payload
    assert message.payload["user_id"]
