"""Security headers: every HTML page has a policy without inline code; every answer says
nosniff and cannot be framed; HSTS only where the app is served over HTTPS only."""

from __future__ import annotations

import pytest

from comarketing import create_app
from tests.factories import login


@pytest.mark.parametrize("path", ["/login", "/password/forgot", "/nothing-here"])
def test_html_pages_carry_the_policy(client, path):
    response = client.get(path)
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_json_answers_are_not_sniffed(client):
    response = client.get("/api/v1/partners")
    assert response.status_code == 401
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_hsts_only_when_enabled(client, tmp_path):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    https_only = create_app(
        "testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'x.sqlite3'}", HSTS_ENABLED=True
    )
    headers = https_only.test_client().get("/healthz").headers
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_session_cookie_is_http_only_and_same_site(client, make):
    login(client, make.user())
    cookie = client.get_cookie("session")
    assert cookie is not None
    assert cookie.http_only
    assert cookie.same_site == "Lax"
