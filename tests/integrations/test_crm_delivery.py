"""Leads reach Bitrix24, amoCRM and signed webhooks over real sockets, exactly once, at the
CRM's pace, through its bad moods (503, 429, timeouts) — and never reach private networks."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from comarketing.core.outbox import OutboxChannel, OutboxMessage, OutboxStatus, deliver_due
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.integrations.queries import delivery_states
from comarketing.integrations.services import add_destination, set_destination_active
from comarketing.leads.models import ConversionKind
from comarketing.leads.services import Submission, record_submission
from tests.integrations.crm_fakes import (
    AmoCrmAccount,
    Answer,
    Bitrix24Portal,
    FakeServer,
    Received,
    WebhookReceiver,
)

BITRIX24_GAP = 0.45  # seconds: 2 requests/s per portal, minus socket jitter on a busy machine


@pytest.fixture
def servers(app):
    started = []

    def start(server):
        started.append(server.start())
        return server

    yield start
    for server in started:
        server.stop()


def new_lead(email, name="Анна Смирнова", **utm):
    result = record_submission(
        Submission(kind=ConversionKind.API, email=email, name=name, company="Ромашка", utm=utm)
    )
    db.session.commit()
    return result.lead


def crm_messages():
    return db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.channel == OutboxChannel.CRM)
        .order_by(OutboxMessage.id)
    ).all()


def destination(kind, url, secret=None):
    created = add_destination(kind, url, secret=secret)
    db.session.commit()
    return created


def gaps(received):
    return [b.at - a.at for a, b in zip(received, received[1:], strict=False)]


def test_503_for_a_while_then_every_lead_arrives_exactly_once(servers):
    portal = servers(Bitrix24Portal(down=True))
    destination("bitrix24", portal.webhook_url)
    leads = [new_lead(f"lead{i}@example.com", utm_source=None) for i in range(3)]

    moment = utcnow()
    for _ in range(2):  # two rounds of 503 QUERY_LIMIT_EXCEEDED
        report = deliver_due(now=moment)
        assert (report.delivered, report.retried, report.dead) == (0, 3, 0)
        moment += timedelta(hours=1)
    assert portal.created == []
    assert {m.status for m in crm_messages()} == {OutboxStatus.PENDING}
    assert crm_messages()[0].last_error == "HTTP 503 QUERY_LIMIT_EXCEEDED: Too many requests"

    portal.down = False  # the portal recovers
    assert deliver_due(now=moment).delivered == 3
    assert deliver_due(now=moment + timedelta(days=30)).delivered == 0  # nothing left to send

    expected = {str(lead.id): 1 for lead in leads}
    assert dict(portal.created_per_lead()) == expected  # each lead created exactly once
    assert dict(portal.requests_per_lead()) == dict.fromkeys(expected, 3)  # 503, 503, 200
    messages = crm_messages()
    assert [(m.status, m.attempts) for m in messages] == [(OutboxStatus.DELIVERED, 3)] * 3
    assert sorted(m.external_id for m in messages) == ["501", "502", "503"]
    assert min(gaps(portal.received)) >= BITRIX24_GAP


def test_two_requests_per_second_per_bitrix24_portal(servers):
    first = servers(Bitrix24Portal(secret="one1"))
    second = servers(Bitrix24Portal(secret="two2"))
    destination("bitrix24", first.webhook_url)
    destination("bitrix24", second.webhook_url)
    for i in range(3):
        new_lead(f"rate{i}@example.com")

    assert deliver_due().delivered == 6
    for portal in (first, second):
        assert len(portal.created) == 3
        assert min(gaps(portal.received)) >= BITRIX24_GAP
        span = portal.received[-1].at - portal.received[0].at
        assert (len(portal.received) - 1) / span <= 2.1  # requests per second
    # The pace is per portal: the two portals were served interleaved, not one after another.
    everything = sorted(first.received + second.received, key=lambda r: r.at)
    assert min(gaps(everything)) < BITRIX24_GAP  # one global pace would keep every gap ≥ 0.5 s


def test_amocrm_gets_the_lead_with_its_contact_and_partner_tag(servers, make):
    account = servers(AmoCrmAccount())
    destination("amocrm", account.base_url, secret=account.token)
    partner = make.partner("Интегратор Плюс", segment="amocrm")
    lead = new_lead("boris@example.com", name="Борис Котов", source=partner.slug)

    assert deliver_due().delivered == 1
    (request,) = account.received
    (body,) = request.json()
    assert body["request_id"] == str(lead.id)
    assert body["_embedded"]["tags"] == [{"name": "Интегратор Плюс"}]
    (contact,) = body["_embedded"]["contacts"]
    assert (contact["first_name"], contact["last_name"]) == ("Борис", "Котов")
    assert contact["custom_fields_values"][0]["values"][0]["value"] == "boris@example.com"
    (message,) = crm_messages()
    assert (message.status, message.external_id) == (OutboxStatus.DELIVERED, "9774766")
    (state,) = delivery_states([lead.id])[lead.id]
    assert (state.status, state.external_id, state.kind) == ("delivered", "9774766", "amocrm")


@pytest.mark.parametrize(
    ("token", "script", "error"),
    [
        ("wrong-token", [], "HTTP 401 Unauthorized: Token is invalid"),
        (AmoCrmAccount.token, [(400, {})], "HTTP 400 Forced: scripted"),
        (AmoCrmAccount.token, [(404, {})], "HTTP 404 Forced: scripted"),
    ],
)
def test_amocrm_client_errors_are_dead_at_once(servers, token, script, error):
    account = servers(AmoCrmAccount(script=list(script)))
    destination("amocrm", account.base_url, secret=token)
    lead = new_lead("dead@example.com")

    report = deliver_due()
    assert (report.delivered, report.retried, report.dead) == (0, 0, 1)
    assert len(account.received) == 1
    (message,) = crm_messages()
    assert (message.status, message.attempts, message.last_error) == (OutboxStatus.DEAD, 1, error)
    assert delivery_states([lead.id])[lead.id][0].status == "dead"


def test_amocrm_429_waits_for_retry_after(servers):
    account = servers(AmoCrmAccount(script=[(429, {"Retry-After": "600"})]))
    destination("amocrm", account.base_url, secret=account.token)
    new_lead("slow@example.com")

    moment = utcnow()
    assert deliver_due(now=moment).retried == 1
    (message,) = crm_messages()
    # The first backoff step is 60 s; the CRM asked for 600 s, so 600 s it is.
    assert message.next_attempt_at >= moment + timedelta(seconds=600)
    assert deliver_due(now=moment + timedelta(seconds=61)).delivered == 0
    assert len(account.received) == 1
    assert deliver_due(now=moment + timedelta(seconds=601)).delivered == 1
    assert len(account.received) == 2


def test_webhook_is_signed_and_retried_with_the_same_delivery_id(servers):
    receiver = servers(WebhookReceiver(fail_first=1))
    destination("webhook", f"{receiver.base_url}/hooks/leads", secret=receiver.secret)
    lead = new_lead("wh@example.com")

    moment = utcnow()
    assert deliver_due(now=moment).retried == 1  # 500
    assert deliver_due(now=moment + timedelta(minutes=2)).delivered == 1
    assert receiver.verified == [True, True]  # checked with the receiver's own HMAC code
    first, second = receiver.received
    assert first.path == "/hooks/leads"
    assert first.headers["X-Comarketing-Delivery"] == second.headers["X-Comarketing-Delivery"]
    assert second.json()["lead"]["email"] == "wh@example.com"
    (message,) = crm_messages()
    assert message.external_id == f"wh-{lead.id}"


def test_webhook_with_the_wrong_secret_is_refused_and_dead(servers):
    receiver = servers(WebhookReceiver())
    destination("webhook", receiver.base_url, secret="not-the-receivers-secret")
    new_lead("forged@example.com")
    assert deliver_due().dead == 1
    assert receiver.verified == [False]


def test_a_timeout_is_retried(app, servers):
    slow = servers(WebhookReceiver(delay=1.0))
    destination("webhook", slow.base_url, secret=slow.secret)
    new_lead("timeout@example.com")
    app.config["OUTBOUND_TIMEOUT"] = 0.2
    try:
        assert deliver_due().retried == 1
    finally:
        app.config["OUTBOUND_TIMEOUT"] = 10
    (message,) = crm_messages()
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 1)
    assert message.last_error == "no answer within 0.2 s"


def test_a_refused_connection_is_retried_and_the_secret_never_shows(app):
    closed = Bitrix24Portal().start()
    closed.stop()  # its port has nobody listening now
    destination("bitrix24", closed.webhook_url)
    new_lead("refused@example.com")
    assert deliver_due().retried == 1
    (message,) = crm_messages()
    assert message.status == OutboxStatus.PENDING
    assert message.last_error == "connection to 127.0.0.1 failed (ConnectionError)"
    assert closed.secret not in message.last_error


def test_private_targets_are_refused_when_not_allowed(app, servers):
    receiver = servers(WebhookReceiver())
    destination("webhook", receiver.base_url, secret=receiver.secret)  # allowed when added
    new_lead("private@example.com")
    app.config["OUTBOUND_ALLOW_PRIVATE"] = False
    try:
        report = deliver_due()
    finally:
        app.config["OUTBOUND_ALLOW_PRIVATE"] = True
    assert report.dead == 1
    assert receiver.received == []  # not one byte went out
    (message,) = crm_messages()
    assert message.last_error.startswith("refused: 127.0.0.1 resolves to a private or local")


class Redirector(FakeServer):
    def answer(self, request: Received) -> Answer:
        return 302, {"Location": "http://169.254.169.254/latest/meta-data/"}, None


def test_redirects_are_not_followed(servers):
    server = servers(Redirector())
    destination("webhook", server.base_url, secret="s")
    new_lead("redirect@example.com")
    assert deliver_due().dead == 1
    assert "redirects are not followed" in crm_messages()[0].last_error


def test_erased_leads_and_switched_off_destinations_send_nothing(servers):
    receiver = servers(WebhookReceiver())
    hook = destination("webhook", receiver.base_url, secret=receiver.secret)
    erased = new_lead("erased@example.com")
    erased.email, erased.name, erased.erased_at = None, "", utcnow()
    db.session.commit()
    assert deliver_due().delivered == 1  # done, with nothing sent
    assert receiver.received == []

    new_lead("later@example.com")
    assert set_destination_active(hook, False) == 1
    db.session.commit()
    assert deliver_due().delivered == 0
    assert receiver.received == []
    assert crm_messages()[-1].status == OutboxStatus.CANCELLED


class CaptivePortal(FakeServer):
    def answer(self, request: Received) -> Answer:
        return 200, {"Content-Type": "text/html"}, None  # an empty 200, not Bitrix24's answer


def test_a_2xx_without_a_lead_id_is_dead_for_a_person_to_check(servers):
    server = servers(CaptivePortal())
    destination("bitrix24", f"{server.base_url}/rest/1/abc/")
    new_lead("proxy@example.com")
    assert deliver_due().dead == 1
    assert crm_messages()[0].last_error == "HTTP 200 the answer has no lead id"
