"""What access logs may keep of a request line: no secret carried in a path (invitation and
password-reset tokens, private calendar feeds) and no search text (``q=`` holds e-mails and
names). Pure functions, used by gunicorn.conf.py."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode

REDACTED = "redacted"
# Path segments after these prefixes are secrets (the token is the whole authorisation).
SECRET_PATH = re.compile(
    r"^(?P<prefix>/invite/|/password/reset/|/calendar/feed/|/calendar/partner/)[^/?#]+"
)
SECRET_PARAMS = frozenset({"q", "token"})


def scrub_path(path: str) -> str:
    """``/invite/abc…`` → ``/invite/redacted``; a private feed keeps its ``.ics``."""
    match = SECRET_PATH.match(path)
    if match is None:
        return path
    suffix = ".ics" if match.group(0).endswith(".ics") else ""
    return match.group("prefix") + REDACTED + suffix + path[match.end() :]


def scrub_query(query: str) -> str:
    """The query string with search text and tokens replaced, also inside a ``next`` target
    (the login page's ``?next=/leads?q=…``)."""
    if not query:
        return query
    pairs = parse_qsl(query, keep_blank_values=True)
    if not any(name in SECRET_PARAMS or name == "next" for name, _ in pairs):
        return query
    scrubbed = [
        (
            name,
            REDACTED if name in SECRET_PARAMS else scrub_target(value) if name == "next" else value,
        )
        for name, value in pairs
    ]
    if scrubbed == pairs:
        return query
    return urlencode(scrubbed, safe="…/")


def scrub_target(target: str) -> str:
    """A request target (``path?query``) as it may be logged."""
    path, mark, query = target.partition("?")
    return scrub_path(path) + (mark + scrub_query(query) if mark else "")
