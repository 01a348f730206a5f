"""Attendance as webinar platforms export it: ``email,attended,minutes`` (yes/no in Russian
or English, true/false, 1/0)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from comarketing.core.csv_import import CsvImportError, RowErrors, read_csv


@dataclass(frozen=True)
class AttendanceEntry:
    email: str
    attended: bool
    minutes: int | None = None


YES = {"yes", "y", "true", "1", "да", "д", "attended", "присутствовал", "+"}
NO = {"no", "n", "false", "0", "нет", "н", "absent", "no-show", "не пришёл", "-", ""}


def parse_attendance(data: bytes | str) -> list[AttendanceEntry]:
    """Read and check the whole file; any bad row refuses it (``CsvImportError``)."""
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
