"""Fixtures in the flaskr style, with isolation by a rolled-back transaction per test.

The schema is built once per run by the migrations (upgrade, downgrade to base, upgrade again,
so both directions are exercised). Each test then runs inside one outer transaction on one
connection that is rolled back at the end; the session works in SAVEPOINTs inside it, so a
``commit()`` in the code under test is real for the test and gone after it.

``TEST_DATABASE_URL`` (a ``postgresql+psycopg://`` URL) runs the same suite on PostgreSQL.
"""

from __future__ import annotations

import contextvars
import os
from collections.abc import Iterator
from pathlib import Path

import flask_migrate
import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from hypothesis import HealthCheck, settings
from sqlalchemy import text

from comarketing import create_app
from comarketing.extensions import db, limiter
from tests.factories import Factory

pytest_plugins = ["tests.clock"]

# Timings on a shared machine are noisy: property tests judge rules, never speed.
settings.register_profile(
    "shared-machine", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("shared-machine")


class RequestIsolatedClient(FlaskClient):
    """A test client whose requests run outside the test's own app context.

    Flask reuses an app context that is already pushed, so without this every request of a
    test would share one ``g`` (Flask-Login's cached user) and one database session. Running
    each request in an empty ``contextvars.Context`` gives it its own, as on a real server;
    the database connection (and so the test's transaction) is still the shared one.
    """

    def open(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return contextvars.Context().run(super().open, *args, **kwargs)


def _database_url(tmp_path: Path) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def _app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    tmp_path = tmp_path_factory.mktemp("comarketing")
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=_database_url(tmp_path),
        SQLALCHEMY_ENGINE_OPTIONS={},
    )
    app.instance_path = str(tmp_path / "instance")
    app.test_client_class = RequestIsolatedClient
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        flask_migrate.upgrade()
        flask_migrate.downgrade(revision="base")
        flask_migrate.upgrade()
        # Commits inside the code under test become SAVEPOINT releases (see the docstring).
        db.session.remove()
        db.session.configure(join_transaction_mode="create_savepoint")
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(_app: Flask) -> Iterator[Flask]:
    with _app.app_context():
        engines = db.engines
        engine = engines[None]
        connection = engine.connect()
        transaction = connection.begin()
        engines[None] = connection  # type: ignore[assignment]
    try:
        with _app.app_context():
            yield _app
    finally:
        with _app.app_context():
            db.session.remove()
            transaction.rollback()
            connection.close()
            db.engines[None] = engine


@pytest.fixture(autouse=True)
def _rate_limits_stay_off_after_the_test() -> Iterator[None]:
    """Flask-Limiter keeps ``enabled`` on its one shared object (one app per process in
    production): a test that builds an app with ``RATELIMIT_ENABLED`` turns it on for every
    app of the process. The suite's own app runs without limits, so switch it back off."""
    yield
    limiter.enabled = False


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def make(app: Flask) -> Factory:
    """Builders of test data: ``make.partner()``, ``make.user(role)``, ``make.token(user)``."""
    return Factory()


@pytest.fixture
def dialect(app: Flask) -> str:
    return db.engine.dialect.name
