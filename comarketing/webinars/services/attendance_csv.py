"""Attendance files: our own ``email,attended,minutes`` (yes/no in Russian or English,
true/false, 1/0), or a Zoom or MTS Link export as the platform saves it (recognised by its
header, ``webinars.platforms.exports``; UTF-8, UTF-8 with a BOM, or cp1251)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from comarketing.core.csv_import import CsvImportError, RowErrors, read_csv
from comarketing.webinars.platforms.exports import parse_export


@dataclass(frozen=True)
class AttendanceEntry:
    email: str
    attended: bool
    minutes: int | None = None


YES = {"yes", "y", "true", "1", "да", "д", "attended", "присутствовал", "+"}
NO = {"no", "n", "false", "0", "нет", "н", "absent", "no-show", "не пришёл", "-", ""}


def _text(data: bytes | str) -> str | None:
    """The file as text: UTF-8 (a BOM is fine) or, failing that, cp1251 (Excel's Russian
    Windows default); None when it is neither."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def parse_attendance(data: bytes | str) -> list[AttendanceEntry]:
    """Read and check the whole file; any bad row refuses it (``CsvImportError``)."""
    text = _text(data)
    exported = parse_export(text) if text is not None and "\x00" not in text else None
    if exported is not None:
        return [AttendanceEntry(row.email, row.attended, row.minutes) for row in exported]
    rows = read_csv(data, required=("email", "attended"), optional=("minutes", "name"))
    errors = RowErrors()
    entries = []
    for row in rows:
        flag = row.get("attended").lower()
        if flag not in YES | NO:
            errors.add(row.line, _("attended: %(value)s is not yes or no", value=repr(flag)))
        minutes = None
        if row.get("minutes"):
            if row.get("minutes").isdigit():
                minutes = int(row.get("minutes"))
            else:
                errors.add(row.line, _("minutes: not a whole number"))
        if not row.get("email"):
            errors.add(row.line, _("email: required"))
        entries.append(AttendanceEntry(row.get("email"), flag in YES, minutes))
    if errors:
        raise CsvImportError(
            _("%(count)s rows have errors; nothing was imported.", count=len(errors.by_line)),
            errors,
        )
    return entries
