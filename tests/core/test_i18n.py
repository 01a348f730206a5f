"""Russian first, English second: per user, per session, or by Accept-Language."""

from comarketing.core.auth import Role
from comarketing.extensions import db
from tests.factories import login


def test_russian_is_the_default(client):
    assert "Войти" in client.get("/login").text


def test_accept_language_english(client):
    text = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"}).text
    assert "Log in" in text
    assert "Войти" not in text


def test_language_switch_is_remembered_in_the_session(client):
    response = client.post("/language", data={"locale": "en", "next": "/login"})
    assert response.headers["Location"] == "/login"
    assert "Log in" in client.get("/login", headers={"Accept-Language": "ru"}).text


def test_language_switch_refuses_foreign_next(client):
    response = client.post("/language", data={"locale": "en", "next": "https://evil.example"})
    assert response.headers["Location"] == "/login"


def test_user_choice_is_stored_on_the_user(client, make):
    user = make.user(Role.MANAGER)
    login(client, user)
    client.post("/language", data={"locale": "en", "next": "/"})
    db.session.refresh(user)
    assert user.locale == "en"
    assert "Dashboard" in client.get("/", headers={"Accept-Language": "ru"}).text
