"""Managing CRM destinations and dead outbox messages. Services flush; callers commit."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import update

from comarketing.core import http
from comarketing.core.errors import ValidationFailed
from comarketing.core.outbox import OutboxMessage, OutboxStatus
from comarketing.core.urls import MAX_URL_LENGTH
from comarketing.extensions import db
from comarketing.integrations.crm import amocrm, bitrix24
from comarketing.integrations.models import CrmDestination, DestinationKind


def _checked_url(kind: DestinationKind, url: str) -> str:
    """The URL as stored: normalised for its CRM, http(s), and not a private target unless
    ``OUTBOUND_ALLOW_PRIVATE``."""
    url = url.strip()
    try:
        if kind is DestinationKind.BITRIX24:
            url = bitrix24.normalize_webhook_url(url)
        elif kind is DestinationKind.AMOCRM:
            url = amocrm.normalize_account_url(url)
    except ValueError:
        examples = {
            DestinationKind.BITRIX24: "https://<portal>.bitrix24.ru/rest/<user>/<secret>/",
            DestinationKind.AMOCRM: "https://<account>.amocrm.ru",
        }
        raise ValidationFailed(
            _("The address is not a %(kind)s address.", kind=kind.value),
            fields={"url": [_("Expected something like %(example)s", example=examples[kind])]},
        ) from None
    check_reachable(url, refused=_("This address cannot receive leads."))
    return url


def check_reachable(url: str, *, refused: str, allow_private: bool | None = None) -> None:
    """A 422 on ``url`` unless we may call it: at most 2048 characters, a host that resolves,
    not a private target (``core.http.check_target``; ``allow_private`` None: the config's
    OUTBOUND_ALLOW_PRIVATE). ``refused`` says what the address cannot do."""
    if len(url) > MAX_URL_LENGTH:
        raise ValidationFailed(
            _("The address is too long."), fields={"url": [_("At most 2048 characters.")]}
        )
    try:
        http.check_target(url, allow_private=allow_private)
    except http.TargetUnresolvable as error:
        raise ValidationFailed(
            _("The host of the address cannot be found."), fields={"url": [str(error)]}
        ) from None
    except http.TargetRefused as error:
        raise ValidationFailed(refused, fields={"url": [str(error)]}) from None


def add_destination(
    kind: DestinationKind | str,
    url: str,
    *,
    secret: str | None = None,
    name: str = "",
    payments_from_deals: bool = False,
) -> CrmDestination:
    """Add an active destination that every lead created from now on is pushed to.

    ``secret`` is the amoCRM long-lived token or the webhook signing key (required for both;
    a Bitrix24 webhook URL carries its own). ``name`` defaults to the host of the URL.
    ``payments_from_deals``: a won deal there records its amount as a payment (contract §8).
    """
    kind = DestinationKind(kind)
    secret = (secret or "").strip() or None
    if kind is not DestinationKind.BITRIX24 and secret is None:
        field = "token" if kind is DestinationKind.AMOCRM else "secret"
        raise ValidationFailed(
            _("A %(kind)s destination needs a %(field)s.", kind=kind.value, field=field),
            fields={field: [_("Required.")]},
        )
    if secret is not None and len(secret) > 1000:
        raise ValidationFailed(
            _("The token or secret is too long."),
            fields={"secret": [_("At most 1000 characters.")]},
        )
    stored_url = _checked_url(kind, url)
    destination = CrmDestination(
        kind=kind,
        url=stored_url,
        secret=secret,
        name=(name.strip() or urlsplit(stored_url).hostname or kind.value)[:200],
        active=True,
        payments_from_deals=payments_from_deals and kind is not DestinationKind.WEBHOOK,
    )
    db.session.add(destination)
    db.session.flush()
    return destination


def set_destination_active(destination: CrmDestination, active: bool) -> int:
    """Switch a destination on or off. Switching off cancels its pending messages (they would
    never be sent); switching on pushes leads created from then on. Returns cancelled count."""
    destination.active = active
    cancelled = 0
    if not active:
        result = db.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.destination_id == destination.id,
                OutboxMessage.status == OutboxStatus.PENDING,
            )
            .values(status=OutboxStatus.CANCELLED)
            .execution_options(synchronize_session="fetch")
        )
        cancelled = int(getattr(result, "rowcount", 0) or 0)
    db.session.flush()
    return cancelled
