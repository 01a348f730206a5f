"""``flask payments import``, ``flask commissions approve|close-month``."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from comarketing.commissions.closing import close_month
from comarketing.commissions.imports import import_payments
from comarketing.commissions.services import approve_due
from comarketing.core.cli import import_csv_file
from comarketing.core.errors import ValidationFailed
from comarketing.extensions import db

payments_cli = AppGroup("payments", help="Payments of clients.")
commissions_cli = AppGroup("commissions", help="Partners' commissions.")

FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@payments_cli.command("import")
@click.argument("file", type=FILE)
def import_payments_command(file: Path) -> None:
    """Import payments (email,phone,amount,paid_at,external_id,note); all rows or none."""
    report = import_csv_file(file, "Importing payments", import_payments)
    click.echo(
        f"Imported {report.recorded} payments from {file.name} "
        f"({report.repeated} already recorded)."
    )


@commissions_cli.command("approve")
def approve_command() -> None:
    """Approve pending commissions whose holding period has passed (run daily)."""
    approved = approve_due()
    db.session.commit()
    click.echo(f"Approved {approved} commission lines.")


@commissions_cli.command("close-month")
@click.argument("month", metavar="YYYY-MM")
def close_month_command(month: str) -> None:
    """Write the monthly-total commissions of a month that is over (again: nothing new)."""
    try:
        year, number = (int(part) for part in month.split("-"))
        if not 1 <= number <= 12:
            raise ValueError
    except ValueError:
        raise click.BadParameter("a month as YYYY-MM, e.g. 2026-11", param_hint="MONTH") from None
    try:
        report = close_month(year, number)
    except ValidationFailed as error:
        db.session.rollback()
        details = "; ".join(text for texts in (error.fields or {}).values() for text in texts)
        raise click.ClickException(f"{error.message} {details}".strip()) from None
    db.session.commit()
    click.echo(f"Closed {month}: {report}.")
