"""Public URLs of links: the short link a partner shares."""

from __future__ import annotations

from flask import current_app


def short_url(code: str) -> str:
    """``<BASE_URL>/r/<code>``: the tracking origin is ``COMARKETING_BASE_URL``, not the
    host the page was opened on."""
    return f"{current_app.config['BASE_URL']}/r/{code}"
