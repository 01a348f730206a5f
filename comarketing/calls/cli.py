"""``flask calls import``: a telephony platform's call log."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from comarketing.calls.imports import import_calls
from comarketing.core.cli import import_csv_file

calls_cli = AppGroup("calls", help="Calls to tracking numbers.")

FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@calls_cli.command("import")
@click.argument("file", type=FILE)
def import_calls_command(file: Path) -> None:
    """Import calls (call_id,tracking_number,caller,started_at,duration_s,answered); all
    rows or none; a call_id already known adds nothing."""
    report = import_csv_file(file, "Importing calls", import_calls)
    click.echo(
        f"Imported {report.recorded} calls from {file.name} "
        f"({report.leads} with a lead, {report.repeated} already recorded)."
    )
