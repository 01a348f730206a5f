"""``flask crm add|list|enable|disable|set-app-token|sync``: the destinations leads are
pushed to, and what comes back from them."""

from __future__ import annotations

from datetime import datetime
from typing import NoReturn

import click
from flask import current_app
from flask.cli import AppGroup

from comarketing.core.errors import ValidationFailed
from comarketing.core.outbox import DeliveryError
from comarketing.core.timeparse import parse_moment
from comarketing.core.urls import public_url
from comarketing.extensions import db
from comarketing.integrations.hooks import bp
from comarketing.integrations.inbound.receive import new_hook_secret, set_app_token
from comarketing.integrations.inbound.sync import SyncReport, sync_all
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


def _add(
    kind: DestinationKind,
    url: str,
    secret: str | None,
    name: str,
    *,
    app_token: str | None = None,
    payments_from_deals: bool = False,
) -> None:
    try:
        destination = add_destination(
            kind, url, secret=secret, name=name, payments_from_deals=payments_from_deals
        )
        if app_token is not None:
            set_app_token(destination, app_token)
    except ValidationFailed as error:
        _fail(error)
    except ValueError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    hook_secret = new_hook_secret(destination) if kind is DestinationKind.AMOCRM else None
    db.session.commit()
    added = (
        f"Added {kind.value} destination {destination.id} ({destination.name}): "
        "leads created from now on are pushed to it"
    )
    if kind is DestinationKind.BITRIX24:
        hook = public_url(f"{bp.url_prefix}/bitrix24/{destination.id}")
        token_note = "" if app_token else f" once `crm set-app-token {destination.id}` is run"
        added += f"; deal and lead events are taken at {hook}{token_note}"
    elif hook_secret is not None:
        hook = public_url(f"{bp.url_prefix}/amocrm/{destination.id}/{hook_secret}")
        added += f"; its lead webhook (shown once, the secret is in it): {hook}"
    click.echo(added + ".")


@crm_cli.group("add")
def crm_add() -> None:
    """Add a destination (bitrix24, amocrm or webhook)."""


NAME_OPTION = click.option("--name", default="", help="A label; default: the host of the URL.")
PAYMENTS_OPTION = click.option(
    "--payments-from-deals",
    is_flag=True,
    help="Record a won deal's amount as a payment (commissions follow without a CSV).",
)


@crm_add.command("bitrix24")
@click.option(
    "--url", required=True, help="Inbound webhook: https://<portal>/rest/<user>/<secret>/"
)
@click.option(
    "--app-token", default=None, help="The application token of the portal's outbound webhook."
)
@NAME_OPTION
@PAYMENTS_OPTION
def add_bitrix24(url: str, app_token: str | None, name: str, payments_from_deals: bool) -> None:
    """Push new leads to a Bitrix24 portal with crm.lead.add; take its deal events back."""
    _add(
        DestinationKind.BITRIX24,
        url,
        None,
        name,
        app_token=app_token,
        payments_from_deals=payments_from_deals,
    )


@crm_add.command("amocrm")
@click.option("--url", required=True, help="Account address: https://<account>.amocrm.ru")
@click.option("--token", required=True, help="A long-lived token of the account.")
@NAME_OPTION
@PAYMENTS_OPTION
def add_amocrm(url: str, token: str, name: str, payments_from_deals: bool) -> None:
    """Push new leads to amoCRM with POST /api/v4/leads/complex; take its webhooks back."""
    _add(DestinationKind.AMOCRM, url, token, name, payments_from_deals=payments_from_deals)


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


@crm_cli.command("set-app-token")
@click.argument("destination_id", type=int)
@click.argument("token")
def crm_set_app_token(destination_id: int, token: str) -> None:
    """Set the application token a Bitrix24 portal's events must carry."""
    destination = db.session.get(CrmDestination, destination_id)
    if destination is None or destination.kind is not DestinationKind.BITRIX24:
        raise click.ClickException(f"There is no Bitrix24 destination {destination_id}.")
    try:
        set_app_token(destination, token)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Destination {destination_id} takes events with this application token.")


def _since(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return parse_moment(value, current_app.config["BABEL_DEFAULT_TIMEZONE"])
    except ValueError:
        raise click.BadParameter(
            "an ISO 8601 time, e.g. 2026-12-01T00:00:00+03:00 (without offset: Moscow time)",
            param_hint="--since",
        ) from None


@crm_cli.command("sync")
@click.option("--since", default=None, help="ISO time; default: since each CRM's last sync.")
@click.option("--destination", "destination_id", type=int, default=None, help="Only this one.")
def crm_sync(since: str | None, destination_id: int | None) -> None:
    """Read the deals and leads changed in the CRMs and apply them (missed events)."""
    moment = _since(since)
    if destination_id is not None and db.session.get(CrmDestination, destination_id) is None:
        raise click.ClickException(f"There is no destination {destination_id}.")
    results = sync_all([destination_id] if destination_id is not None else None, since=moment)
    total = SyncReport()
    for current, result in results:
        if isinstance(result, DeliveryError):
            click.echo(f"Destination {current}: the CRM failed ({result}).", err=True)
            continue
        total.add(result)
    failed = sum(isinstance(result, DeliveryError) for _, result in results)
    if failed:
        raise click.ClickException(f"{failed} of {len(results)} CRM(s) could not be read.")
    click.echo(f"CRM sync: {total} in {len(results)} destination(s).")
