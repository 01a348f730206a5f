"""Login lock-out per account: after ``LOGIN_LOCKOUT`` failed passwords (e.g. "5 per 15
minutes") the account refuses every password until the window passes, whoever tries. Counted
in the storage of ``RATELIMIT_STORAGE_URI``, so with a ``redis://`` URL every gunicorn worker
sees the same count. The per-IP limit is the login view's own rate limit."""

from __future__ import annotations

import hashlib

from flask import current_app
from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

NAMESPACE = "login-account"


def _counter() -> FixedWindowRateLimiter:
    """This app's counter of failures, on the rate limiter's storage (made on first use)."""
    counter = current_app.extensions.get("login_lockout")
    if counter is None:
        storage = storage_from_string(current_app.config["RATELIMIT_STORAGE_URI"])
        counter = current_app.extensions["login_lockout"] = FixedWindowRateLimiter(storage)
    return counter


def _limit() -> RateLimitItem | None:
    rule = current_app.config.get("LOGIN_LOCKOUT")
    return parse(rule) if rule else None


def _key(email: str) -> str:
    """The account's counter key: a hash, so storage never holds the address itself."""
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX", "")
    return prefix + hashlib.sha256(email.strip().lower().encode()).hexdigest()


def is_locked(email: str) -> bool:
    limit = _limit()
    return limit is not None and not _counter().test(limit, NAMESPACE, _key(email))


def record_failure(email: str) -> None:
    limit = _limit()
    if limit is not None:
        _counter().hit(limit, NAMESPACE, _key(email))


def reset() -> None:
    """Forget every account's failures (tests: the window has passed)."""
    _counter().storage.reset()


def clear(email: str) -> None:
    """Forget the failures of an account (after a successful login or a new password)."""
    limit = _limit()
    if limit is not None:
        _counter().clear(limit, NAMESPACE, _key(email))
