"""Production: PostgreSQL, secrets from the environment, secure cookies, no private targets."""

from config.base import BaseConfig


class ProductionConfig(BaseConfig):
    ENV = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    HSTS_ENABLED = True  # served over HTTPS only: browsers must never try plain HTTP
    OUTBOUND_ALLOW_PRIVATE = False
    # Several gunicorn workers must share counters; set COMARKETING_RATELIMIT_STORAGE_URI to a
    # redis:// URL in production.
