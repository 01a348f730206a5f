"""The attendance files webinar platforms export, read as they are.

- Zoom's participants report (Reports → Usage → Participants → Export): a table headed
  ``Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest…`` (one row
  per visit: minutes are added up per e-mail) or, with "Show unique users", ``…,Total Duration
  (Minutes),…``; "Export with meeting data" puts a meeting block (``Topic,Meeting ID,…``) and
  a blank line before it. Zoom's webinar attendee report (``Attended,User Name (Original
  Name),…,Email,…,Time in Session (minutes)``) after its preamble lines is read too.
- MTS Link's (webinar.ru) statistics export saved as CSV from Excel: Russian column names
  (``Имя``, ``Фамилия``, ``Email``, ``Посетил``, a time column such as ``Время на
  мероприятии``), ``;`` between values, cp1251 or UTF-8 with a BOM. Guests show ``гость``
  instead of an e-mail: they cannot be matched and are skipped.

A file is recognised by its header; every row is checked before anything is returned.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _

from comarketing.core.csv_import import CsvImportError, RowErrors

YES = {"yes", "да", "true", "1", "+", "посетил", "присутствовал", "был"}
GUESTS = {"гость", "guest", ""}
ZOOM_EMAIL = ("user email", "email")
ZOOM_MINUTES = ("total duration (minutes)", "duration (minutes)", "time in session (minutes)")
ZOOM_MARKERS = ("name (original name)", "user name (original name)", "join time", "guest")
RU_EMAIL = ("email", "e-mail", "электронная почта", "почта")
RU_NAMES = ("имя", "фамилия", "имя в чате", "роль")
RU_ATTENDED = ("посетил", "посетил мероприятие", "присутствие", "был на мероприятии")
RU_MINUTES = re.compile(r"^(время|длительность|продолжительность)")


@dataclass(frozen=True)
class ExportedAttendance:
    email: str
    attended: bool
    minutes: int | None


@dataclass(frozen=True)
class _Table:
    header: list[str]  # lower-cased, trimmed
    rows: list[tuple[int, list[str]]]  # (line in the file, values)


def _delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in (";", ",", "\t")}
    return max(counts, key=lambda d: counts[d])


def _table(text: str, is_header: Callable[[list[str]], bool]) -> _Table | None:
    """The table under the first line that ``is_header`` accepts (preamble lines skipped)."""
    lines = text.splitlines()
    for number, line in enumerate(lines):
        if not line.strip():
            continue
        delimiter = _delimiter(line)
        cells = [cell.strip().lower() for cell in next(csv.reader([line], delimiter=delimiter))]
        if not is_header(cells):
            continue
        reader = csv.reader(io.StringIO("\n".join(lines[number + 1 :])), delimiter=delimiter)
        rows = []
        for values in reader:
            if not any(value.strip() for value in values):
                continue
            rows.append((number + 1 + reader.line_num, [value.strip() for value in values]))
        return _Table(cells, rows)
    return None


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    for name in names:
        if name in header:
            return header.index(name)
    return None


def _is_zoom(cells: list[str]) -> bool:
    return (
        _column(cells, ZOOM_EMAIL) is not None
        and _column(cells, ZOOM_MINUTES) is not None
        and any(marker in cells for marker in ZOOM_MARKERS)
        and "meeting id" not in cells
    )


def _is_mts_link(cells: list[str]) -> bool:
    return _column(cells, RU_EMAIL) is not None and any(name in cells for name in RU_NAMES)


def _minutes(value: str) -> int | None:
    """``45``, ``45,5``, ``45 мин``, ``1 ч 5 мин`` or ``01:05:30`` as whole minutes."""
    text = value.strip().lower().replace(",", ".")
    if not text:
        return 0
    if re.fullmatch(r"\d+(\.\d+)?( ?(мин|min|m)\.?)?", text):
        return round(float(re.sub(r"[^\d.]", "", text)))
    clock = re.fullmatch(r"(\d+):(\d{1,2})(?::(\d{1,2}))?", text)
    if clock:
        hours, minutes, seconds = (int(part or 0) for part in clock.groups())
        if clock.group(3) is None:  # mm:ss is rarer than hh:mm in exports: read hh:mm
            return hours * 60 + minutes
        return hours * 60 + minutes + (1 if seconds >= 30 else 0)
    words = re.fullmatch(r"(?:(\d+) ?ч\.?)? ?(?:(\d+) ?мин\.?)?(?: ?(\d+) ?сек\.?)?", text)
    if words and any(words.groups()):
        hours, minutes, seconds = (int(part or 0) for part in words.groups())
        return hours * 60 + minutes + (1 if seconds >= 30 else 0)
    return None


def _read(
    table: _Table, email_at: int, minutes_at: int | None, attended_at: int | None
) -> list[ExportedAttendance]:
    errors = RowErrors()
    totals: dict[str, tuple[bool, int | None]] = {}
    for line, values in table.rows:
        if len(values) < len(table.header):
            values = values + [""] * (len(table.header) - len(values))
        email = values[email_at].strip().lower()
        if email in GUESTS:
            continue
        if "@" not in email:
            errors.add(line, _("email: %(value)s is not an e-mail", value=repr(values[email_at])))
            continue
        minutes = None
        if minutes_at is not None:
            minutes = _minutes(values[minutes_at])
            if minutes is None:
                errors.add(
                    line,
                    _("minutes: %(value)s is not a duration", value=repr(values[minutes_at])),
                )
                continue
        if attended_at is not None:
            attended = values[attended_at].strip().lower() in YES
        else:
            attended = minutes is None or minutes > 0
        was_attended, was_minutes = totals.get(email, (False, None))
        if minutes is not None and attended:
            minutes = (was_minutes or 0) + minutes
        elif not attended:
            minutes = was_minutes
        totals[email] = (was_attended or attended, minutes)
    if errors:
        raise CsvImportError(
            _("%(count)s rows have errors; nothing was imported.", count=len(errors.by_line)),
            errors,
        )
    return [
        ExportedAttendance(email, attended, minutes if attended else None)
        for email, (attended, minutes) in totals.items()
    ]


def parse_export(text: str) -> list[ExportedAttendance] | None:
    """Attendance from a Zoom or MTS Link export; None when the text is neither (then it is
    read as our own ``email,attended,minutes`` file). Raises ``CsvImportError`` for bad rows."""
    zoom = _table(text, _is_zoom)
    if zoom is not None:
        email_at = _column(zoom.header, ZOOM_EMAIL)
        assert email_at is not None
        return _read(
            zoom, email_at, _column(zoom.header, ZOOM_MINUTES), _column(zoom.header, ("attended",))
        )
    mts = _table(text, _is_mts_link)
    if mts is not None:
        email_at = _column(mts.header, RU_EMAIL)
        assert email_at is not None
        minutes_at = next(
            (index for index, name in enumerate(mts.header) if RU_MINUTES.match(name)), None
        )
        return _read(mts, email_at, minutes_at, _column(mts.header, RU_ATTENDED))
    return None
