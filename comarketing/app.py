"""The application factory: config → extensions → blueprints → errors → CLI."""

from __future__ import annotations

import importlib
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, has_request_context, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from config import BaseConfig, get_config

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(
    config: str | type[BaseConfig] | Mapping[str, Any] | None = None, **overrides: Any
) -> Flask:
    """Build the app. ``config`` is an environment name, a config class, or a mapping of
    overrides on top of the environment's class (``COMARKETING_ENV``, default development)."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("COMARKETING_INSTANCE_PATH") or str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    configure(app, config, overrides)
    init_extensions(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_security_headers(app)
    register_input_guard(app)
    register_template_helpers(app)
    register_outbox(app)
    register_subscribers(app)
    register_cli(app)
    trust_proxies(app)
    return app


def configure(
    app: Flask,
    config: str | type[BaseConfig] | Mapping[str, Any] | None,
    overrides: Mapping[str, Any],
) -> None:
    """Layer the configuration: class defaults, environment variables, then explicit overrides."""
    mapping: Mapping[str, Any] = {}
    if isinstance(config, Mapping):
        mapping, config = config, None
    if config is None or isinstance(config, str):
        config = get_config(config or os.environ.get("COMARKETING_ENV") or "development")
    app.config.from_object(config)
    app.config.from_prefixed_env("COMARKETING")
    for key in ("DATABASE_URL", "SECRET_KEY"):
        if os.environ.get(key):
            app.config["SQLALCHEMY_DATABASE_URI" if key == "DATABASE_URL" else key] = os.environ[
                key
            ]
    app.config.update(mapping)
    app.config.update(overrides)

    production = app.config["ENV"] == "production"
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        if production:
            raise RuntimeError("DATABASE_URL must be set in production")
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = (
            f"sqlite:///{Path(app.instance_path) / 'comarketing.sqlite3'}"
        )
    if production and not app.config.get("SMTP_URL") and not app.config["EMAIL_DISABLED"]:
        raise RuntimeError(
            "COMARKETING_SMTP_URL must be set in production (or COMARKETING_EMAIL_DISABLED=true "
            "to run without e-mail: invitations and webinar e-mails then only reach the log)"
        )
    if not app.config.get("SECRET_KEY"):
        if production:
            raise RuntimeError("SECRET_KEY must be set in production")
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.instance_path))
    app.config["BASE_URL"] = str(app.config["BASE_URL"]).rstrip("/")


def instance_secret_key(instance_path: Path) -> str:
    """A development secret generated once into ``instance/secret_key`` (kept across runs so
    that sessions survive a restart)."""
    instance_path.mkdir(parents=True, exist_ok=True)
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def init_extensions(app: Flask) -> None:
    from comarketing import models  # noqa: F401 - the metadata must know every table
    from comarketing.core.db import tune_sqlite
    from comarketing.extensions import api, babel, bootstrap, csrf, db, limiter, login_manager
    from comarketing.extensions import migrate as migrate_ext

    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            tune_sqlite(engine)
    migrate_ext.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    bootstrap.init_app(app)
    limiter.init_app(app)
    api.init_app(app)

    login_manager.init_app(app)
    login_manager.login_view = "users.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(session_token: str) -> Any:
        from comarketing.users.services import user_by_session_token

        return user_by_session_token(session_token)


def select_locale() -> str | None:
    """The user's chosen language, else the session's, else the browser's (ru before en)."""
    from flask import current_app

    languages: list[str] = current_app.config["LANGUAGES"]
    if not has_request_context():
        # The command line speaks English, like its --help; e-mails choose their own language.
        return "en"
    if not request.path.startswith("/api/"):
        if current_user.is_authenticated and current_user.locale in languages:
            return str(current_user.locale)
        if session.get("locale") in languages:
            return str(session["locale"])
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


# Modules whose ``bp`` is a page blueprint, imported only here (never at package import).
BLUEPRINT_MODULES = (
    "comarketing.users.views",
    "comarketing.users.settings",
    "comarketing.dashboard.views",
    "comarketing.partners.views",
    "comarketing.portal.views",
    "comarketing.webinars.public",
    "comarketing.webinars.views",
    "comarketing.campaigns.views",
    "comarketing.leads.views",
    "comarketing.leads.queue",  # managers' queue: deal registrations and flags
    "comarketing.commissions.views",
    "comarketing.links.views",
    "comarketing.links.redirect",  # GET /r/<code>: installs its own WSGI fast path
    "comarketing.integrations.views",
    "comarketing.integrations.hooks",  # POST /hooks/…: the CRMs' events
    "comarketing.calls.dni_views",  # /dni.js and /dni/number for landing pages
    "comarketing.calls.views",  # /calls: the pool, the numbers, recent calls
    "comarketing.reports.views",
    "comarketing.mdf.views",
    "comarketing.goals.views",
    "comarketing.goals.plans_views",  # joint business plans that fall behind
)


def register_blueprints(app: Flask) -> None:
    from comarketing.api import register_api
    from comarketing.core.converters import IdConverter

    app.url_map.converters["int"] = IdConverter  # before any route is added

    for module_name in BLUEPRINT_MODULES:
        app.register_blueprint(importlib.import_module(module_name).bp)
    register_api(app)


def register_error_handlers(app: Flask) -> None:
    from comarketing.core.errors import register_error_handlers as register

    register(app)


def register_security_headers(app: Flask) -> None:
    from comarketing.core.security import register_security_headers as register

    register(app)


def register_input_guard(app: Flask) -> None:
    from comarketing.core.input_guard import register_input_guard as register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from comarketing.layout import register_layout

    register_layout(app)


def trust_proxies(app: Flask) -> None:
    """Behind ``TRUSTED_PROXY_COUNT`` reverse proxies the client is the one they name: rate
    limits, lock-outs and click addresses key on it. Outermost, so every layer sees it."""
    count = int(app.config["TRUSTED_PROXY_COUNT"])
    if count > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]


def register_outbox(app: Flask) -> None:
    """Who delivers each outbox channel, who renders each family of e-mails, and what
    ``flask worker`` runs on a schedule (intervals in seconds; the defaults of keys that
    config/ does not name are given here)."""
    from comarketing.commissions.services import approve_due
    from comarketing.core.jobs import Job, job_registry
    from comarketing.core.jobs.housekeeping import purge_idempotency_keys
    from comarketing.core.outbox import OutboxChannel, outbox_registry
    from comarketing.core.outbox.email import send_email
    from comarketing.integrations.channel import send as send_integrations
    from comarketing.integrations.inbound.sync import periodic_sync
    from comarketing.leads.services.registrations import record_attendance
    from comarketing.reports.credit_days import refresh as refresh_report_days
    from comarketing.reports.rollup import roll_up_clicks
    from comarketing.tiers.cli import periodic_evaluation
    from comarketing.tiers.emails import render as render_tier_email
    from comarketing.users.emails import render as render_user_email
    from comarketing.webinars.consents import WITHDRAWAL_LINK
    from comarketing.webinars.emails import render as render_webinar_email
    from comarketing.webinars.platforms.sync import periodic_sync as pull_attendance
    from comarketing.webinars.platforms.sync import use_recorder

    outbox = outbox_registry(app)
    outbox.senders[OutboxChannel.EMAIL] = send_email
    outbox.senders[OutboxChannel.CRM] = send_integrations
    outbox.renderers["webinar."] = render_webinar_email
    outbox.secret_links.append(WITHDRAWAL_LINK)
    outbox.renderers["user."] = render_user_email
    outbox.renderers["tier."] = render_tier_email
    use_recorder(app, record_attendance)
    # Webinar reminders need no job: they are outbox messages due 24 h and 1 h before. Month
    # closing (commissions close-month) stays a manager's call, made once the month's payments
    # are in; scheduling it would close a month before late payments are imported.
    jobs = job_registry(app)
    jobs.add(Job("crm sync", "CRM_SYNC_INTERVAL", periodic_sync))
    jobs.add(Job("tiers evaluate", "TIER_EVALUATE_INTERVAL", periodic_evaluation))
    jobs.add(Job("webinars sync", "WEBINAR_SYNC_INTERVAL", pull_attendance))
    jobs.add(
        Job(
            "clicks roll up",
            "CLICK_ROLLUP_INTERVAL",
            lambda: f"clicks rolled up to {roll_up_clicks() or 'no click yet'}",
            default_interval=60,  # a report rolls up itself past 30 s: it finds little to do
        )
    )
    jobs.add(
        Job(
            "commissions approve",
            "COMMISSION_APPROVE_INTERVAL",
            lambda: f"{approve_due()} commission line(s) approved",
            default_interval=86400,
        )
    )
    jobs.add(Job("idempotency purge", "IDEMPOTENCY_PURGE_INTERVAL", purge_idempotency_keys, 3600))
    jobs.add(
        Job(
            "reports roll up",
            "REPORT_ROLLUP_INTERVAL",
            lambda: f"{len(refresh_report_days())} day(s) of the report rollups rebuilt",
            default_interval=300,
        )
    )


def register_subscribers(app: Flask) -> None:
    """Where an event of a lower package makes a higher one act (a new lead → its credits and
    its CRM pushes), the higher one subscribes here; the lower one never imports it."""
    from comarketing.attribution.subscribers import subscribe as attribution
    from comarketing.calls.subscribers import subscribe as calls
    from comarketing.integrations.subscribers import subscribe as integrations
    from comarketing.links.subscribers import subscribe as links

    for subscribe in (links, attribution, calls, integrations):
        subscribe()


def register_cli(app: Flask) -> None:
    from comarketing.calls.cli import calls_cli
    from comarketing.commissions.cli import commissions_cli, payments_cli
    from comarketing.core.jobs.cli import worker_cli
    from comarketing.core.outbox.cli import outbox_cli
    from comarketing.demo.cli import demo_command
    from comarketing.integrations.cli import crm_cli
    from comarketing.leads.cli import leads_cli
    from comarketing.spend.cli import spend_cli
    from comarketing.tiers.cli import tiers_cli
    from comarketing.users.cli import tokens_cli, users_cli
    from comarketing.webinars.cli import webinars_cli

    for command in (
        users_cli,
        tokens_cli,
        demo_command,
        spend_cli,
        outbox_cli,
        worker_cli,
        crm_cli,
        leads_cli,
        payments_cli,
        commissions_cli,
        tiers_cli,
        calls_cli,
        webinars_cli,
    ):
        app.cli.add_command(command)

    @app.shell_context_processor
    def shell_context() -> dict[str, Any]:
        from comarketing import models
        from comarketing.extensions import db

        return {"db": db, **{name: getattr(models, name) for name in models.__all__}}
