"""Local HTTP servers that answer like Zoom's API v2 and MTS Link's (webinar.ru) API v3, and
the people they report: registrants, and visits with their seconds watched."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.integrations.crm_fakes import Answer, FakeServer, Received

START = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Visit:
    email: str
    name: str
    seconds: int


@dataclass
class ZoomApi(FakeServer):
    """``/v2/report/meetings/{id}/participants`` and ``/v2/meetings/{id}/registrants``, paged
    by ``next_page_token`` (``page_limit`` rows a page, under the 300 asked for, so paging is
    exercised), Bearer ``token``. A visit with ``hide_email`` comes without ``user_email``
    but with its ``registrant_id``, as Zoom shows guests."""

    token: str = "zoom-token"
    meeting_id: str = "85746352910"
    visits: list[Visit] = field(default_factory=list)
    registrants: list[str] = field(default_factory=list)
    hide_email: set[str] = field(default_factory=set)
    page_limit: int = 15

    def _page(self, rows: list[dict[str, Any]], key: str, query: dict[str, list[str]]) -> Answer:
        start = int((query.get("next_page_token") or ["0"])[0])
        size = min(int(query["page_size"][0]), self.page_limit)
        chunk = rows[start : start + size]
        following = str(start + size) if start + size < len(rows) else ""
        body = {
            "page_size": size,
            "total_records": len(rows),
            "next_page_token": following,
            key: chunk,
        }
        return 200, {}, body

    def answer(self, request: Received) -> Answer:
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return 401, {}, {"code": 124, "message": "Invalid access token."}
        url = urlsplit(request.path)
        query = parse_qs(url.query)
        ids = {email: f"reg-{number}" for number, email in enumerate(self.registrants)}
        if url.path == f"/v2/meetings/{self.meeting_id}/registrants":
            rows = [
                {"id": ids[email], "email": email, "first_name": email.split("@")[0]}
                for email in self.registrants
            ]
            return self._page(rows, "registrants", query)
        if url.path == f"/v2/report/meetings/{self.meeting_id}/participants":
            rows = []
            for number, visit in enumerate(self.visits):
                joined = START + timedelta(minutes=number % 7)
                rows.append(
                    {
                        "id": f"p{number}",
                        "name": visit.name,
                        "user_email": "" if visit.email in self.hide_email else visit.email,
                        "registrant_id": ids.get(visit.email, ""),
                        "join_time": joined.isoformat().replace("+00:00", "Z"),
                        "leave_time": (joined + timedelta(seconds=visit.seconds))
                        .isoformat()
                        .replace("+00:00", "Z"),
                        "duration": visit.seconds,
                    }
                )
            return self._page(rows, "participants", query)
        return 404, {}, {"code": 3001, "message": "Meeting does not exist."}


@dataclass
class MtsLinkApi(FakeServer):
    """``/v3/eventsessions/{id}/participations?page=&perPage=``, one entry per person
    registered (``visited`` and time watched for those who came), ``x-auth-token``. A person
    with several visits gets them as ``visits`` intervals (no ``duration``)."""

    token: str = "mts-token"
    session_id: str = "2405021"
    visits: list[Visit] = field(default_factory=list)
    registrants: list[str] = field(default_factory=list)

    def answer(self, request: Received) -> Answer:
        if request.headers.get("x-auth-token") != self.token:
            return 401, {}, {"error": {"code": 401, "message": "Authentication failed"}}
        url = urlsplit(request.path)
        if url.path != f"/v3/eventsessions/{self.session_id}/participations":
            return 404, {}, {"error": {"code": 404, "message": "Event session not found"}}
        query = parse_qs(url.query)
        page, per_page = int(query["page"][0]), int(query["perPage"][0])
        by_email: dict[str, list[Visit]] = {}
        for visit in self.visits:
            by_email.setdefault(visit.email, []).append(visit)
        people = list(dict.fromkeys([*self.registrants, *by_email]))
        rows = []
        for number, email in enumerate(people):
            row: dict[str, Any] = {
                "id": 60387000 + number,
                "name": email.split("@")[0],
                "secondName": "",
                "email": email,
                "eventSessionId": int(self.session_id),
                "role": "GUEST",
                "registerStatus": "REGISTERED",
                "visited": email in by_email,
            }
            seen = by_email.get(email, [])
            if len(seen) == 1:
                row["duration"] = seen[0].seconds
            elif seen:
                moment, intervals = START, []
                for visit in seen:
                    ends = moment + timedelta(seconds=visit.seconds)
                    intervals.append({"startsAt": moment.isoformat(), "endsAt": ends.isoformat()})
                    moment = ends + timedelta(minutes=3)
                row["visits"] = intervals
            rows.append(row)
        return 200, {}, rows[(page - 1) * per_page : page * per_page]
