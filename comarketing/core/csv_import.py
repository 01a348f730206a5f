"""Reading the CSV files people upload: UTF-8 (a BOM is fine), comma or semicolon, a header.

Imports are all or nothing: the whole file is checked first and every bad row is reported with
its line number; only a clean file is written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from comarketing.core.errors import ValidationFailed
from comarketing.core.money import MoneyProblem

MAX_ROWS = 1_000_000
# A line's problem with its amount column (``core.money.parse_amount`` says which).
AMOUNT_PROBLEMS = {
    MoneyProblem.INVALID: _l("amount: not a number"),
    MoneyProblem.TOO_LARGE: _l("amount: at most 12 digits before the decimal point"),
    MoneyProblem.PLACES: _l("amount: at most 2 decimal places"),
}


@dataclass(frozen=True)
class CsvRow:
    line: int  # 1-based line in the file (the header is line 1)
    values: dict[str, str]

    def get(self, name: str) -> str:
        return self.values.get(name, "")


@dataclass
class RowErrors:
    """Problems per line: ``{5: ["amount: not a number"], …}``."""

    by_line: dict[int, list[str]] = field(default_factory=dict)

    def add(self, line: int, message: str) -> None:
        self.by_line.setdefault(line, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.by_line)

    def as_fields(self) -> dict[str, list[str]]:
        return {f"line {line}": problems for line, problems in sorted(self.by_line.items())}


class CsvImportError(ValidationFailed):
    """The file was refused; ``errors`` says what is wrong on which line. Nothing was written."""

    def __init__(self, message: str, errors: RowErrors) -> None:
        super().__init__(message, fields=errors.as_fields())
        self.errors = errors


def _refuse_nul(text: str, errors: RowErrors) -> None:
    """NUL characters cannot be stored (PostgreSQL's text refuses them); they are what a
    UTF-16 file read as UTF-8 looks like, so the message says how to save the file."""
    for number, line in enumerate(text.split("\n"), 1):
        if "\x00" in line:
            errors.add(number, _("the line contains the NUL character"))
    raise CsvImportError(
        _("The file contains NUL characters: save it as CSV in UTF-8 (not UTF-16)."), errors
    )


def read_csv(
    data: bytes | str,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    any_of: Sequence[str] = (),
) -> list[CsvRow]:
    """Decode, detect the separator, check the header (all of ``required``, at least one of
    ``any_of``) and return the rows (values trimmed).

    Raises ``CsvImportError`` for an unreadable file or header; rows are not validated here.
    """
    errors = RowErrors()
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            errors.add(1, _("the file is not UTF-8 (byte %(position)s)", position=error.start))
            raise CsvImportError(_("The file is not UTF-8."), errors) from None
    else:
        text = data.removeprefix("\ufeff")
    if "\x00" in text:
        _refuse_nul(text, errors)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        errors.add(1, _("the file is empty; a header row is required"))
        raise CsvImportError(_("The file is empty."), errors) from None
    missing = [name for name in required if name not in header]
    known = set(required) | set(optional)
    unknown = [name for name in header if name and name not in known]
    if any_of and not set(any_of) & set(header):
        missing.append(" / ".join(any_of))
    if missing:
        errors.add(1, _("missing columns: %(columns)s", columns=", ".join(missing)))
    if unknown:
        errors.add(1, _("unknown columns: %(columns)s", columns=", ".join(unknown)))
    if errors:
        raise CsvImportError(_("The header row is not right."), errors)

    rows = []
    for values in reader:
        line = reader.line_num
        if not any(value.strip() for value in values):
            continue
        if len(values) != len(header):
            errors.add(
                line,
                _(
                    "expected %(expected)s values, found %(found)s",
                    expected=len(header),
                    found=len(values),
                ),
            )
            continue
        rows.append(CsvRow(line, {k: v.strip() for k, v in zip(header, values, strict=True)}))
        if len(rows) > MAX_ROWS:
            errors.add(line, _("more than %(count)s rows; split the file", count=MAX_ROWS))
            break
    if errors:
        raise CsvImportError(_("Some rows cannot be read."), errors)
    return rows
