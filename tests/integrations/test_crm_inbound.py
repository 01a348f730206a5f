"""Deals come back from the CRM (issue 18, contract §8): a lead pushed to a fake Bitrix24 or
amoCRM is moved by the CRM's own events — working, then customer with its won amount — and,
with payments from deals, a won deal pays the partner's commission once however often the
event is replayed; an older state never overwrites a newer one; a wrong token or secret
writes nothing; a CRM that is down delays the update and loses nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from comarketing.commissions.models import Commission, Payment
from comarketing.core.auth import Role
from comarketing.core.outbox import OutboxMessage, deliver_due
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.integrations.inbound.receive import new_hook_secret, set_app_token
from comarketing.integrations.models import CrmDestination, CrmEvent, EventState
from comarketing.integrations.services import add_destination
from comarketing.leads.models import Lead, LeadStatus, LeadStatusChange
from tests.factories import bearer
from tests.integrations.crm_backends import AmoCrmBackend, Bitrix24Crm, bitrix_time

WON = Decimal("120000.00")


@pytest.fixture
def bitrix(app):
    portal = Bitrix24Crm().start()
    yield portal
    portal.stop()


@pytest.fixture
def amo(app):
    account = AmoCrmBackend().start()
    yield account
    account.stop()


@pytest.fixture
def partner_lead(client, make):
    """A lead that partner A (rate 0.50) owns, created through the API; returns its id."""

    def create(email: str = "buyer@client.example") -> int:
        partner = make.partner("Партнёр А", commission_rate="0.50")
        token = bearer(make.token(make.user(Role.MARKETER)))
        body = {"email": email, "name": "Ирина Покупатель", "utm_source": partner.slug}
        answer = client.post("/api/v1/leads", headers=token, json=body)
        assert answer.status_code == 201, answer.json
        assert answer.json["owner_partner_id"] == partner.id
        return int(answer.json["id"])

    return create


def bitrix_destination(portal: Bitrix24Crm, *, payments: bool = True) -> CrmDestination:
    destination = add_destination("bitrix24", portal.webhook_url, payments_from_deals=payments)
    set_app_token(destination, portal.app_token)
    db.session.commit()
    return destination


def post_event(client, destination_id: int, form: dict[str, str]):
    return client.post(f"/hooks/bitrix24/{destination_id}", data=form)


def lead_state(lead_id: int) -> tuple[LeadStatus, Decimal | None]:
    db.session.expire_all()
    lead = db.session.get_one(Lead, lead_id)
    return lead.status, lead.won_amount


def commissions_of(lead_id: int) -> list[Decimal]:
    return list(
        db.session.scalars(
            select(Commission.amount).where(Commission.lead_id == lead_id).order_by(Commission.id)
        )
    )


def test_a_bitrix24_deal_moves_the_lead_and_pays_once(client, bitrix, partner_lead):
    destination = bitrix_destination(bitrix)
    lead_id = partner_lead()
    assert deliver_due().delivered == 1
    (crm_lead_id,) = bitrix.objects["lead"]
    start = utcnow() - timedelta(hours=2)

    bitrix.set_deal(17, semantic="P", lead_id=crm_lead_id, modified=start)
    answer = post_event(client, destination.id, bitrix.event("ONCRMDEALUPDATE", "17"))
    assert (answer.status_code, answer.json["status"]) == (200, "accepted")
    assert deliver_due().delivered == 1
    assert lead_state(lead_id) == (LeadStatus.WORKING, None)

    won_at = start + timedelta(hours=1)
    bitrix.set_deal(17, semantic="S", lead_id=crm_lead_id, modified=won_at, opportunity="120000")
    for _ in range(3):  # the portal retries; someone replays the event
        post_event(client, destination.id, bitrix.event("ONCRMDEALUPDATE", "17"))
        deliver_due()
    assert lead_state(lead_id) == (LeadStatus.CUSTOMER, WON)
    assert commissions_of(lead_id) == [Decimal("60000.00")]
    payment = db.session.scalars(select(Payment).where(Payment.lead_id == lead_id)).one()
    assert (payment.external_id, payment.amount) == ("bitrix24:deal:17", WON)

    # A lost state older than the won one (a delayed replica, a late event): nothing changes.
    bitrix.set_deal(17, semantic="F", lead_id=crm_lead_id, modified=start + timedelta(minutes=30))
    post_event(client, destination.id, bitrix.event("ONCRMDEALUPDATE", "17"))
    assert deliver_due().delivered == 1
    assert lead_state(lead_id) == (LeadStatus.CUSTOMER, WON)
    assert commissions_of(lead_id) == [Decimal("60000.00")]
    history = db.session.scalars(
        select(LeadStatusChange.status)
        .where(LeadStatusChange.lead_id == lead_id)
        .order_by(LeadStatusChange.id)
    ).all()
    assert history == [LeadStatus.WORKING, LeadStatus.CUSTOMER]
    db.session.expire_all()
    assert db.session.get_one(Lead, lead_id).crm_status_at == won_at.replace(microsecond=0)


def test_a_won_amount_changed_then_lost_adjusts_and_reverses_the_payment(
    client, bitrix, partner_lead
):
    destination = bitrix_destination(bitrix)
    lead_id = partner_lead()
    deliver_due()
    (crm_lead_id,) = bitrix.objects["lead"]
    start = utcnow() - timedelta(hours=3)
    steps = [("S", "120000"), ("S", "100000"), ("F", "100000")]
    for minutes, (semantic, amount) in enumerate(steps):
        bitrix.set_deal(
            18,
            semantic=semantic,
            lead_id=crm_lead_id,
            modified=start + timedelta(minutes=minutes),
            opportunity=amount,
        )
        post_event(client, destination.id, bitrix.event("ONCRMDEALUPDATE", "18"))
        deliver_due()
    amounts = db.session.scalars(
        select(Payment.amount).where(Payment.lead_id == lead_id).order_by(Payment.id)
    ).all()
    assert amounts == [Decimal("120000.00"), Decimal("-20000.00"), Decimal("-100000.00")]
    assert sum(commissions_of(lead_id)) == 0
    assert lead_state(lead_id) == (LeadStatus.LOST, None)


def test_a_wrong_application_token_is_refused_and_writes_nothing(client, bitrix, partner_lead):
    destination = bitrix_destination(bitrix)
    partner_lead()
    deliver_due()
    before = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    for token in ("", "someone-elses-token"):
        answer = post_event(
            client, destination.id, bitrix.event("ONCRMDEALUPDATE", "1", token=token)
        )
        assert answer.status_code == 401
        assert answer.json["error"]["code"] == "unauthorized"
    assert post_event(client, 999, bitrix.event("ONCRMDEALUPDATE", "1")).status_code == 404
    assert db.session.scalar(select(func.count()).select_from(CrmEvent)) == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == before


def test_a_crm_that_is_down_delays_the_update_and_loses_nothing(client, bitrix, partner_lead):
    destination = bitrix_destination(bitrix)
    lead_id = partner_lead()
    deliver_due()
    (crm_lead_id,) = bitrix.objects["lead"]
    bitrix.set_deal(19, semantic="P", lead_id=crm_lead_id, modified=utcnow() - timedelta(hours=1))
    post_event(client, destination.id, bitrix.event("ONCRMDEALUPDATE", "19"))
    bitrix.read_down = True
    report = deliver_due()
    assert (report.delivered, report.retried) == (0, 1)
    assert lead_state(lead_id) == (LeadStatus.NEW, None)
    event = db.session.scalars(select(CrmEvent)).one()
    assert event.state is EventState.PENDING
    bitrix.read_down = False
    assert deliver_due(now=utcnow() + timedelta(hours=1)).delivered == 1
    assert lead_state(lead_id) == (LeadStatus.WORKING, None)
    db.session.refresh(event)
    assert (event.state, event.lead_id) == (EventState.APPLIED, lead_id)


def test_a_deal_is_tied_by_its_contacts_email_or_kept_unmatched(client, bitrix, partner_lead):
    destination = bitrix_destination(bitrix)
    lead_id = partner_lead("known@client.example")
    moment = utcnow() - timedelta(hours=1)
    bitrix.set_contact(7, email="Known@Client.example")
    bitrix.set_deal(20, semantic="P", contact_id="7", modified=moment)
    bitrix.set_contact(8, email="stranger@elsewhere.example")
    bitrix.set_deal(21, semantic="P", contact_id="8", modified=moment)
    for deal in ("20", "21"):
        post_event(client, destination.id, bitrix.event("ONCRMDEALADD", deal))
    deliver_due()
    assert lead_state(lead_id) == (LeadStatus.WORKING, None)
    events = {e.object_id: e for e in db.session.scalars(select(CrmEvent))}
    assert (events["20"].state, events["20"].lead_id) == (EventState.APPLIED, lead_id)
    assert (events["21"].state, events["21"].lead_id) == (EventState.UNMATCHED, None)
    assert "crm.contact.get" in bitrix.reads


def test_an_event_we_do_not_act_on_is_acknowledged(client, bitrix):
    destination = bitrix_destination(bitrix)
    form = bitrix.event("ONCRMCOMPANYUPDATE", "5")
    answer = post_event(client, destination.id, form)
    assert (answer.status_code, answer.json["status"]) == (200, "ignored")
    assert db.session.scalar(select(func.count()).select_from(CrmEvent)) == 0


# amoCRM: the webhook carries the state itself; statuses 142 (won) and 143 (lost).


def amo_destination(account: AmoCrmBackend) -> tuple[CrmDestination, str]:
    destination = add_destination(
        "amocrm", account.base_url, secret=account.token, payments_from_deals=True
    )
    secret = new_hook_secret(destination)
    db.session.commit()
    return destination, secret


def test_an_amocrm_lead_moves_the_lead_and_pays_once(client, amo, partner_lead):
    destination, secret = amo_destination(amo)
    lead_id = partner_lead()
    assert deliver_due().delivered == 1
    (amo_id,) = (int(key) for key in amo.leads)
    start = utcnow() - timedelta(hours=2)
    hook = f"/hooks/amocrm/{destination.id}/{secret}"

    amo.set_lead(amo_id, status_id=142000, updated=start)
    assert client.post(hook, data=amo.status_webhook(amo_id)).status_code == 200
    deliver_due()
    assert lead_state(lead_id) == (LeadStatus.WORKING, None)

    amo.set_lead(amo_id, status_id=142, price=120000, updated=start + timedelta(hours=1))
    for _ in range(3):
        client.post(hook, data=amo.status_webhook(amo_id))
        deliver_due()
    assert lead_state(lead_id) == (LeadStatus.CUSTOMER, WON)
    assert commissions_of(lead_id) == [Decimal("60000.00")]
    assert db.session.scalar(select(Payment.external_id)) == f"amocrm:lead:{amo_id}"

    amo.set_lead(amo_id, status_id=143, updated=start + timedelta(minutes=30))
    client.post(hook, data=amo.status_webhook(amo_id))
    deliver_due()
    assert lead_state(lead_id) == (LeadStatus.CUSTOMER, WON)
    assert commissions_of(lead_id) == [Decimal("60000.00")]


def test_a_wrong_amocrm_secret_is_refused_and_writes_nothing(client, amo, partner_lead):
    destination, secret = amo_destination(amo)
    partner_lead()
    deliver_due()
    (amo_id,) = (int(key) for key in amo.leads)
    amo.set_lead(amo_id, status_id=142, price=5, updated=utcnow())
    for path in (
        f"{destination.id}/{secret}x",
        f"{destination.id}/",
        f"{destination.id + 1}/{secret}",
    ):
        assert (
            client.post(f"/hooks/amocrm/{path}", data=amo.status_webhook(amo_id)).status_code == 404
        )
    assert db.session.scalar(select(func.count()).select_from(CrmEvent)) == 0


def test_a_bitrix24_lead_update_is_read_back_and_applied(client, bitrix, partner_lead):
    """``ONCRMLEADUPDATE`` names the lead we pushed; ``crm.lead.get`` says it failed (F)."""
    destination = bitrix_destination(bitrix, payments=False)
    lead_id = partner_lead()
    deliver_due()
    (crm_lead_id,) = bitrix.objects["lead"]
    fields = bitrix.objects["lead"][crm_lead_id]
    fields.update(STATUS_ID="JUNK", STATUS_SEMANTIC_ID="F")
    fields["DATE_MODIFY"] = bitrix_time(utcnow() + timedelta(minutes=1))
    post_event(client, destination.id, bitrix.event("ONCRMLEADUPDATE", crm_lead_id))
    assert deliver_due().delivered == 1
    assert bitrix.reads == ["crm.lead.get"]
    assert lead_state(lead_id) == (LeadStatus.LOST, None)
