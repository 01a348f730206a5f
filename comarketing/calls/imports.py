"""Importing a telephony platform's call log (CSV): ``call_id,tracking_number,caller,
started_at,duration_s,answered``. The whole file is checked first (every bad row listed),
then each call is recorded like a webhook's (a ``call_id`` already known adds nothing)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

from comarketing.calls.services import CallInput, record_call
from comarketing.core.contacts import InvalidContact, normalize_phone
from comarketing.core.csv_import import CsvImportError, RowErrors, read_csv
from comarketing.core.time import utcnow
from comarketing.core.timeparse import parse_moment
from comarketing.leads.services.intake import FUTURE_TOLERANCE

CALL_COLUMNS = ("call_id", "tracking_number", "caller", "started_at", "duration_s", "answered")
TRUE = {"1", "true", "yes", "y", "answered", "да"}
FALSE = {"0", "false", "no", "n", "missed", "no_answer", "нет", ""}


@dataclass
class CallImportReport:
    rows: int
    recorded: int
    repeated: int  # call_id already known: nothing added
    leads: int  # calls that joined a lead


def _answered(value: str) -> bool | None:
    text = value.strip().lower()
    return True if text in TRUE else False if text in FALSE else None


def import_calls(
    data: bytes | str, *, progress: Callable[[int], None] = lambda rows: None
) -> CallImportReport:
    """Record every call of the file, or none (``CsvImportError`` lists each bad row)."""
    rows = read_csv(
        data,
        required=("call_id", "tracking_number", "started_at", "duration_s", "answered"),
        optional=CALL_COLUMNS,
    )
    zone = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    errors = RowErrors()
    planned: list[CallInput] = []
    seen: set[str] = set()
    for row in rows:
        call_id = row.get("call_id")
        if not call_id or len(call_id) > 100:
            errors.add(row.line, _("call_id: required, at most 100 characters"))
        for column in ("tracking_number", "caller"):
            if row.get(column) or column == "tracking_number":
                try:
                    normalize_phone(row.get(column))
                except InvalidContact as error:
                    errors.add(row.line, f"{column}: {error}")
        try:
            started_at = parse_moment(row.get("started_at"), zone)
            if started_at > utcnow() + FUTURE_TOLERANCE:
                errors.add(row.line, _("started_at: in the future"))
        except ValueError:
            errors.add(row.line, _("started_at: use 2026-12-03T11:00:00+03:00"))
            started_at = utcnow()
        duration = row.get("duration_s")
        if not duration.isdigit() or int(duration) > 7 * 24 * 3600:
            errors.add(row.line, _("duration_s: a whole number of seconds"))
        answered = _answered(row.get("answered"))
        if answered is None:
            errors.add(row.line, _("answered: use true or false"))
        if call_id in seen:
            continue  # the same call twice in one log: recorded once
        seen.add(call_id)
        planned.append(
            CallInput(
                call_id=call_id,
                tracking_number=row.get("tracking_number"),
                caller=row.get("caller") or None,
                started_at=started_at,
                duration_s=int(duration) if duration.isdigit() else 0,
                answered=bool(answered),
            )
        )
    if errors:
        raise CsvImportError(
            _("%(count)s rows have errors; nothing was imported.", count=len(errors.by_line)),
            errors,
        )
    recorded = repeated = leads = 0
    for call in sorted(planned, key=lambda c: c.started_at):
        recorded_call, created = record_call(call)
        recorded += created
        repeated += not created
        leads += created and recorded_call.lead_id is not None
        progress(1)
    return CallImportReport(rows=len(planned), recorded=recorded, repeated=repeated, leads=leads)
