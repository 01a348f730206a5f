"""The outbox delivers webinar e-mails when due, over a real SMTP socket, with retries."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from comarketing.core.outbox import OutboxMessage, OutboxStatus, deliver_due
from comarketing.extensions import db
from comarketing.leads.services.registrations import register
from tests.live import free_port


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp(app):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{controller.port}"
    yield inbox
    controller.stop()
    app.config["SMTP_URL"] = None


@pytest.fixture
def registration(make):
    webinar = make.webinar(
        title="Коллтрекинг и amoCRM", starts_at=datetime.now(UTC) + timedelta(days=3)
    )
    reg, _ = register(webinar, email="anna@example.com", name="Анна", locale="ru")
    db.session.commit()
    return reg


def pending_topics():
    return sorted(
        db.session.scalars(
            select(OutboxMessage.topic).where(OutboxMessage.status == OutboxStatus.PENDING)
        )
    )


def test_confirmation_now_reminders_later(smtp, registration):
    report = deliver_due()
    assert (report.delivered, report.retried, report.dead) == (1, 0, 0)
    assert len(smtp.messages) == 1
    envelope = smtp.messages[0]
    assert envelope.rcpt_tos == ["anna@example.com"]
    body = envelope.content.decode()
    assert "text/calendar" in body
    assert "webinar.ics" in body
    assert pending_topics() == ["webinar.follow_up", "webinar.reminder_1h", "webinar.reminder_24h"]

    three_days_later = datetime.now(UTC) + timedelta(days=2, hours=23, minutes=30)
    report = deliver_due(now=three_days_later)
    assert report.delivered == 2
    assert pending_topics() == ["webinar.follow_up"]


def test_email_is_in_the_registrants_language(smtp, make):
    webinar = make.webinar(title="Webinar", starts_at=datetime.now(UTC) + timedelta(days=3))
    register(webinar, email="john@example.com", name="John", locale="en")
    db.session.commit()
    deliver_due()
    text = smtp.messages[0].content.decode()
    assert "You are registered" in text


def test_smtp_down_is_retried_with_backoff(app, registration):
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{free_port()}"  # nobody listens there
    try:
        report = deliver_due()
    finally:
        app.config["SMTP_URL"] = None
    assert (report.delivered, report.retried) == (0, 1)
    message = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.topic == "webinar.confirmation")
    )
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 1
    assert message.next_attempt_at > datetime.now(UTC) + timedelta(seconds=50)
    assert "SMTP failed" in message.last_error


def test_retries_end_in_a_dead_message(app, registration):
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{free_port()}"
    app.config["OUTBOX_RETRY_DELAYS"] = [1, 2]
    try:
        moment = datetime.now(UTC)
        for _ in range(3):
            deliver_due(now=moment, limit=1)
            moment += timedelta(seconds=5)
    finally:
        app.config["SMTP_URL"] = None
        app.config["OUTBOX_RETRY_DELAYS"] = [60, 300, 1800, 7200, 21600, 43200, 86400]
    message = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.topic == "webinar.confirmation")
    )
    assert (message.status, message.attempts) == (OutboxStatus.DEAD, 3)


def test_without_smtp_the_email_goes_to_the_log(registration, caplog):
    with caplog.at_level(logging.INFO, logger="comarketing.core.outbox.email"):
        assert deliver_due().delivered == 1
    assert "anna@example.com" in caplog.text
    assert "Коллтрекинг и amoCRM" in caplog.text


def test_moving_the_webinar_moves_the_reminders(registration):
    from comarketing.webinars.models import Webinar
    from comarketing.webinars.services.webinars import update_webinar

    webinar = db.session.get(Webinar, registration.webinar_id)
    new_start = webinar.starts_at + timedelta(days=7)
    update_webinar(webinar, {"starts_at": new_start})
    db.session.commit()
    reminder = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.topic == "webinar.reminder_24h")
    )
    assert reminder.next_attempt_at == new_start - timedelta(hours=24)


def test_outbox_cli_once(runner, registration):
    result = runner.invoke(args=["outbox", "deliver", "--once"])
    assert result.exit_code == 0, result.output
    assert "1 delivered" in result.output
