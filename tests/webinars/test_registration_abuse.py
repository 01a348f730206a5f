"""The public registration page against abuse (issue 17): a hidden trap field that people never
fill, and limits per client address and per webinar (a flood from many addresses)."""

from __future__ import annotations

from datetime import timedelta

import requests
from sqlalchemy import func, select

from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.webinars.models import Registration
from tests.factories import Factory
from tests.live import live_server


def form(email: str, **extra: str) -> dict[str, str]:
    return {"email": email, "name": "Гость", "consent": "y", **extra}


def test_a_filled_trap_looks_registered_and_writes_nothing(client, make):
    webinar = make.webinar()
    answer = client.post(f"/w/{webinar.slug}", data=form("bot@spam.example", website="http://x"))
    assert answer.status_code == 302
    assert answer.location.endswith(f"/w/{webinar.slug}/registered")
    assert db.session.scalar(select(func.count(Registration.id))) == 0
    people = client.post(f"/w/{webinar.slug}", data=form("person@client.example"))
    assert people.status_code == 302
    assert db.session.scalar(select(func.count(Registration.id))) == 1


def test_registrations_are_limited_per_address_and_per_webinar(tmp_path):
    config = {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "REGISTRATION_RATE_LIMIT": "2/minute",
        "REGISTRATION_WEBINAR_LIMIT": "4/hour",
        "TRUSTED_PROXY_COUNT": 1,  # the test speaks as many clients through X-Forwarded-For
        "WTF_CSRF_ENABLED": False,
    }
    with live_server(tmp_path, **config) as live:
        with live.app.app_context():
            make = Factory()
            starts = utcnow() + timedelta(days=7)
            busy, other = make.webinar(starts_at=starts), make.webinar(starts_at=starts)
            busy_url, other_url = f"{live.url}/w/{busy.slug}", f"{live.url}/w/{other.slug}"

        def post(url: str, address: str, email: str) -> int:
            answer = requests.post(
                url,
                data=form(email),
                headers={"X-Forwarded-For": address},
                allow_redirects=False,
                timeout=30,
            )
            return answer.status_code

        # One address: two a minute, then 429.
        assert [post(busy_url, "203.0.113.1", f"a{n}@client.example") for n in range(3)] == [
            302,
            302,
            429,
        ]
        # Many addresses on one webinar: four an hour in all, then 429; another webinar goes on.
        assert post(busy_url, "203.0.113.2", "b@client.example") == 302
        assert post(busy_url, "203.0.113.3", "c@client.example") == 302
        assert post(busy_url, "203.0.113.4", "d@client.example") == 429
        assert post(other_url, "203.0.113.5", "e@client.example") == 302
