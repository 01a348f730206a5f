"""Deal registration (contract §7, issue 17): accepted for a person new to the vendor,
rejected inside another partner's protection (never naming it), pending for a manager
otherwise; the manager's approval makes the partner the owner, protected from then on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from comarketing.core.auth import Role
from comarketing.core.errors import Conflict
from comarketing.extensions import db
from comarketing.leads.models import ConversionKind, DealRegistration, DealStatus, Lead
from comarketing.leads.services import Submission, record_submission
from comarketing.leads.services.deals import decide_deal, register_deal
from comarketing.leads.services.erasure import erase_lead
from comarketing.partners.services import update_partner

LONG_AGO = datetime.now(UTC) - timedelta(days=120)


def known_person(email, partner=None, at=None):
    utm = {"source": partner.slug} if partner else {}
    lead = record_submission(
        Submission(kind=ConversionKind.API, email=email, utm=utm, occurred_at=at, trusted=True)
    ).lead
    db.session.commit()
    return lead


def test_a_person_new_to_the_vendor_is_accepted_and_owned(make):
    partner = make.partner()
    result = register_deal(partner, email="New@Client.example", phone=None, name="Новый")
    assert result.deal.status is DealStatus.ACCEPTED
    assert not result.already_own
    lead = db.session.get(Lead, result.deal.lead_id)
    assert (lead.email, lead.owner_partner_id) == ("new@client.example", partner.id)
    assert lead.protected_until > datetime.now(UTC) + timedelta(days=89)


def test_inside_another_partners_protection_it_is_rejected_and_changes_nothing(make):
    owner, other = make.partner(), make.partner()
    lead = known_person("taken@client.example", owner)
    result = register_deal(other, email="taken@client.example", phone=None)
    assert result.deal.status is DealStatus.REJECTED
    db.session.expire_all()
    assert lead.owner_partner_id == owner.id
    assert len(lead.conversions) == 1


@pytest.mark.parametrize("owned", [False, True], ids=["unowned", "protection-expired"])
def test_a_known_person_without_a_protected_owner_waits_for_a_manager(make, owned):
    partner, first = make.partner(), make.partner()
    lead = known_person("known@client.example", first if owned else None, LONG_AGO)
    result = register_deal(partner, email="known@client.example", phone=None, comment="Звонил")
    assert result.deal.status is DealStatus.PENDING
    db.session.expire_all()
    assert lead.owner_partner_id == (first.id if owned else None)

    manager = make.user(Role.MANAGER)
    decide_deal(result.deal, approve=True, comment="Подтвердили звонком", decided_by_id=manager.id)
    db.session.expire_all()
    assert result.deal.status is DealStatus.ACCEPTED
    assert (result.deal.decided_by_id, result.deal.decision_comment) == (
        manager.id,
        "Подтвердили звонком",
    )
    assert lead.owner_partner_id == partner.id
    assert lead.protected_until > datetime.now(UTC) + timedelta(days=89)
    with pytest.raises(Conflict):
        decide_deal(result.deal, approve=False, comment="поздно", decided_by_id=manager.id)


def test_a_manager_may_reject_with_a_reason(make):
    partner = make.partner()
    lead = known_person("maybe@client.example")
    deal = register_deal(partner, email="maybe@client.example", phone=None).deal
    manager = make.user(Role.MANAGER)
    decide_deal(deal, approve=False, comment="Клиент пришёл сам", decided_by_id=manager.id)
    assert deal.status is DealStatus.REJECTED
    assert lead.owner_partner_id is None


def test_an_inactive_partner_registers_nothing(make):
    partner = make.partner()
    update_partner(partner, {"active": False})
    with pytest.raises(Conflict):
        register_deal(partner, email="x@client.example", phone=None)


def test_erasure_clears_what_the_partner_typed(make):
    partner = make.partner()
    lead = known_person("erase.me@client.example")
    register_deal(partner, email="erase.me@client.example", phone="+7 916 000-00-01",
                  name="Стереть", company="ООО Стереть", comment="позвонить")  # fmt: skip
    erase_lead(lead)
    deal = db.session.scalar(select(DealRegistration))
    assert (deal.email, deal.phone, deal.name, deal.company, deal.comment) == (
        None, None, "", "", "",
    )  # fmt: skip
