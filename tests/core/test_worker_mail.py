"""Without an SMTP server the worker keeps the e-mails it would have sent, for the staff page
``/settings/integrations/mail`` (one-time links hidden); ``/healthz`` shows the backlog."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from comarketing import create_app
from comarketing.core.auth import Role
from comarketing.core.outbox import OutboxMessage, OutboxStatus, deliver_due
from comarketing.core.outbox.models import SentMail
from comarketing.extensions import db
from comarketing.leads.services.registrations import register
from comarketing.users.invitations import invite_partner_user
from comarketing.webinars.consents import withdrawal_token
from tests.factories import login


def kept() -> list[SentMail]:
    return list(db.session.scalars(select(SentMail).order_by(SentMail.id)))


def test_a_registration_confirmation_is_kept_and_listed(app, client, make):
    assert not app.config.get("SMTP_URL")
    webinar = make.webinar(
        title="Коллтрекинг и amoCRM", starts_at=datetime.now(UTC) + timedelta(days=3)
    )
    register(webinar, email="anna@example.com", name="Анна", locale="ru")
    db.session.commit()
    assert deliver_due().delivered == 1
    [mail] = kept()
    assert mail.recipient == "anna@example.com"
    assert mail.topic == "webinar.confirmation"
    assert "Коллтрекинг и amoCRM" in mail.subject + mail.body

    login(client, make.user(Role.MANAGER))
    index = client.get("/settings/integrations")
    assert 'href="/settings/integrations/mail"' in index.text
    page = client.get("/settings/integrations/mail")
    assert page.status_code == 200
    assert "anna@example.com" in page.text
    assert mail.subject in page.text


def test_the_page_is_for_managers_and_admins(app, client, make):
    # A partner is sent to its portal: the isolation walk (tests/portal) opens this page too.
    assert client.get("/settings/integrations/mail").status_code == 302  # to the login page
    login(client, make.user(Role.MARKETER))
    assert client.get("/settings/integrations/mail").status_code == 403


def test_a_consent_withdrawal_link_is_hidden_from_the_kept_mail(app, make):
    cohost = make.partner("Альфа-Софт")
    webinar = make.webinar(
        [cohost], title="Речевая аналитика", starts_at=datetime.now(UTC) + timedelta(days=3)
    )
    registration, _ = register(webinar, email="p@client.example", name="П", share_with=[cohost.id])
    db.session.commit()
    token = withdrawal_token(registration)
    assert deliver_due().delivered >= 1
    [mail] = [m for m in kept() if m.topic == "webinar.confirmation"]
    assert token not in mail.body
    assert "/w/consent/[hidden: see the worker's log]\n" in mail.body


def test_one_time_links_are_hidden_and_only_the_newest_are_kept(app, make, monkeypatch):
    monkeypatch.setitem(app.config, "SENT_MAIL_KEEP", 2)
    partner = make.partner()
    for n in range(3):
        invite_partner_user(partner, f"user{n}@partner.example", locale="en")
    db.session.commit()
    tokens = [
        message.payload["token"]
        for message in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
    ]
    assert deliver_due().delivered == 3
    mails = kept()
    assert [mail.recipient for mail in mails] == ["user1@partner.example", "user2@partner.example"]
    for mail, token in zip(mails, tokens[1:], strict=True):
        assert token not in mail.body
        assert "[hidden: see the worker's log]" in mail.body


def test_production_keeps_nothing(app, make, monkeypatch):
    monkeypatch.setitem(app.config, "ENV", "production")
    invite_partner_user(make.partner(), "p@partner.example", locale="en")
    db.session.commit()
    assert deliver_due().delivered == 1
    assert db.session.scalar(select(func.count()).select_from(SentMail)) == 0


def test_healthz_shows_the_outbox_backlog(app, client, make):
    assert client.get("/healthz").json == {
        "status": "ok",
        "outbox_due": 0,
        "outbox_oldest_due_seconds": 0,
    }
    partner = make.partner()
    invite_partner_user(partner, "a@partner.example")
    invite_partner_user(partner, "b@partner.example")
    db.session.commit()
    waiting = db.session.scalars(select(OutboxMessage)).all()
    waiting[0].next_attempt_at = datetime.now(UTC) - timedelta(seconds=90)
    waiting[1].next_attempt_at = datetime.now(UTC) + timedelta(hours=1)  # not due yet
    db.session.commit()
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json["outbox_due"] == 1
    assert 90 <= health.json["outbox_oldest_due_seconds"] < 150
    waiting[1].status = OutboxStatus.DEAD
    db.session.commit()
    assert client.get("/healthz").json["outbox_due"] == 1


def test_healthz_answers_before_the_schema_exists(tmp_path):
    empty = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    health = empty.test_client().get("/healthz")
    assert health.status_code == 200
    assert health.json == {"status": "ok", "outbox_due": None, "outbox_oldest_due_seconds": None}
