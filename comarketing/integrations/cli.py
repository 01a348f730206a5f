"""``flask crm add|list|enable|disable``: the destinations leads are pushed to."""

from __future__ import annotations

from typing import NoReturn

import click
from flask.cli import AppGroup

from comarketing.core.errors import ValidationFailed
from comarketing.extensions import db
from comarketing.integrations.models import CrmDestination, DestinationKind
from comarketing.integrations.queries import destinations
from comarketing.integrations.services import add_destination, set_destination_active

crm_cli = AppGroup("crm", help="CRM destinations that every new lead is pushed to.")


def _fail(error: ValidationFailed) -> NoReturn:
    db.session.rollback()
    details = "; ".join(
        problem for problems in (error.fields or {}).values() for problem in problems
    )
    raise click.ClickException(f"{error.message} {details}".strip())


def _add(kind: DestinationKind, url: str, secret: str | None, name: str) -> None:
    try:
        destination = add_destination(kind, url, secret=secret, name=name)
    except ValidationFailed as error:
        _fail(error)
    db.session.commit()
    click.echo(
        f"Added {kind.value} destination {destination.id} ({destination.name}): "
        "leads created from now on are pushed to it."
    )


@crm_cli.group("add")
def crm_add() -> None:
    """Add a destination (bitrix24, amocrm or webhook)."""


NAME_OPTION = click.option("--name", default="", help="A label; default: the host of the URL.")


@crm_add.command("bitrix24")
@click.option(
    "--url", required=True, help="Inbound webhook: https://<portal>/rest/<user>/<secret>/"
)
@NAME_OPTION
def add_bitrix24(url: str, name: str) -> None:
    """Push new leads to a Bitrix24 portal with crm.lead.add."""
    _add(DestinationKind.BITRIX24, url, None, name)


@crm_add.command("amocrm")
@click.option("--url", required=True, help="Account address: https://<account>.amocrm.ru")
@click.option("--token", required=True, help="A long-lived token of the account.")
@NAME_OPTION
def add_amocrm(url: str, token: str, name: str) -> None:
    """Push new leads to amoCRM with POST /api/v4/leads/complex."""
    _add(DestinationKind.AMOCRM, url, token, name)


@crm_add.command("webhook")
@click.option("--url", required=True, help="Where to POST the signed JSON.")
@click.option("--secret", required=True, help="Key of the X-Comarketing-Signature HMAC.")
@NAME_OPTION
def add_webhook(url: str, secret: str, name: str) -> None:
    """POST new leads as JSON signed with X-Comarketing-Signature."""
    _add(DestinationKind.WEBHOOK, url, secret, name)


@crm_cli.command("list")
def crm_list() -> None:
    """Every destination, its address (secrets hidden) and its messages by status."""
    rows = destinations()
    for row in rows:
        state = "active" if row.active else "off"
        counts = ", ".join(f"{status} {count}" for status, count in sorted(row.counts.items()))
        click.echo(
            f"{row.id}\t{row.kind}\t{state}\t{row.name}\t{row.url}\t{counts or 'no messages'}"
        )
    click.echo(f"{len(rows)} destination(s).")


def _switch(destination_id: int, active: bool) -> None:
    destination = db.session.get(CrmDestination, destination_id)
    if destination is None:
        raise click.ClickException(f"There is no destination {destination_id}.")
    cancelled = set_destination_active(destination, active)
    db.session.commit()
    suffix = f"; {cancelled} pending message(s) cancelled" if cancelled else ""
    click.echo(f"Destination {destination_id} {'enabled' if active else 'disabled'}{suffix}.")


@crm_cli.command("disable")
@click.argument("destination_id", type=int)
def crm_disable(destination_id: int) -> None:
    """Stop pushing to a destination (its pending messages are cancelled)."""
    _switch(destination_id, False)


@crm_cli.command("enable")
@click.argument("destination_id", type=int)
def crm_enable(destination_id: int) -> None:
    """Push leads created from now on to a destination again."""
    _switch(destination_id, True)
