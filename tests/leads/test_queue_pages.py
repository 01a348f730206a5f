"""The managers' queue (issue 17): pending deal registrations to decide and flagged leads to
clear, from pages; the partner sees each registration's outcome in its portal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from comarketing.commissions.models import Commission, CommissionStatus
from comarketing.commissions.services import record_payment
from comarketing.core.auth import Role
from comarketing.extensions import db
from comarketing.leads.models import ConversionKind, DealRegistration, DealStatus, Lead
from comarketing.leads.services import Submission, record_submission
from comarketing.leads.services.deals import register_deal
from comarketing.partners.services import update_partner
from tests.factories import login


def test_a_manager_decides_a_pending_registration_and_the_partner_sees_it(client, make):
    partner = make.partner()
    long_ago = datetime.now(UTC) - timedelta(days=120)
    record_submission(Submission(kind=ConversionKind.API, email="known@client.example",
                                 occurred_at=long_ago, trusted=True))  # fmt: skip
    deal = register_deal(partner, email="known@client.example", phone=None, name="Знакомый").deal
    db.session.commit()
    assert deal.status is DealStatus.PENDING

    login(client, make.user(Role.MANAGER))
    queue = client.get("/leads/deal-registrations")
    assert f'data-deal-id="{deal.id}"' in queue.text
    refused = client.post(f"/leads/deal-registrations/{deal.id}", data={"decision": "reject"},
                          follow_redirects=True, headers={"Accept-Language": "en"})  # fmt: skip
    assert "Give a reason" in refused.text  # a rejection needs one: nothing written
    assert db.session.get(DealRegistration, deal.id).status is DealStatus.PENDING
    client.post(f"/leads/deal-registrations/{deal.id}",
                data={"decision": "reject", "comment": "Клиент пришёл сам"})  # fmt: skip
    db.session.expire_all()
    assert db.session.get(DealRegistration, deal.id).status is DealStatus.REJECTED
    client.post("/logout")

    login(client, make.user(Role.PARTNER, partner=partner))
    portal = client.get("/portal/leads", headers={"Accept-Language": "en"}).text
    assert 'data-testid="deal-registrations"' in portal
    assert "Клиент пришёл сам" in portal


def test_a_manager_clears_a_flag_and_the_commission_is_released(client, make):
    partner = make.partner()
    update_partner(partner, {"email": "hello@selfish.example"})
    lead = record_submission(Submission(kind=ConversionKind.API, email="boss@selfish.example",
                                        utm={"source": partner.slug})).lead  # fmt: skip
    record_payment(lead_id=lead.id, amount=Decimal("5000.00"),
                   paid_at=datetime.now(UTC) - timedelta(days=60))  # fmt: skip
    db.session.commit()
    login(client, make.user(Role.MANAGER))
    assert f'data-lead-id="{lead.id}"' in client.get("/leads/flags").text
    client.post(f"/leads/{lead.id}/flags/clear", data={"comment": "Проверили: реальный клиент"})
    db.session.expire_all()
    assert db.session.get(Lead, lead.id).flags == []
    commission = db.session.scalar(select(Commission).where(Commission.lead_id == lead.id))
    assert commission.status is CommissionStatus.APPROVED
    assert f'data-lead-id="{lead.id}"' not in client.get("/leads/flags").text
