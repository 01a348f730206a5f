"""The events Bitrix24 and amoCRM send, as they send them (form-encoded), read into plain
data. Pure functions of the form's items.

Bitrix24 (outbound event handler): ``event=ONCRMDEALUPDATE``, ``data[FIELDS][ID]=17``,
``ts=<unix>``, ``auth[domain]``, ``auth[application_token]`` — the id only; the object is read
back with ``crm.deal.get``/``crm.lead.get``.

amoCRM (account webhooks): ``leads[status][0][id]``, ``[status_id]``, ``[price]``,
``[last_modified]`` (unix), ``[pipeline_id]``…, likewise ``leads[update][i]`` and
``leads[add][i]`` — the state itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

# Bitrix24 events we act on, by the CRM object they name.
BITRIX24_EVENTS = {
    "ONCRMDEALADD": "deal",
    "ONCRMDEALUPDATE": "deal",
    "ONCRMLEADUPDATE": "lead",
    "ONCRMLEADADD": "lead",
}
AMOCRM_ACTIONS = ("status", "update", "add")
_AMO_KEY = re.compile(r"^leads\[(status|update|add)\]\[(\d{1,4})\]\[([a-z_]{1,40})\]$")
MAX_AMOCRM_ITEMS = 500  # one webhook carries at most this many leads (amoCRM batches ≤ 100)


@dataclass(frozen=True)
class ParsedEvent:
    """One CRM object an event is about: ``object_type`` ``deal`` or ``lead`` (the CRM's),
    ``object_id`` its id there, ``payload`` what the event itself said of it."""

    event: str
    object_type: str
    object_id: str
    payload: dict[str, Any] = field(default_factory=dict)


class EventRefused(ValueError):
    """The body is not an event we take (unknown event, no object id)."""


def _object_id(value: str | None) -> str:
    value = (value or "").strip()
    if not value.isdigit() or len(value) > 20:
        raise EventRefused("the event names no object id")
    return value


def bitrix24_event(form: Iterable[tuple[str, str]]) -> tuple[ParsedEvent, str]:
    """The event and the application token it carries; ``EventRefused`` for an event we do
    not act on."""
    items = dict(form)
    name = (items.get("event") or "").strip().upper()
    object_type = BITRIX24_EVENTS.get(name)
    if object_type is None:
        raise EventRefused(f"not an event we act on: {name[:60]!r}")
    object_id = _object_id(items.get("data[FIELDS][ID]"))
    payload = {"ts": items.get("ts", "")[:20], "domain": items.get("auth[domain]", "")[:200]}
    return ParsedEvent(name, object_type, object_id, payload), items.get(
        "auth[application_token]", ""
    )


def amocrm_events(form: Iterable[tuple[str, str]]) -> list[ParsedEvent]:
    """One event per lead the webhook names (``leads[status|update|add][i]``), in order;
    ``EventRefused`` when it names none."""
    found: dict[tuple[str, int], dict[str, str]] = {}
    for key, value in form:
        match = _AMO_KEY.match(key)
        if match is None:
            continue
        action, index, name = match.group(1), int(match.group(2)), match.group(3)
        if len(found) >= MAX_AMOCRM_ITEMS and (action, index) not in found:
            continue
        found.setdefault((action, index), {})[name] = value[:200]
    events = []
    for (action, _index), values in sorted(
        found.items(), key=lambda item: (AMOCRM_ACTIONS.index(item[0][0]), item[0][1])
    ):
        try:
            object_id = _object_id(values.get("id"))
        except EventRefused:
            continue
        payload: dict[str, Any] = {
            key: values[key]
            for key in ("status_id", "price", "last_modified", "updated_at", "pipeline_id")
            if key in values
        }
        events.append(ParsedEvent(f"leads.{action}", "lead", object_id, payload))
    if not events:
        raise EventRefused("the webhook names no lead")
    return events
