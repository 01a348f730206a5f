"""``flask webinars sync SLUG``: pull a webinar's attendance from its platform."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from comarketing.extensions import db
from comarketing.webinars.models import Webinar
from comarketing.webinars.platforms import PlatformError
from comarketing.webinars.platforms.sync import sync_webinar

webinars_cli = AppGroup("webinars", help="Joint webinars.")


@webinars_cli.command("sync")
@click.argument("slug")
def sync_command(slug: str) -> None:
    """Pull registrants and participants (minutes watched) from the webinar's platform and
    record attendance; running it again changes nothing."""
    webinar = db.session.scalar(select(Webinar).where(Webinar.slug == slug))
    if webinar is None:
        raise click.ClickException(f"No webinar with slug {slug!r}.")
    try:
        result = sync_webinar(webinar)
    except PlatformError as error:
        db.session.rollback()
        raise click.ClickException(f"{slug}: {error}") from None
    db.session.commit()
    click.echo(f"{slug}: {result}.")
    for email in result.unknown:
        click.echo(f"  not registered here: {email}", err=True)
