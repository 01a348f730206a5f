"""The test suite: CSRF off by default (tests that check it turn it on), cheap hashing."""

from config.base import BaseConfig


class TestingConfig(BaseConfig):
    ENV = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret-key"  # noqa: S105 - only ever used by the test suite
    WTF_CSRF_ENABLED = False
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105 - an algorithm name
    RATELIMIT_ENABLED = False
    LOGIN_LOCKOUT = None  # tests that check it turn it on (one shared app, many wrong passwords)
    BASE_URL = "http://go.test"
