"""Bearer-token authentication of the API and the checks every resource uses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app, g, request
from flask_babel import gettext as _
from flask_smorest import Blueprint
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from comarketing.core.auth import Permission, can
from comarketing.core.errors import Forbidden
from comarketing.core.replay import use_signature
from comarketing.core.signatures import HEADER as SIGNATURE_HEADER
from comarketing.core.signatures import verified_signature
from comarketing.core.time import utcnow
from comarketing.core.writes import own_transaction
from comarketing.extensions import db
from comarketing.users.accounts import record_token_use, token_use_due
from comarketing.users.models import ApiToken, TokenScope, User
from comarketing.users.services import find_api_token

F = TypeVar("F", bound=Callable[..., Any])


def api_blueprint(name: str, import_name: str, description: str) -> Blueprint:
    """A resource blueprint of ``/api/v1``: every request is token-authenticated first, then
    another partner's object in the URL is answered 404."""
    from comarketing.api.ownership import hide_foreign_objects

    blueprint = Blueprint(name, import_name, description=description)
    blueprint.before_request(authenticate_request)
    blueprint.before_request(hide_foreign_objects)
    return blueprint


def intake_allowed(view: F) -> F:
    """Mark a resource method that landing-page (``intake``-scoped) tokens may call."""
    view.intake_allowed = True  # type: ignore[attr-defined]
    return view


def calls_allowed(view: F) -> F:
    """Mark a resource method that a telephony platform's (``calls``-scoped) tokens may call."""
    view.calls_allowed = True  # type: ignore[attr-defined]
    return view


def authenticate_request() -> None:
    """Resolve ``Authorization: Bearer <token>`` to the token's user, or answer 401.

    Cookies never authenticate the API: it is exempt from CSRF because of that.
    """
    scheme, _space, value = request.headers.get("Authorization", "").partition(" ")
    token = find_api_token(value.strip()) if scheme.lower() == "bearer" else None
    if token is None:
        raise Unauthorized(www_authenticate=WWWAuthenticate("bearer"))
    if token.scope is TokenScope.INTAKE and not _view_allows("intake_allowed"):
        raise Forbidden(_("This token may only create leads and registrations."))
    if token.scope is TokenScope.CALLS and not _view_allows("calls_allowed"):
        raise Forbidden(_("This token may only post calls."))
    signature = required_signature(token.signing_secret) if token.signing_secret else None
    now = utcnow()
    if token_use_due(token, now):  # before anything of the request is written
        token_id = token.id
        with own_transaction() as session:
            record_token_use(session, token_id, now)
        token = db.session.get_one(ApiToken, token_id)
    if signature is not None and not use_signature(signature):
        raise Unauthorized(
            _("This signature was used already: sign every request anew."),
            www_authenticate=WWWAuthenticate("bearer"),
        )
    g.api_token = token
    g.api_user = token.user


def required_signature(secret: str) -> str:
    """A signed token's request must carry a fresh signature of its method, path and body,
    else 401; returns it (the caller makes sure it was never seen before)."""
    digest = verified_signature(
        secret,
        request.get_data(cache=True),
        request.headers.get(SIGNATURE_HEADER),
        method=request.method,
        path=request.path,
    )
    if digest is None:
        raise Unauthorized(
            _("Sign the method, path and body (X-Comarketing-Signature) within five minutes."),
            www_authenticate=WWWAuthenticate("bearer"),
        )
    return digest


def _view_allows(mark: str) -> bool:
    """Whether the resource method of the request carries ``mark`` (a scope it admits)."""
    view = current_app.view_functions.get(request.endpoint or "")
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        view = getattr(view_class, request.method.lower(), None)
    return bool(getattr(view, mark, False))


def actor() -> User:
    """The user the current API token acts as."""
    user: User = g.api_user
    return user


def require(permission: Permission) -> User:
    """The acting user, if the role grants ``permission``; else 403."""
    user = actor()
    if not can(user, permission):
        raise Forbidden(_("Your role does not allow this action."))
    return user
