"""Logging in and out, and who may open which page."""

import pytest

from comarketing.core.auth import Role
from comarketing.extensions import db
from comarketing.users.services import set_password
from tests.factories import PASSWORD, login


def test_login_page_renders(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert 'name="email"' in response.text
    assert 'name="password"' in response.text


def test_staff_login_lands_on_dashboard_with_partners(client, make):
    partner = make.partner("Интегратор Тест")
    user = make.user(Role.MARKETER)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    dashboard = client.get("/")
    assert dashboard.status_code == 200
    assert partner.name in dashboard.text


def test_email_is_case_insensitive(client, make):
    user = make.user()
    response = client.post("/login", data={"email": user.email.upper(), "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("email", "password"),
    [("user@example.com", "wrong-password"), ("nobody@example.com", PASSWORD), ("", "")],
)
def test_bad_credentials_show_an_error_and_log_nobody_in(client, make, email, password):
    make.user()
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 200
    assert "is-invalid" in response.text or "invalid-feedback" in response.text
    assert client.get("/").status_code == 302  # still anonymous


def test_wrong_password_message(client, make):
    user = make.user()
    response = client.post(
        "/login",
        data={"email": user.email, "password": "nope-nope"},
        headers={"Accept-Language": "en"},
    )
    assert "Wrong e-mail or password." in response.text


def test_anonymous_user_is_sent_to_login_with_next(client):
    response = client.get("/partners")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=%2Fpartners")


def test_next_parameter_returns_to_the_page(client, make):
    user = make.user()
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "next": "/partners"}
    )
    assert response.headers["Location"] == "/partners"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]
)
def test_next_parameter_cannot_leave_the_site(client, make, target):
    user = make.user()
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "next": target}
    )
    assert response.headers["Location"] == "/"


def test_partner_user_goes_to_portal_and_is_kept_out_of_staff_pages(client, make):
    partner = make.partner("Портал Партнёр")
    user = make.user(Role.PARTNER, partner)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/portal"
    assert partner.name in client.get("/portal").text
    for page in ("/", "/partners"):
        staff_page = client.get(page)
        assert staff_page.status_code == 302
        assert staff_page.headers["Location"] == "/portal"


def test_staff_user_cannot_open_the_portal(client, make):
    login(client, make.user(Role.MANAGER))
    assert client.get("/portal").status_code == 403


def test_logout_needs_a_post(client, make):
    login(client, make.user())
    assert client.get("/logout").status_code == 200  # a confirmation page, not a logout
    assert client.get("/").status_code == 200
    response = client.post("/logout")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_inactive_user_cannot_log_in(client, make):
    user = make.user()
    user.active = False
    db.session.commit()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert client.get("/").status_code == 302


def test_password_change_ends_other_sessions(client, make):
    user = make.user()
    login(client, user)
    set_password(user, "another-password-1")
    db.session.commit()
    assert client.get("/").status_code == 302


def test_login_form_is_csrf_protected(app, client, make):
    user = make.user()
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_unknown_page_is_an_html_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
