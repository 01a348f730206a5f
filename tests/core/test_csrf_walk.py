"""CSRF on every cookie-authenticated state change, walked over all routes (a new route
cannot escape): a form post without the token is refused (400) and writes nothing; the JSON
API ignores cookies altogether, so a cross-site post there has no session to ride on."""

from __future__ import annotations

import pytest
from flask import current_app, url_for
from sqlalchemy import func, select

import comarketing.models  # noqa: F401 - every table in the metadata
from comarketing.core.auth import Role
from comarketing.extensions import db
from tests.factories import login

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# Values for URL arguments; the ids need not exist: CSRF is checked before the view runs.
ARGS = {"kind": "svg", "token": "t" * 43, "slug": "webinar", "code": "abcdefgh", "chart_id": "x"}


def unsafe_rules(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        methods = sorted((rule.methods or set()) & UNSAFE)
        if methods:
            yield rule, methods


def url_of(rule) -> str:
    values = {name: ARGS.get(name, 1) for name in rule.arguments}
    with current_app.test_request_context():
        return url_for(rule.endpoint, **values)


def row_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table)) or 0
        for table in db.metadata.sorted_tables
    }


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        yield
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_every_form_post_needs_the_token(app, client, make, csrf_on):
    app.config["WTF_CSRF_ENABLED"] = False  # log in first, then turn it on
    login(client, make.user(Role.ADMIN))
    app.config["WTF_CSRF_ENABLED"] = True
    before = row_counts()
    unprotected = []
    walked = 0
    for rule, methods in unsafe_rules(app):
        if rule.endpoint.startswith("api_"):
            continue
        for method in methods:
            response = client.open(url_of(rule), method=method, data={"name": "x"})
            walked += 1
            if response.status_code != 400:
                unprotected.append(f"{method} {rule.rule} → {response.status_code}")
    assert not unprotected, unprotected
    assert walked > 20
    assert row_counts() == before
    # The refusals were CSRF's: without the check, no route answers these posts with 400.
    app.config["WTF_CSRF_ENABLED"] = False
    other_400 = []
    for rule, methods in unsafe_rules(app):
        if rule.endpoint.startswith("api_"):
            continue
        for method in methods:
            if client.open(url_of(rule), method=method, data={"name": "x"}).status_code == 400:
                other_400.append(f"{method} {rule.rule}")
    assert not other_400, other_400


def test_the_api_does_not_take_a_session_cookie(app, client, make):
    login(client, make.user(Role.ADMIN))
    before = row_counts()
    for rule, methods in unsafe_rules(app):
        if not rule.endpoint.startswith("api_"):
            continue
        for method in methods:
            response = client.open(url_of(rule), method=method, json={"name": "x"})
            assert response.status_code == 401, f"{method} {rule.rule}"
    assert row_counts() == before
