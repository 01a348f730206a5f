"""URL checks shared by the domains and the views: local paths for ``next``, and the http(s)
destinations a redirect, a landing page or a join link may point to."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from furl import furl

MAX_URL_LENGTH = 2048


def N_(message: str) -> str:  # noqa: N802 - the name gettext tools look for
    """Mark ``message`` for translation without translating it (pages translate it when they
    show it; the API answers in English)."""
    return message


class InvalidDestination(ValueError):
    """The destination cannot be a redirect target; the message says why.

    ``msgid`` and ``params`` let a page show the reason translated:
    ``gettext(error.msgid, **error.params)``; ``str(error)`` is the English text.
    """

    def __init__(self, msgid: str, **params: object) -> None:
        super().__init__(msgid % params if params else msgid)
        self.msgid = msgid
        self.params = params


def configured_domains(key: str) -> frozenset[str]:
    """A config list of domains (``COMARKETING_MDF_LANDING_DOMAINS='["vendor.ru"]'``),
    lower-case; empty: no limit."""
    from flask import current_app

    return frozenset(str(domain).strip().lower() for domain in current_app.config[key] or ())


def validate_destination(
    url: str,
    allowed_hosts: frozenset[str] = frozenset(),
    *,
    allowed_domains: frozenset[str] = frozenset(),
) -> str:
    """Check that ``url`` may be a redirect target and return it trimmed.

    Only absolute http(s) URLs with a host, without credentials or control characters, at
    most 2048 characters; when ``allowed_hosts`` is given, the host must be one of them; when
    ``allowed_domains`` is, the host must be one of them or under one (``zoom.us`` allows
    ``us02web.zoom.us``).
    """
    url = url.strip()
    if not url:
        raise InvalidDestination(N_("The destination URL is empty."))
    if len(url) > MAX_URL_LENGTH:
        raise InvalidDestination(
            N_("The URL is longer than %(limit)s characters."), limit=MAX_URL_LENGTH
        )
    if any(char.isspace() or unicodedata.category(char) == "Cc" for char in url):
        raise InvalidDestination(N_("The URL contains spaces or control characters."))
    try:
        parsed = furl(url)
    except ValueError:
        raise InvalidDestination(N_("The URL cannot be parsed.")) from None
    # furl checks the parts; the tagged URL itself is assembled with urllib in ``tag_url``,
    # which (unlike furl) leaves the rest of the destination exactly as it was written.
    if parsed.scheme not in {"http", "https"}:
        raise InvalidDestination(N_("Only http and https URLs can be destinations."))
    if not parsed.host:
        raise InvalidDestination(N_("The URL has no host."))
    if parsed.username is not None or parsed.password is not None:
        raise InvalidDestination(N_("The URL must not contain a user name or password."))
    if allowed_hosts and parsed.host.lower() not in allowed_hosts:
        allowed = ", ".join(sorted(allowed_hosts))
        raise InvalidDestination(
            N_("The host is not an allowed landing host (%(hosts)s)."), hosts=allowed
        )
    host = parsed.host.lower()
    if allowed_domains and not any(
        host == domain or host.endswith("." + domain) for domain in allowed_domains
    ):
        allowed = ", ".join(sorted(allowed_domains))
        raise InvalidDestination(
            N_("The host is not on an allowed domain (%(hosts)s)."), hosts=allowed
        )
    return url


def is_local_path(target: str | None) -> bool:
    """True for a path on this site (``/partners?x=1``), false for anything a browser could
    read as another origin (``//evil``, ``/\\evil``, ``https://…``, ``javascript:``)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return False
    if any(ord(char) < 32 for char in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def public_url(path: str) -> str:
    """An absolute URL on the public origin (``BASE_URL``), for links in e-mails, feeds and
    tracked links, which are built outside any request."""
    from flask import current_app

    return f"{current_app.config['BASE_URL']}{path}"
