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
# Routes that never read a session: the API (bearer tokens) and the CRMs' hooks (their token
# or the secret in the address); each has its own walk below.
CSRF_FREE = ("api_", "hooks.")
ARGS = {"kind": "svg", "token": "t" * 43, "slug": "webinar", "code": "abcdefgh", "chart_id": "x",
        "audience": "no_shows"}  # fmt: skip


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
        if rule.endpoint.startswith(CSRF_FREE):
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
        if rule.endpoint.startswith(CSRF_FREE):
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


def test_the_crm_hooks_take_nothing_from_a_session_cookie(app, client, make):
    """A hook is exempt from CSRF because a cookie opens nothing there: a logged-in admin's
    post without the CRM's token or secret is refused and writes nothing."""
    from comarketing.integrations.services import add_destination

    bitrix = add_destination("bitrix24", "https://b24.example/rest/1/k3y/")
    amo = add_destination("amocrm", "https://vendor.amocrm.ru", secret="t")
    db.session.commit()
    login(client, make.user(Role.ADMIN))
    before = row_counts()
    event = {"event": "ONCRMDEALUPDATE", "data[FIELDS][ID]": "1", "leads[status][0][id]": "1"}
    hooks = [rule for rule, _ in unsafe_rules(app) if rule.endpoint.startswith("hooks.")]
    assert len(hooks) == 2
    for rule in hooks:
        values = {"destination_id": bitrix.id if "bitrix24" in rule.rule else amo.id}
        values |= {"secret": "s" * 32} if "secret" in rule.arguments else {}
        with current_app.test_request_context():
            url = url_for(rule.endpoint, **values)
        assert client.post(url, data=event).status_code in (401, 404), rule.rule
    assert row_counts() == before


def test_every_portal_post_of_a_partner_needs_the_token(app, client, make, csrf_on):
    """The walk above is an admin's, whom the portal turns away anyway; a partner's session
    reaches the portal's views (postbacks, links, deal registration, MDF): their posts need
    the token too, and without it write nothing."""
    app.config["WTF_CSRF_ENABLED"] = False  # log in first, then turn it on
    login(client, make.user(Role.PARTNER, partner=make.partner()))
    app.config["WTF_CSRF_ENABLED"] = True
    before = row_counts()
    unprotected = []
    walked = 0
    for rule, methods in unsafe_rules(app):
        if not rule.endpoint.startswith("portal."):
            continue
        for method in methods:
            data = {"name": "x", "url": "https://hooks.example/x", "events": "lead.created"}
            response = client.open(url_of(rule), method=method, data=data)
            walked += 1
            if response.status_code != 400:
                unprotected.append(f"{method} {rule.rule} → {response.status_code}")
    assert not unprotected, unprotected
    assert walked >= 5
    assert row_counts() == before
