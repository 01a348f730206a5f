"""MTS Link (webinar.ru) API v3: the participations of an event session.

``GET /eventsessions/{eventSessionId}/participations?page=N&perPage=250`` lists everyone
registered or invited to the session (``email``, ``name``, ``secondName``, ``visited``), one
entry per person; pages end with a short page. Time watched is read from the entry's
``duration`` (seconds); a visitor without it falls back to the sum of its ``visits``
(``startsAt``/``endsAt`` pairs) if given, else counts as attended without minutes.
Authorisation is the ``x-auth-token`` header (``MTS_LINK_TOKEN``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

import requests
from flask import current_app
from flask_babel import gettext as _

from comarketing.core import http
from comarketing.webinars.platforms import PlatformAttendance, PlatformError, clean_email

PER_PAGE = 250  # the largest page MTS Link serves
MAX_PAGES = 1000


def _page(url: str, token: str, page: int) -> list[dict[str, Any]]:
    params = {"page": str(page), "perPage": str(PER_PAGE)}
    headers = {"x-auth-token": token, "Accept": "application/json"}
    try:
        response = http.get(url, params=params, headers=headers)
    except (requests.RequestException, http.OutboundError) as error:
        raise PlatformError(_("MTS Link cannot be reached: %(error)s", error=error)) from None
    if response.status_code != 200:
        raise PlatformError(
            _(
                "MTS Link answered %(status)s: %(text)s",
                status=response.status_code,
                text=response.text[:200],
            )
        )
    try:
        body = response.json()
    except ValueError:
        raise PlatformError(_("MTS Link answered something that is not its JSON.")) from None
    if isinstance(body, dict):  # some accounts wrap the list
        body = body.get("participations") or body.get("data") or []
    if not isinstance(body, list):
        raise PlatformError(_("MTS Link answered something that is not its JSON."))
    return [row for row in body if isinstance(row, dict)]


def _seconds(row: dict[str, Any]) -> int | None:
    if row.get("duration") is not None:
        try:
            return max(int(row["duration"]), 0)
        except (TypeError, ValueError):
            return None
    total = 0
    found = False
    for visit in row.get("visits") or []:
        try:
            starts = datetime.fromisoformat(str(visit["startsAt"]))
            ends = datetime.fromisoformat(str(visit["endsAt"]))
        except (KeyError, TypeError, ValueError):
            continue
        found = True
        total += max(int((ends - starts).total_seconds()), 0)
    return total if found else None


def fetch(event_session_id: str) -> PlatformAttendance:
    """The session's registrants and seconds watched per e-mail (visitors only)."""
    token = current_app.config.get("MTS_LINK_TOKEN")
    if not token:
        raise PlatformError(_("MTS_LINK_TOKEN is not configured."))
    session = quote(event_session_id.strip(), safe="")
    base = current_app.config["MTS_LINK_API_URL"].rstrip("/")
    url = f"{base}/eventsessions/{session}/participations"
    registrants: set[str] = set()
    watched: dict[str, int | None] = {}
    for page in range(1, MAX_PAGES + 1):
        rows = _page(url, token, page)
        for row in rows:
            email = clean_email(row.get("email"))
            if not email:
                continue
            registrants.add(email)
            if row.get("visited") in (True, 1, "1", "true"):
                seconds, previous = _seconds(row), watched.get(email)
                watched[email] = previous if seconds is None else (previous or 0) + seconds
        if len(rows) < PER_PAGE:
            return PlatformAttendance(frozenset(registrants), watched)
    raise PlatformError(_("MTS Link kept sending pages; stopped after %(count)s.", count=MAX_PAGES))
