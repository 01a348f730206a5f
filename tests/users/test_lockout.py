"""Login limits: per account, failed passwords lock it for a while (even the right password
is refused), shared by every worker through Redis; per IP, login posts are rate limited."""

from __future__ import annotations

import uuid

import pytest
import redis

from comarketing import create_app
from comarketing.core.auth import Role
from comarketing.users import lockout
from tests.factories import PASSWORD

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def locking(app):
    app.config["LOGIN_LOCKOUT"] = "3 per 15 minutes"
    try:
        yield
    finally:
        app.config["LOGIN_LOCKOUT"] = None
        lockout.reset()


def attempt(client, email, password):
    return client.post("/login", data={"email": email, "password": password})


def test_failed_passwords_lock_the_account(client, make, locking):
    user, other = make.user(Role.MARKETER), make.user(Role.MARKETER)
    for _ in range(3):
        assert attempt(client, user.email, "wrong-password").status_code == 200
    locked = attempt(client, user.email, PASSWORD)
    assert locked.status_code == 429
    assert "locked" in locked.text or "заблокирована" in locked.text
    assert client.get("/").status_code == 302  # still not logged in
    assert attempt(client, other.email, PASSWORD).status_code == 302  # others are not locked


def test_the_window_passing_unlocks_and_a_success_starts_afresh(client, make, locking):
    user = make.user(Role.MARKETER)
    for _ in range(3):
        attempt(client, user.email.upper(), "wrong-password")  # the address in any case
    assert attempt(client, user.email, PASSWORD).status_code == 429
    lockout.reset()  # the 15 minutes have passed
    assert attempt(client, user.email, PASSWORD).status_code == 302
    client.post("/logout", data={})
    for _ in range(2):
        attempt(client, user.email, "wrong-password")
    assert attempt(client, user.email, PASSWORD).status_code == 302


def worker(prefix: str):
    """One gunicorn worker's app: its own process memory, the shared Redis."""
    return create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI="sqlite://",
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI=REDIS_URL,
        RATELIMIT_KEY_PREFIX=prefix,
        LOGIN_LOCKOUT="3 per 15 minutes",
    )


@pytest.fixture
def redis_prefix():
    prefix = f"test-{uuid.uuid4().hex}"
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)
    client.close()


def test_workers_share_the_lockout_through_redis(redis_prefix):
    first, second = worker(redis_prefix), worker(redis_prefix)
    with first.app_context():
        for _ in range(3):
            lockout.record_failure("olga@gamma.example")
        assert lockout.is_locked("olga@gamma.example")
    with second.app_context():
        assert lockout.is_locked("OLGA@gamma.example")
        assert not lockout.is_locked("someone@else.example")


def test_login_posts_are_rate_limited_per_address(redis_prefix):
    app = worker(redis_prefix)
    app.config["LOGIN_RATE_LIMIT"] = "2 per minute"
    client = app.test_client()
    statuses = [
        client.post("/login", data={"email": "x@example.com"}).status_code for _ in range(3)
    ]
    assert statuses[:2] == [200, 200]  # the form again (no password given)
    assert statuses[2] == 429


def test_without_redis_each_worker_counts_alone():
    """The control: memory storage is per process, which is why production needs Redis."""
    first, second = (
        create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://", LOGIN_LOCKOUT="3 per 15 minutes")
        for _ in range(2)
    )
    with first.app_context():
        for _ in range(3):
            lockout.record_failure("olga@gamma.example")
        assert lockout.is_locked("olga@gamma.example")
    with second.app_context():
        assert not lockout.is_locked("olga@gamma.example")
