"""``flask outbox deliver [--once]``: the worker that empties the outbox."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from comarketing.integrations.outbox import deliver_due

outbox_cli = AppGroup("outbox", help="Outbound messages (CRM pushes, webhooks, e-mail).")


@outbox_cli.command("deliver")
@click.option("--once", is_flag=True, help="Deliver what is due now, then exit.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between polls.")
def deliver_command(once: bool, interval: float) -> None:
    """Deliver due messages, retrying failures with backoff (OUTBOX_RETRY_DELAYS)."""
    while True:
        report = deliver_due()
        if once:
            click.echo(f"Outbox: {report}.")
            return
        if report.delivered or report.retried or report.dead:
            click.echo(f"Outbox: {report}.")
        time.sleep(interval)
