"""The e-mail channel of the outbox: messages are rendered when they are sent (so a reminder
shows the webinar's current time and link) and go out over SMTP, or to the log when no
``SMTP_URL`` is set (development)."""

from __future__ import annotations

import importlib
import logging
import smtplib
from email.message import EmailMessage
from typing import Protocol
from urllib.parse import unquote, urlsplit

from flask import current_app

from comarketing.integrations.models import OutboxChannel, OutboxMessage
from comarketing.integrations.outbox import DeliveryError, Send, sender

log = logging.getLogger(__name__)

# Topic prefix → "module:function" that renders the message (or None: no longer needed).
RENDERERS = {
    "webinar.": "comarketing.webinars.emails:render",
    "user.": "comarketing.users.emails:render",
}


class Renderer(Protocol):
    def __call__(self, message: OutboxMessage) -> EmailMessage | None: ...


def _renderer(topic: str) -> Renderer:
    for prefix, target in RENDERERS.items():
        if topic.startswith(prefix):
            module_name, _, function = target.partition(":")
            renderer: Renderer = getattr(importlib.import_module(module_name), function)
            return renderer
    raise DeliveryError(f"no renderer for e-mail topic {topic!r}", retry=False)


@sender(OutboxChannel.EMAIL)
def send_email(message: OutboxMessage) -> Send | None:
    """Render now (reads the database); the returned call sends it."""
    email = _renderer(message.topic)(message)
    if email is None:
        return None  # nothing to send any more (e.g. the person was erased); counts as done
    email["From"] = current_app.config["MAIL_FROM"]
    smtp_url = current_app.config.get("SMTP_URL")
    timeout = current_app.config["OUTBOUND_TIMEOUT"]

    def send() -> None:
        if not smtp_url:
            body = email.get_body(preferencelist=("plain",))
            text = body.get_content() if body is not None else ""
            log.info("e-mail to %s: %s\n%s", email["To"], email["Subject"], text)
            return
        deliver_smtp(smtp_url, email, timeout)

    return send


def deliver_smtp(smtp_url: str, email: EmailMessage, timeout: float) -> None:
    """Send over ``smtp://user:password@host:port`` (STARTTLS when offered) or ``smtps://``;
    ``timeout`` in seconds."""
    url = urlsplit(smtp_url)
    client_class = smtplib.SMTP_SSL if url.scheme == "smtps" else smtplib.SMTP
    try:
        with client_class(url.hostname or "localhost", url.port or 0, timeout=timeout) as client:
            if url.scheme == "smtp" and client.has_extn("starttls"):
                client.starttls()
            if url.username:
                client.login(unquote(url.username), unquote(url.password or ""))
            client.send_message(email)
    except smtplib.SMTPRecipientsRefused as error:
        raise DeliveryError(f"recipient refused: {error.recipients}", retry=False) from None
    except (smtplib.SMTPException, OSError) as error:
        raise DeliveryError(f"SMTP failed: {error}") from None
