"""Importing leads from a CSV file (contract §5): the whole file is checked first; a file
with any bad row imports nothing; a clean file goes in as one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

from comarketing.core.csv_import import CsvImportError, RowErrors, read_csv
from comarketing.core.errors import ValidationFailed
from comarketing.core.time import utcnow
from comarketing.core.timeparse import parse_moment
from comarketing.extensions import db
from comarketing.leads.models import ConversionKind
from comarketing.leads.services.bulk import import_chunk
from comarketing.leads.services.intake import Submission
from comarketing.leads.services.persons import normalized_contacts

LEAD_COLUMNS = (
    "email",
    "phone",
    "name",
    "company",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_content",
    "utm_term",
    "occurred_at",
)
LIMITS = {"name": 200, "company": 200} | {
    f"utm_{n}": 200 for n in ("source", "medium", "campaign", "content", "term")
}
CHUNK = 2000  # rows per round of bulk statements


@dataclass
class ImportReport:
    rows: int
    created: int  # new persons; the other rows were more conversions of known ones


def check_leads_csv(data: bytes | str) -> list[Submission]:
    """Every row as a submission, or ``CsvImportError`` listing every bad line."""
    rows = read_csv(data, required=(), optional=LEAD_COLUMNS, any_of=("email", "phone"))
    zone = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    now = utcnow()
    errors = RowErrors()
    submissions = []
    for row in rows:
        email = phone = None
        try:
            email, phone = normalized_contacts(row.get("email"), row.get("phone"))
        except ValidationFailed as error:
            for field, problems in (error.fields or {}).items():
                for problem in problems:
                    errors.add(row.line, f"{field}: {problem}")
        occurred_at = None
        if row.get("occurred_at"):
            try:
                occurred_at = parse_moment(row.get("occurred_at"), zone)
            except ValueError:
                errors.add(row.line, _("occurred_at: use 2026-12-03T11:00:00+03:00 or 2026-12-03"))
            else:
                if occurred_at > now:
                    errors.add(row.line, _("occurred_at: in the future"))
        for column, limit in LIMITS.items():
            if len(row.get(column)) > limit:
                errors.add(
                    row.line,
                    _("%(column)s: longer than %(limit)s characters", column=column, limit=limit),
                )
        submissions.append(
            Submission(
                kind=ConversionKind.IMPORT,
                email=email,
                phone=phone,
                name=row.get("name"),
                company=row.get("company"),
                utm={
                    n: row.get(f"utm_{n}") or None
                    for n in ("source", "medium", "campaign", "content", "term")
                },
                occurred_at=occurred_at,
                trusted=True,  # staff upload the file
            )
        )
    if errors:
        raise CsvImportError(
            _("%(count)s rows have errors; nothing was imported.", count=len(errors.by_line)),
            errors,
        )
    return submissions


def import_leads(
    data: bytes | str, *, progress: Callable[[int], None] = lambda rows: None
) -> ImportReport:
    """Check the file, then record every row as a submission (dedupe, touches, owner) — new
    persons in bulk, the rest one by one. The caller commits once, or rolls back everything."""
    submissions = check_leads_csv(data)
    created = 0
    for start in range(0, len(submissions), CHUNK):
        chunk = submissions[start : start + CHUNK]
        created += import_chunk(chunk)
        db.session.expunge_all()  # keep memory flat over big files
        progress(len(chunk))
    return ImportReport(rows=len(submissions), created=created)
