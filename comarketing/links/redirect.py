"""``GET /r/<code>``: the public hot path from a partner's short link to the landing page.

One request: look the code up (cached), classify the user agent (cached), write one click row
(committed before the answer), set ``cm_vid``, answer 302 to the stored tagged URL plus
``cmclid``. Nothing in the request can change the target.

Known codes are answered by ``RedirectMiddleware`` in front of Flask's request handling: no
request context, so no session, no user, no locale selector, no rate-limiter bookkeeping, no
template, no ORM and not even an app context (the click store holds the engines). That is
most of the cost of a request in this app (see the README's benchmarks). Everything else
under ``/r/`` (an unknown code, another method) goes on to the ``follow`` view, which answers
the same way and renders the 404 page; the session is not opened there either
(``SessionlessPaths``).
"""

from __future__ import annotations

import html
import re
import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from flask import Blueprint, Flask, Request, current_app, request
from flask.blueprints import BlueprintSetupState
from flask.sessions import SecureCookieSession, SessionInterface, SessionMixin
from flask.wrappers import Response as FlaskResponse
from flask_babel import force_locale
from werkzeug.wrappers import Response

from comarketing.core.time import utcnow
from comarketing.extensions import limiter
from comarketing.links.bots import crawler_list_pattern, is_bot_request
from comarketing.links.clickid import encode_click_id
from comarketing.links.clicks import ClickRow, checked_commit_mode, click_store
from comarketing.links.models import Click

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

PREFIX = "/r/"
VISITOR_COOKIE = "cm_vid"
VISITOR_COOKIE_MAX_AGE = 400 * 24 * 3600  # seconds: the longest browsers keep a cookie
CODE_PATTERN = re.compile(r"/r/([A-Za-z0-9_-]{1,16})")
VISITOR_PATTERN = re.compile(r"(?:^|;)\s*cm_vid=([0-9a-f]{32})\s*(?:;|$)")

USER_AGENT_LENGTH: int = Click.__table__.c.user_agent.type.length  # type: ignore[attr-defined]
REFERRER_LENGTH: int = Click.__table__.c.referrer.type.length  # type: ignore[attr-defined]

Answer = tuple[str, list[tuple[str, str]], bytes]


def answer_click(app: Flask, environ: WSGIEnvironment) -> Answer | None:
    """Record the click of a ``GET``/``HEAD /r/<code>`` and build the 302 (status, headers,
    body); None when the path holds no known code. Needs no app context (the click store
    holds the app's engines), so the middleware pushes none."""
    match = CODE_PATTERN.fullmatch(environ.get("PATH_INFO", ""))
    store = click_store(app)
    target = store.target(match.group(1)) if match else None
    if match is None or target is None:
        return None
    user_agent = environ.get("HTTP_USER_AGENT", "")[:USER_AGENT_LENGTH]
    cookie = VISITOR_PATTERN.search(environ.get("HTTP_COOKIE", ""))
    visitor_id = cookie.group(1) if cookie else secrets.token_hex(16)
    referrer = environ.get("HTTP_REFERER")
    click_id = store.record(
        match.group(1),
        ClickRow(
            link_id=target.link_id,
            clicked_at=utcnow(),
            visitor_id=visitor_id,
            is_bot=is_bot_request(environ.get("REQUEST_METHOD", "GET"), user_agent),
            via_qr="qr=1" in environ.get("QUERY_STRING", "").split("&"),
            ip_hash=store.hash_ip(environ.get("REMOTE_ADDR")),
            user_agent=user_agent or None,
            referrer=referrer[:REFERRER_LENGTH] if referrer else None,
        ),
    )
    if click_id is None:
        return None
    location = target.location(encode_click_id(click_id, store.click_key))
    escaped = html.escape(location)
    body = (
        "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n"
        f'<h1>Redirecting...</h1>\n<p><a href="{escaped}">{escaped}</a>\n'
    ).encode()
    secure = (
        environ.get("wsgi.url_scheme") == "https"
        or app.config.get("SESSION_COOKIE_SECURE")
        or str(app.config["BASE_URL"]).startswith("https://")
    )
    cookie_header = (
        f"{VISITOR_COOKIE}={visitor_id}; Max-Age={VISITOR_COOKIE_MAX_AGE}; Path=/; HttpOnly; "
        f"SameSite=Lax{'; Secure' if secure else ''}"
    )
    headers = [
        ("Location", location),
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Length", str(len(body))),
        ("Cache-Control", "private, no-store"),  # every click must reach us
        ("Referrer-Policy", "no-referrer-when-downgrade"),
        ("X-Robots-Tag", "noindex"),
        ("Set-Cookie", cookie_header),
    ]
    return "302 FOUND", headers, body


class RedirectMiddleware:
    """Answers ``GET``/``HEAD /r/<known code>`` before Flask's request handling; passes every
    other request (and any failure, which Flask then answers and logs) to the app."""

    def __init__(self, app: Flask, wsgi_app: WSGIApplication) -> None:
        self.app = app
        self.wsgi_app = wsgi_app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        if environ.get("PATH_INFO", "").startswith(PREFIX) and method in ("GET", "HEAD"):
            try:
                answer = answer_click(self.app, environ)
            except Exception:
                self.app.logger.exception("The fast path of /r/ failed; Flask answers instead")
                answer = None
            if answer is not None:
                status, headers, body = answer
                start_response(status, headers)
                return [] if method == "HEAD" else [body]
        return self.wsgi_app(environ, start_response)


bp = Blueprint("redirect", __name__)


@bp.get("/r/<code>")
def follow(code: str) -> Response:
    """The same answer as the middleware's (when it is not installed, or failed), else 404."""
    answer = answer_click(current_app._get_current_object(), request.environ)  # type: ignore[attr-defined]
    if answer is None:
        return not_found()
    status, headers, body = answer
    return Response(body, status=status, headers=headers)


def not_found() -> Response:
    """A small 404 page in the browser's language, rendered without the layout (whose
    context needs the session and the user) and without the locale selector."""
    app = current_app
    languages: list[str] = app.config["LANGUAGES"]
    locale = request.accept_languages.best_match(languages) or app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(locale):
        page = app.jinja_env.get_template("links/not_found.html").render(locale=locale)
    response = Response(page, 404, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


class _DiscardedSession(SecureCookieSession):
    """An empty session that is never read from nor written to a cookie."""


class SessionlessPaths(SessionInterface):
    """Wraps the app's session interface: requests under ``prefix`` get an empty session
    without reading the session cookie, and nothing is saved for them."""

    def __init__(self, inner: SessionInterface, prefix: str) -> None:
        self.inner = inner
        self.prefix = prefix

    def open_session(self, app: Flask, request: Request) -> SessionMixin | None:
        if request.path.startswith(self.prefix):
            return _DiscardedSession()
        return self.inner.open_session(app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: FlaskResponse) -> None:
        if isinstance(session, _DiscardedSession):
            return
        self.inner.save_session(app, session, response)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@bp.record_once
def _install(state: BlueprintSetupState) -> None:
    app = cast(Flask, state.app)
    checked_commit_mode(app.config["CLICK_SYNCHRONOUS_COMMIT"])
    if not isinstance(app.session_interface, SessionlessPaths):
        app.session_interface = SessionlessPaths(app.session_interface, PREFIX)
    app.wsgi_app = RedirectMiddleware(app, app.wsgi_app)  # type: ignore[method-assign]
    crawler_list_pattern()  # compiled once per process, before the first click waits for it


@limiter.request_filter
def _not_rate_limited() -> bool:
    """Clicks are never rate limited (one office NAT can be a whole audience)."""
    return request.path.startswith(PREFIX)
