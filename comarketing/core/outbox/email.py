"""The e-mail channel of the outbox: messages are rendered when they are sent (so a reminder
shows the webinar's current time and link) and go out over SMTP, or to the log when no
``SMTP_URL`` is set (development), where the newest are also kept in ``sent_mails`` for the
staff page that lists them (``SENT_MAIL_KEEP``, 200 by default, none in production). Each
topic family has its renderer, registered by ``create_app`` (``outbox_registry(app).renderers``,
by topic prefix)."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from flask import current_app
from sqlalchemy import delete, select

from comarketing.core.outbox.delivery import (
    SECRET_PAYLOAD_KEYS,
    DeliveryError,
    Send,
    outbox_registry,
)
from comarketing.core.outbox.models import OutboxMessage, SentMail
from comarketing.extensions import db

log = logging.getLogger(__name__)
HIDDEN = "[hidden: see the worker's log]"


def send_email(message: OutboxMessage) -> Send | None:
    """The sender of the e-mail channel: render now (reads the database); the returned call
    sends it."""
    render = outbox_registry().renderer(message.topic)
    if render is None:
        raise DeliveryError(f"no renderer for e-mail topic {message.topic!r}", retry=False)
    email = render(message)
    if email is None:
        return None  # nothing to send any more (e.g. the person was erased); counts as done
    email["From"] = current_app.config["MAIL_FROM"]
    smtp_url = current_app.config.get("SMTP_URL")
    timeout = current_app.config["OUTBOUND_TIMEOUT"]
    keep = int(current_app.config.get("SENT_MAIL_KEEP", 0 if _production() else 200))
    topic, message_id = message.topic, message.id
    secrets = [str(v) for k, v in message.payload.items() if k in SECRET_PAYLOAD_KEYS and v]
    secret_links = outbox_registry().secret_links

    def send() -> None:
        if not smtp_url:
            body = email.get_body(preferencelist=("plain",))
            text = body.get_content() if body is not None else ""
            log.info("e-mail to %s: %s\n%s", email["To"], email["Subject"], text)
            if keep > 0:
                for secret in secrets:
                    text = text.replace(secret, HIDDEN)
                for pattern in secret_links:
                    text = pattern.sub(HIDDEN, text)
                sent = SentMail(
                    recipient=str(email["To"])[:320],
                    subject=str(email["Subject"] or "")[:300],
                    body=text,
                    topic=topic,
                    outbox_message_id=message_id,
                )
                _keep(sent, keep)
            return
        deliver_smtp(smtp_url, email, timeout)

    return send


def _production() -> bool:
    return current_app.config.get("ENV") == "production"


def _keep(sent: SentMail, newest: int) -> None:
    """Store ``sent`` and forget all but the ``newest`` kept mails; committed."""
    db.session.add(sent)
    db.session.flush()
    cutoff = db.session.scalar(
        select(SentMail.id).order_by(SentMail.id.desc()).offset(newest).limit(1)
    )
    if cutoff is not None:
        db.session.execute(delete(SentMail).where(SentMail.id <= cutoff))
    db.session.commit()


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
