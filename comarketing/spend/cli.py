"""``flask spend import FILE.csv``."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from comarketing.core.cli import import_csv_file
from comarketing.spend.services import import_spend

spend_cli = AppGroup("spend", help="Marketing spend.")


@spend_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_spend_command(file: Path) -> None:
    """Import spend rows (spent_on,amount,paid_by,campaign,webinar,partner,note); all or none."""
    imported = import_csv_file(file, "Importing spend", import_spend)
    click.echo(f"Imported {imported} spend rows from {file.name}.")
