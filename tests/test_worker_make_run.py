"""What ``make run`` starts (the ``Procfile``, run by honcho): the web app and the worker. A
newcomer registers for a webinar on its public page and, logged in as a manager, finds the
confirmation e-mail on ``/settings/integrations/mail`` within a minute; Ctrl-C stops both."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

import flask_migrate
import pytest
import time_machine

from comarketing import create_app
from comarketing.core.auth import Role
from comarketing.core.time import utcnow
from comarketing.extensions import db
from tests.factories import PASSWORD, Factory
from tests.live import free_port
from tests.test_worker_two_instances import wait_for

ROOT = Path(__file__).resolve().parent.parent
HONCHO = ROOT / ".venv" / "bin" / "honcho"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def prepare(url: str, instance: Path) -> tuple[str, str]:
    """The schema, a webinar in a week (on any clock the suite runs under: the processes
    honcho starts read the real one) and a manager; returns the webinar's slug and the
    manager's e-mail."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, SQLALCHEMY_ENGINE_OPTIONS={})
    app.instance_path = str(instance)
    with app.app_context():
        flask_migrate.upgrade()
        make = Factory()
        starts_at = max(utcnow(), real_now()) + timedelta(days=7)
        webinar = make.webinar(title="Коллтрекинг для новичков", starts_at=starts_at)
        manager = make.user(Role.MANAGER)
        slug, email = webinar.slug, manager.email
        db.session.remove()
        db.engine.dispose()
    return slug, email


def real_now() -> datetime:
    """The wall clock, also while the suite runs on another one (``--clock``)."""
    if time_machine.escape_hatch.is_travelling():
        return time_machine.escape_hatch.datetime.datetime.now(UTC)
    return datetime.now(UTC)


class Browser:
    """Cookies and CSRF tokens, as a person's browser keeps them."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=10) as answer:
            return str(answer.read().decode())

    def post_form(self, path: str, fields: dict[str, str]) -> str:
        match = CSRF.search(self.get(path))
        assert match, f"no CSRF token on {path}"
        body = urlencode({"csrf_token": match[1], **fields}).encode()
        with self.opener.open(self.base + path, body, timeout=10) as answer:
            return str(answer.url)


@pytest.mark.skipif(not HONCHO.exists(), reason="the Procfile runs .venv/bin/flask: no .venv here")
def test_make_run_serves_the_app_and_the_worker_sends_the_confirmation(tmp_path):
    url = f"sqlite:///{tmp_path / 'app.sqlite3'}"
    instance = tmp_path / "instance"
    slug, manager = prepare(url, instance)
    port = free_port()
    env = {
        **os.environ,
        "COMARKETING_ENV": "development",
        "DATABASE_URL": url,
        "COMARKETING_INSTANCE_PATH": str(instance),
    }
    env.pop("TEST_DATABASE_URL", None)
    env.pop("SMTP_URL", None)
    env.pop("COMARKETING_SMTP_URL", None)
    output = tmp_path / "honcho.out"
    with output.open("wb") as sink:
        honcho = subprocess.Popen(
            [str(HONCHO), "--no-colour", "--procfile", "Procfile", "start", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        browser = Browser(f"http://127.0.0.1:{port}")

        def answers() -> bool:
            try:
                browser.get("/healthz")
                return True
            except OSError:
                return False

        wait_for(answers, 40, "the web app")
        registered = browser.post_form(
            f"/w/{slug}",
            {"email": "newcomer@client.example", "name": "Новичок", "consent": "y"},
        )
        assert registered.endswith(f"/w/{slug}/registered")
        sent = time.monotonic()
        staff = Browser(browser.base)
        assert staff.post_form("/login", {"email": manager, "password": PASSWORD}).endswith("/")
        wait_for(
            lambda: "newcomer@client.example" in staff.get("/settings/integrations/mail"),
            60,
            "the confirmation e-mail on the sent-mail page",
        )
        seen_after = time.monotonic() - sent
        page = staff.get("/settings/integrations/mail")
        assert "Коллтрекинг для новичков" in page
        assert 'href="/settings/integrations/mail"' in staff.get("/settings/integrations")
    finally:
        honcho.send_signal(signal.SIGINT)  # Ctrl-C
        honcho.wait(timeout=30)
    log = output.read_text(encoding="utf-8")
    assert seen_after < 60
    assert "e-mail to newcomer@client.example" in log  # the worker's log has it too
    assert "worker.1 | Worker stopped." in log
    assert "web.1 stopped" in log
    assert "worker.1 stopped" in log
