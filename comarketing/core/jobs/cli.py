"""``flask worker``: the outbox and the scheduled jobs; ``flask worker status``: how they
went and what waits."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from comarketing.core.jobs.leases import run_due
from comarketing.core.jobs.registry import job_registry
from comarketing.core.jobs.status import describe, job_statuses
from comarketing.core.jobs.worker import Worker
from comarketing.core.outbox.backlog import backlog
from comarketing.core.outbox.delivery import deliver_due


@click.group("worker", cls=AppGroup, invoke_without_command=True)
@click.option("--once", is_flag=True, help="Deliver what is due and run the due jobs, then exit.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between outbox polls.")
@click.pass_context
@with_appcontext
def worker_cli(context: click.Context, once: bool, interval: float) -> None:
    """Deliver the outbox and run the scheduled jobs (each once per interval, however many
    workers run), until SIGTERM or Ctrl-C."""
    if context.invoked_subcommand is not None:
        return
    if once:
        click.echo(f"Outbox: {deliver_due()}.")
        for said in run_due(job_registry().jobs):
            click.echo(said)
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    Worker(app, poll=interval, say=click.echo).run()


@worker_cli.command("status")
def status_command() -> None:
    """Each scheduled job's last and next run, and the outbox backlog."""
    for status in job_statuses(job_registry().jobs):
        for line in describe(status):
            click.echo(line)
    click.echo(f"Outbox: {backlog()}.")
