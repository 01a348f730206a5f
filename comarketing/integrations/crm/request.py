"""The plain shapes the CRM payload builders trade in: a destination, a request, an error.

Builders are pure functions of these and of ``LeadData``; only the sender touches the
network and the database.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class DestinationData:
    """A CRM destination as plain data; ``secret`` is the amoCRM token or the webhook key."""

    id: int
    kind: str
    url: str
    secret: str | None = None


@dataclass(frozen=True)
class CrmRequest:
    """One POST: ``body`` holds the exact bytes sent (a webhook signature covers them)."""

    url: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        return json.loads(self.body)


class AnswerError(Exception):
    """A 2xx answer that still says the lead was not taken (Bitrix24 answers errors in the
    body too); ``retry`` says whether trying again later can help."""

    def __init__(self, message: str, *, retry: bool) -> None:
        super().__init__(message)
        self.retry = retry


def encode_json(data: Any) -> bytes:
    """Compact UTF-8 JSON (Cyrillic stays readable in the CRM's request logs)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


JSON_HEADERS = {"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"}
