"""Defaults shared by every environment.

Any key can be overridden with a ``COMARKETING_<KEY>`` environment variable (JSON-parsed by
Flask's ``from_prefixed_env``); ``DATABASE_URL`` and ``SECRET_KEY`` are read unprefixed too.
"""

from datetime import timedelta
from decimal import Decimal


class BaseConfig:
    ENV = "development"

    # None: ``create_app`` falls back to ``DATABASE_URL`` or the SQLite file in ``instance/``.
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SECRET_KEY: str | None = None

    # Public origin of short links (``<BASE_URL>/r/<code>``) and of links in e-mails and feeds.
    BASE_URL = "http://127.0.0.1:5000"

    # i18n: the users read Russian first; times are stored in UTC and shown in this zone
    # unless a webinar or a user says otherwise.
    LANGUAGES = ["ru", "en"]
    BABEL_DEFAULT_LOCALE = "ru"
    BABEL_DEFAULT_TIMEZONE = "Europe/Moscow"

    BOOTSTRAP_SERVE_LOCAL = True
    BOOTSTRAP_BOOTSWATCH_THEME = None

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    HSTS_ENABLED = False  # Strict-Transport-Security; production (HTTPS only) turns it on
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024  # bytes; CSV uploads are the biggest bodies

    # werkzeug.security method; tests use a cheaper one.
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 - an algorithm name

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    RATELIMIT_STORAGE_URI = "memory://"
    LOGIN_RATE_LIMIT = "30 per minute"  # login posts per IP address
    LOGIN_LOCKOUT: str | None = "5 per 15 minutes"  # failed passwords per account; None: off
    RATELIMIT_HEADERS_ENABLED = True

    # JSON API / OpenAPI (flask-smorest)
    API_TITLE = "comarketing"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api"
    OPENAPI_JSON_PATH = "openapi.json"
    API_PAGE_DEFAULT = 50
    API_PAGE_MAX = 500
    IDEMPOTENCY_KEEP_HOURS = 24  # an Idempotency-Key's answer is replayed this long, then purged

    # Business rules (contract §4, §6); days unless said otherwise.
    DEFAULT_COMMISSION_RATE = "0.50"
    LOOKBACK_DAYS = 90
    OWNERSHIP_PROTECTION_DAYS = 90
    TIME_DECAY_HALF_LIFE_DAYS = 7
    COMMISSION_HOLD_DAYS = 30
    # Where a partner's MDF landing page and a webinar's join and recording links may point
    # (a host on one of these domains or the domain itself); empty: any checked http(s) URL.
    MDF_LANDING_DOMAINS: list[str] = []
    WEBINAR_LINK_DOMAINS: list[str] = []
    # How a click's commit on PostgreSQL waits (``SET synchronous_commit`` on the connection
    # that only writes clicks; SQLite ignores it). "on": the 302 leaves once the click is on
    # disk, nothing is lost even if the database server crashes. "off": once the server has
    # the click (a killed app worker still loses none), 2-4x the pace on a busy disk, but a
    # crash of the PostgreSQL server itself may lose the last ~0.6 s of clicks
    # (3 x wal_writer_delay). See README "The redirect".
    CLICK_SYNCHRONOUS_COMMIT = "on"
    CLICK_FLOOD_PER_DAY = 20  # human clicks on a link from one address a UTC day that count
    MAX_PERIOD_DAYS = 3660  # the longest period figures are shown for, and how far from today
    WEBINARS_PER_MONTH_TARGET = [2, 3]  # the joint-webinar rhythm the calendar checks against
    MDF_REIMBURSEMENT_SHARE = Decimal("0.50")  # the most of a cost the vendor funds
    MDF_MIN_LEAD_RETURN = Decimal("0.50")  # share of planned leads that must come back

    # Outbox: seconds between delivery attempts; after the last one a message is dead.
    OUTBOX_RETRY_DELAYS = [60, 300, 1800, 7200, 21600, 43200, 86400]
    OUTBOX_LEASE_SECONDS = 300  # a message being sent is not picked up by another worker
    OUTBOUND_TIMEOUT = 10  # seconds per outbound HTTP request
    OUTBOUND_ALLOW_PRIVATE = True

    SMTP_URL: str | None = None  # e.g. smtp://user:pass@host:587; None: e-mails go to the log
    # Public registration pages: per client address, and per webinar (a flood from many
    # addresses), in Flask-Limiter's notation.
    REGISTRATION_RATE_LIMIT = "10/minute;60/hour"
    REGISTRATION_WEBINAR_LIMIT = "600/hour"
    # Tiers (contract §11): a partner below its tier's criteria keeps it this many days; the
    # worker evaluates tiers every TIER_EVALUATE_INTERVAL seconds (daily).
    TIER_GRACE_DAYS = 90
    TIER_EVALUATE_INTERVAL = 86400
    # Calls (contract §10): an answered call this long (seconds) or longer is a lead.
    CALL_MIN_SECONDS = 30
    # Dynamic number insertion: a pool number stays with a click this long after its last
    # request; /dni/number requests per client address.
    DNI_HOLD_MINUTES = 30
    DNI_RATE_LIMIT = "120/minute"
    # CRM events per client address (a busy portal sends a burst when a pipeline is moved).
    CRM_HOOK_RATE_LIMIT = "600/minute"
    # Seconds between two ``crm sync`` runs of the ``outbox deliver`` worker: webhooks that
    # never arrived are caught up within this time.
    CRM_SYNC_INTERVAL = 1800
    # Webinar platforms (contract §12): API tokens and base URLs; the worker pulls attendance
    # every WEBINAR_SYNC_INTERVAL seconds from webinars that ended WEBINAR_SYNC_DELAY_MINUTES
    # (the platform's report is ready) to a day ago.
    ZOOM_TOKEN: str | None = None
    ZOOM_API_URL = "https://api.zoom.us/v2"
    MTS_LINK_TOKEN: str | None = None
    MTS_LINK_API_URL = "https://userapi.webinar.ru/v3"
    WEBINAR_SYNC_INTERVAL = 900
    WEBINAR_SYNC_DELAY_MINUTES = 30
    # Production refuses to start without SMTP_URL unless e-mail is switched off on purpose.
    EMAIL_DISABLED = False
    # Reverse proxies in front of the app (X-Forwarded-For/-Proto are trusted from this many
    # hops); 0: none, the peer address is the client's.
    TRUSTED_PROXY_COUNT = 0
    MAIL_FROM = "comarketing <no-reply@comarketing.local>"
