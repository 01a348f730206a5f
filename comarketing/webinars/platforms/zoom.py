"""Zoom's REST API v2: the participants report of a past meeting and the meeting's registrants.

``GET /report/meetings/{meetingId}/participants`` gives one row per visit (``user_email``,
``name``, ``duration`` in seconds, ``join_time``, ``leave_time``, ``registrant_id``): a person
who dropped and came back appears twice. Both lists are paged by ``next_page_token`` (an empty
token: the last page). Authorisation is a Bearer token (``ZOOM_TOKEN``: a Server-to-Server
OAuth access token).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import requests
from flask import current_app
from flask_babel import gettext as _

from comarketing.core import http
from comarketing.webinars.platforms import PlatformAttendance, PlatformError, clean_email

PAGE_SIZE = 300  # Zoom's maximum
MAX_PAGES = 1000  # a loop guard: 300 000 rows


def _pages(path: str, key: str, *, optional: bool = False) -> Iterator[dict[str, Any]]:
    """Every row of a paged list. ``optional``: a 400/404 (a meeting without registration
    answers so for its registrants) is an empty list, not an error."""
    token = current_app.config.get("ZOOM_TOKEN")
    if not token:
        raise PlatformError(_("ZOOM_TOKEN is not configured."))
    url = current_app.config["ZOOM_API_URL"].rstrip("/") + path
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    next_token = ""
    for _page in range(MAX_PAGES):
        params = {"page_size": str(PAGE_SIZE)}
        if next_token:
            params["next_page_token"] = next_token
        try:
            response = http.get(url, params=params, headers=headers)
        except (requests.RequestException, http.OutboundError) as error:
            raise PlatformError(_("Zoom cannot be reached: %(error)s", error=error)) from None
        if optional and response.status_code in (400, 404):
            return
        if response.status_code != 200:
            raise PlatformError(
                _(
                    "Zoom answered %(status)s: %(text)s",
                    status=response.status_code,
                    text=response.text[:200],
                )
            )
        try:
            body = response.json()
            rows = body.get(key) or []
        except (ValueError, AttributeError):
            raise PlatformError(_("Zoom answered something that is not its JSON.")) from None
        yield from (row for row in rows if isinstance(row, dict))
        next_token = str(body.get("next_page_token") or "")
        if not next_token:
            return
    raise PlatformError(_("Zoom kept sending pages; stopped after %(count)s.", count=MAX_PAGES))


def fetch(meeting_id: str) -> PlatformAttendance:
    """The meeting's registrants and seconds watched per e-mail. A participant without an
    e-mail (a guest Zoom hides) is matched through its ``registrant_id``; one with neither is
    left out (nobody to credit)."""
    meeting = quote(meeting_id.replace(" ", ""), safe="")
    emails_by_registrant: dict[str, str] = {}
    for registrant in _pages(f"/meetings/{meeting}/registrants", "registrants", optional=True):
        email = clean_email(registrant.get("email"))
        if email:
            emails_by_registrant[str(registrant.get("id") or "")] = email
    watched: dict[str, int | None] = {}
    for row in _pages(f"/report/meetings/{meeting}/participants", "participants"):
        email = clean_email(row.get("user_email")) or emails_by_registrant.get(
            str(row.get("registrant_id") or ""), ""
        )
        if not email:
            continue
        try:
            seconds = max(int(row.get("duration") or 0), 0)
        except (TypeError, ValueError):
            seconds = 0
        watched[email] = (watched.get(email) or 0) + seconds
    return PlatformAttendance(frozenset(emails_by_registrant.values()), watched)
