"""``flask demo``: load the demo data set."""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext

from comarketing.demo.data import DEMO_PASSWORD, USERS
from comarketing.demo.loader import database_is_empty, load_demo, wipe_database
from comarketing.demo.traffic import HUMAN_CLICKS_PER_SCALE
from comarketing.extensions import db


def print_logins() -> None:
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for role, email, name, _ in USERS:
        click.echo(f"  {role:<9} {email:<38} {name}")


@click.command("demo")
@click.option(
    "--scale",
    default=1,
    show_default=True,
    type=click.IntRange(1, 1000),
    help="Multiply the volume (1 ≈ 10,000 clicks; 100 ≈ 1,000,000).",
)
@click.option("--force", is_flag=True, help="Delete ALL existing data first.")
@click.option("--if-empty", is_flag=True, help="Skip quietly (exit 0) when the database has data.")
@with_appcontext
def demo_command(scale: int, force: bool, if_empty: bool) -> None:
    """Load the demo data set: partners, webinars, campaigns, links, clicks, leads, payments."""
    if not database_is_empty():
        if if_empty:
            click.echo("The database already has data; the demo was not loaded.")
            print_logins()
            return
        if not force:
            raise click.ClickException(
                "The database is not empty; use --force to delete everything and reload."
            )
        wipe_database()
    started = time.monotonic()
    expected_rows = int(HUMAN_CLICKS_PER_SCALE * scale * 1.25)
    with click.progressbar(length=expected_rows, label="Loading demo data") as bar:

        def progress(step: str, amount: int) -> None:
            if step == "rows":
                bar.update(amount)

        summary = load_demo(scale, progress=progress)
        db.session.commit()
        bar.update(expected_rows)
    click.echo(
        f"Loaded the demo in {time.monotonic() - started:.1f} s: {summary.partners} partners, "
        f"{summary.links} links, {summary.human_clicks:,} human and {summary.bot_clicks:,} bot "
        f"clicks, {summary.leads:,} leads, {summary.payments:,} payments."
    )
    print_logins()
