"""URL checks shared by views."""

from __future__ import annotations

from urllib.parse import urlsplit


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
