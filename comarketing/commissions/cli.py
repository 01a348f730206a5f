"""``flask payments import``, ``flask commissions approve``."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from comarketing.commissions.imports import import_payments
from comarketing.commissions.services import approve_due
from comarketing.core.cli import import_csv_file
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
