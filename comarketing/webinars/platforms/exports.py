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


Row = tuple[int, dict[str, str]]  # (line in the file, values by lower-cased column name)


def _delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in (";", ",", "\t")}
    return max(counts, key=lambda d: counts[d])


def _rows(text: str, is_header: Callable[[list[str]], bool]) -> list[Row] | None:
    """The rows of every table whose header ``is_header`` accepts; None when there is none.
    Lines before a header (a meeting block), and tables under other headers, are skipped; an
    empty line or a section's title line (``Attendee Details``) ends a table."""
    header: list[str] | None = None
    delimiter = ","
    found = False
    rows: list[Row] = []
    for number, line in enumerate(text.splitlines(), 1):
        reader = csv.reader([line], delimiter=delimiter if header else _delimiter(line))
        values = [value.strip() for value in next(reader, [])]
        filled = [value for value in values if value]
        if not line.strip() or (len(values) <= 2 and len(filled) == 1 and "@" not in line):
            header = None  # an empty line or a section's title ends a table
            continue
        if not filled:
            continue  # Excel's ";;;;": an empty row inside the table
        cells = [value.lower() for value in values]
        if is_header(cells):
            header, delimiter, found = cells, _delimiter(line), True
            continue
        if header is not None:
            padded = values + [""] * (len(header) - len(values))
            rows.append((number, dict(zip(header, padded, strict=False))))
    return rows if found else None


def _first(row: dict[str, str], names: tuple[str, ...]) -> str | None:
    return next((row[name] for name in names if name in row), None)


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
    if text in ("", "-", "--"):  # Zoom writes -- for a registrant who never joined
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
    rows: list[Row],
    email_of: Callable[[dict[str, str]], str | None],
    minutes_of: Callable[[dict[str, str]], str | None],
    attended_of: Callable[[dict[str, str]], str | None],
) -> list[ExportedAttendance]:
    errors = RowErrors()
    totals: dict[str, tuple[bool, int | None]] = {}
    for line, row in rows:
        raw_email = email_of(row) or ""
        email = raw_email.strip().lower()
        if email in GUESTS:
            continue
        if "@" not in email:
            errors.add(line, _("email: %(value)s is not an e-mail", value=repr(raw_email)))
            continue
        raw_minutes = minutes_of(row)
        minutes = None if raw_minutes is None else _minutes(raw_minutes)
        if raw_minutes is not None and minutes is None:
            errors.add(line, _("minutes: %(value)s is not a duration", value=repr(raw_minutes)))
            continue
        flag = attended_of(row)
        attended = flag.strip().lower() in YES if flag is not None else minutes != 0
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
    zoom = _rows(text, _is_zoom)
    if zoom is not None:
        return _read(
            zoom,
            lambda row: _first(row, ZOOM_EMAIL),
            lambda row: _first(row, ZOOM_MINUTES),
            lambda row: _first(row, ("attended",)),
        )
    mts = _rows(text, _is_mts_link)
    if mts is not None:
        return _read(
            mts,
            lambda row: _first(row, RU_EMAIL),
            lambda row: next((v for k, v in row.items() if RU_MINUTES.match(k)), None),
            lambda row: _first(row, RU_ATTENDED),
        )
    return None
