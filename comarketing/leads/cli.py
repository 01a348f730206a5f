"""``flask leads import|erase``."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from comarketing.core.cli import cli_transaction, import_csv_file
from comarketing.leads.services.erasure import erase_person
from comarketing.leads.services.imports import import_leads

leads_cli = AppGroup("leads", help="Leads (persons).")

FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@leads_cli.command("import")
@click.argument("file", type=FILE)
def import_leads_command(file: Path) -> None:
    """Import leads (email,phone,name,company,utm_*,occurred_at); all rows or none."""
    report = import_csv_file(file, "Importing leads", import_leads)
    click.echo(f"Imported {report.rows} rows from {file.name}: {report.created} new leads.")


@leads_cli.command("erase")
@click.argument("email")
def erase_command(email: str) -> None:
    """Erase a person's personal data; counts and money stay, pending messages are cancelled."""
    with cli_transaction():
        report = erase_person(email)
    click.echo(
        f"Erased the personal data of lead #{report.lead_id or '-'}: "
        f"{report.registrations} registrations, {report.touches} waiting touches, "
        f"{report.messages_cancelled} pending messages cancelled."
    )
