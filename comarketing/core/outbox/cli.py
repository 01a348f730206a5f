"""``flask outbox deliver [--once]``: the worker that empties the outbox; ``flask outbox
retry``: dead messages go again."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from comarketing.core.outbox.delivery import deliver_due, outbox_registry
from comarketing.core.outbox.periodic import Schedule
from comarketing.core.outbox.queue import retry_dead
from comarketing.extensions import db

outbox_cli = AppGroup("outbox", help="Outbound messages (CRM pushes, webhooks, e-mail).")


@outbox_cli.command("deliver")
@click.option("--once", is_flag=True, help="Deliver what is due now, then exit.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between polls.")
def deliver_command(once: bool, interval: float) -> None:
    """Deliver due messages, retrying failures with backoff (OUTBOX_RETRY_DELAYS); without
    ``--once``, also run the periodic jobs (the CRM sync every CRM_SYNC_INTERVAL seconds)."""
    schedule = Schedule()
    while True:
        report = deliver_due()
        if once:
            click.echo(f"Outbox: {report}.")
            return
        if report.delivered or report.retried or report.dead:
            click.echo(f"Outbox: {report}.")
        for said in schedule.run_due(outbox_registry().periodic):
            click.echo(said)
        time.sleep(interval)


@outbox_cli.command("retry")
@click.argument("message_ids", type=int, nargs=-1)
def retry_command(message_ids: tuple[int, ...]) -> None:
    """Make dead messages pending again (all of them when no id is given)."""
    count = retry_dead(list(message_ids) if message_ids else None)
    db.session.commit()
    click.echo(f"{count} dead message(s) will be retried.")
