"""CSV downloads that spreadsheets open safely: UTF-8 with a BOM (Excel), and text cells that
start like a formula neutralised (OWASP "CSV injection")."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from flask import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _inert(part: str) -> str:
    return "'" + part if part.lstrip(" ").startswith(FORMULA_STARTS) else part


def safe_cell(value: object) -> str:
    """A cell's text; a string that could run as a formula gets a leading apostrophe, and so
    does every part after a ``;`` (Excel in Russian splits CSV cells on semicolons).
    Numbers stay numbers (a refund of -5000.00 is not a formula)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | Decimal | float):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    first, *rest = text.split(";")
    return ";".join(
        ["'" + first if first.startswith(FORMULA_STARTS) else first, *map(_inert, rest)]
    )


def csv_response(
    header: Sequence[str], rows: Iterable[Sequence[object]], filename: str
) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return Response(
        "\ufeff" + buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
