"""``flask spend import FILE.csv``."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from comarketing.campaigns.spend import import_spend
from comarketing.core.cli import report_csv_errors
from comarketing.core.csv_import import CsvImportError
from comarketing.extensions import db

spend_cli = AppGroup("spend", help="Marketing spend.")


@spend_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_spend_command(file: Path) -> None:
    """Import spend rows (spent_on,amount,paid_by,campaign,webinar,partner,note); all or none."""
    data = file.read_bytes()
    with click.progressbar(length=max(1, data.count(b"\n")), label="Importing spend") as bar:
        try:
            imported = import_spend(data, progress=bar.update)
        except CsvImportError as error:
            db.session.rollback()
            report_csv_errors(error)
        db.session.commit()
    click.echo(f"Imported {imported} spend rows from {file.name}.")
