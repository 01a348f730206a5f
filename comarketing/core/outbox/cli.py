"""``flask outbox deliver [--once]``: empties the outbox (``flask worker`` without the
scheduled jobs); ``flask outbox retry``: dead messages go again."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from comarketing.core.jobs.worker import Worker
from comarketing.core.outbox.delivery import deliver_due
from comarketing.core.outbox.queue import retry_dead
from comarketing.extensions import db

outbox_cli = AppGroup("outbox", help="Outbound messages (CRM pushes, webhooks, e-mail).")


@outbox_cli.command("deliver")
@click.option("--once", is_flag=True, help="Deliver what is due now, then exit.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between polls.")
def deliver_command(once: bool, interval: float) -> None:
    """Deliver due messages, retrying failures with backoff (OUTBOX_RETRY_DELAYS); without
    ``--once``, keep polling until SIGTERM or Ctrl-C. ``flask worker`` also runs the
    scheduled jobs."""
    if once:
        click.echo(f"Outbox: {deliver_due()}.")
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    Worker(app, poll=interval, jobs=False, say=click.echo).run()


@outbox_cli.command("retry")
@click.argument("message_ids", type=int, nargs=-1)
def retry_command(message_ids: tuple[int, ...]) -> None:
    """Make dead messages pending again (all of them when no id is given)."""
    count = retry_dead(list(message_ids) if message_ids else None)
    db.session.commit()
    click.echo(f"{count} dead message(s) will be retried.")
