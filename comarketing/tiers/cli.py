"""``flask tiers evaluate [--as-of DATE]``: move partners to the tiers they earned."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import click
from flask.cli import AppGroup

from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.tiers.evaluate import evaluate_tiers

tiers_cli = AppGroup("tiers", help="Partner tiers earned by rule.")


@tiers_cli.command("evaluate")
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Evaluate the 12 months up to the end of this day (UTC); default: now.",
)
def evaluate_command(as_of: datetime | None) -> None:
    """Promote partners that meet a higher tier; demote those below theirs for the grace period."""
    moment = (
        datetime.combine(date(as_of.year, as_of.month, as_of.day), time.max, tzinfo=UTC)
        if as_of
        else utcnow()
    )
    report = evaluate_tiers(moment)
    db.session.commit()
    click.echo(f"Tiers: {report}.")


def periodic_evaluation() -> str:
    """The worker's daily job."""
    report = evaluate_tiers(utcnow())
    db.session.commit()
    return str(report)
