"""The app factory and configuration layering."""

import pytest
from flask import request

from comarketing import create_app


def test_testing_config(app):
    assert app.testing
    assert app.config["ENV"] == "testing"


def test_environment_overlays_config(monkeypatch, tmp_path):
    monkeypatch.setenv("COMARKETING_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("COMARKETING_BASE_URL", "https://go.vendor.example/")
    monkeypatch.setenv("COMARKETING_OUTBOX_RETRY_DELAYS", "[60, 300]")
    app = create_app("development")
    assert app.config["BASE_URL"] == "https://go.vendor.example"
    assert app.config["OUTBOX_RETRY_DELAYS"] == [60, 300]
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'comarketing.sqlite3'}"


def test_development_secret_is_generated_once(monkeypatch, tmp_path):
    monkeypatch.setenv("COMARKETING_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = create_app("development").config["SECRET_KEY"]
    second = create_app("development").config["SECRET_KEY"]
    assert first == second
    assert len(first) >= 32
    assert (tmp_path / "secret_key").read_text() == first


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "COMARKETING_SMTP_URL"])
def test_production_refuses_to_start_without_secrets(monkeypatch, tmp_path, missing):
    monkeypatch.setenv("COMARKETING_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("DATABASE_URL", "sqlite:///" + str(tmp_path / "p.sqlite3"))
    monkeypatch.setenv("COMARKETING_SMTP_URL", "smtp://mail.vendor.example:587")
    monkeypatch.delenv(missing)
    with pytest.raises(RuntimeError, match=missing):
        create_app("production")


def test_production_starts_without_email_only_when_told_to(monkeypatch, tmp_path):
    monkeypatch.setenv("COMARKETING_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("DATABASE_URL", "sqlite:///" + str(tmp_path / "p.sqlite3"))
    monkeypatch.delenv("COMARKETING_SMTP_URL", raising=False)
    monkeypatch.setenv("COMARKETING_EMAIL_DISABLED", "true")
    assert create_app("production").config["EMAIL_DISABLED"] is True


def test_behind_trusted_proxies_the_client_is_the_forwarded_one(monkeypatch, tmp_path):
    monkeypatch.setenv("COMARKETING_INSTANCE_PATH", str(tmp_path))
    seen = {}
    for count in (0, 1):
        app = create_app("testing", TRUSTED_PROXY_COUNT=count)

        @app.get("/whoami")
        def whoami() -> str:
            return str(request.remote_addr)

        answer = app.test_client().get(
            "/whoami",
            headers={"X-Forwarded-For": "203.0.113.7"},
            environ_base={"REMOTE_ADDR": "10.0.0.2"},
        )
        seen[count] = answer.text
    assert seen == {0: "10.0.0.2", 1: "203.0.113.7"}


def test_unknown_environment_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown COMARKETING_ENV"):
        create_app("staging")
