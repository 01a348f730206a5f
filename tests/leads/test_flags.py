"""Self-referral flags (contract §7, issue 17): a partner that brings itself — a login of its
own, or an address on its own corporate domain — earns no approved commission until a
manager clears the flag; public mail providers are nobody's corporate domain."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from comarketing.commissions.models import Commission, CommissionStatus
from comarketing.commissions.services import approve_due, record_payment
from comarketing.core.auth import Role
from comarketing.core.errors import ValidationFailed
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.leads.models import ConversionKind, LeadFlag
from comarketing.leads.services import Submission, record_submission
from comarketing.leads.services.flags import clear_flags, standing_flags
from comarketing.leads.services.imports import import_leads
from comarketing.partners.services import update_partner
from comarketing.users.services import create_user
from tests.factories import bearer


@pytest.fixture
def partner(make):
    """«Интегратор» on its own domain integrator.example, with a login on a public provider."""
    partner = make.partner("Интегратор")
    update_partner(partner, {"email": "hello@integrator.example"})
    create_user("ivan.integrator@gmail.com", "partner", partner_slug=partner.slug)
    db.session.commit()
    return partner


def lead_through(partner, email):
    result = record_submission(
        Submission(kind=ConversionKind.API, email=email, utm={"source": partner.slug})
    )
    db.session.commit()
    assert result.lead.owner_partner_id == partner.id
    return result.lead


@pytest.mark.parametrize(
    ("email", "flagged"),
    [
        ("boss@integrator.example", True),  # the partner's own domain
        ("Ivan.Integrator@gmail.com", True),  # a login of the partner
        ("client@gmail.com", False),  # a public provider is nobody's domain
        ("client@customer.example", False),
    ],
)
def test_self_referrals_are_flagged(partner, email, flagged):
    lead = lead_through(partner, email)
    flags = standing_flags(lead.id)
    assert bool(flags) is flagged
    if flagged:
        assert (flags[0].kind, flags[0].partner_id) == ("self_referral", partner.id)


def test_a_flagged_leads_commission_is_held_until_a_manager_clears_it(partner, make):
    lead = lead_through(partner, "boss@integrator.example")
    paid_at = utcnow() - timedelta(days=60)
    record_payment(lead_id=lead.id, amount=Decimal("10000.00"), paid_at=paid_at)
    honest = lead_through(partner, "client@customer.example")
    record_payment(lead_id=honest.id, amount=Decimal("10000.00"), paid_at=paid_at)
    db.session.commit()

    assert approve_due() == 1  # the honest one only
    held = db.session.scalar(select(Commission).where(Commission.lead_id == lead.id))
    assert held.status is CommissionStatus.PENDING

    manager = make.user(Role.MANAGER)
    with pytest.raises(ValidationFailed):
        clear_flags(lead, comment="  ", cleared_by_id=manager.id)
    assert clear_flags(lead, comment="Проверено: клиент настоящий", cleared_by_id=manager.id) == 1
    assert approve_due(lead_id=lead.id) == 1
    db.session.expire_all()
    assert held.status is CommissionStatus.APPROVED
    flag = db.session.scalar(select(LeadFlag).where(LeadFlag.lead_id == lead.id))
    assert (flag.cleared_by_id, flag.clear_comment) == (manager.id, "Проверено: клиент настоящий")


def test_the_file_import_flags_as_the_api_does(partner):
    rows = "email,utm_source\nceo@integrator.example,{0}\nbuyer@customer.example,{0}\n"
    import_leads(rows.format(partner.slug))
    db.session.commit()
    flagged = db.session.scalars(select(LeadFlag.lead_id)).all()
    assert len(flagged) == 1


def test_the_api_lists_flagged_leads_and_a_manager_clears_one(client, partner, make):
    lead = lead_through(partner, "boss@integrator.example")
    lead_through(partner, "client@customer.example")
    record_payment(lead_id=lead.id, amount=Decimal("10000.00"),
                   paid_at=utcnow() - timedelta(days=60))  # fmt: skip
    db.session.commit()
    staff = bearer(make.token(make.user(Role.MARKETER)))
    flagged = client.get("/api/v1/leads?flagged=true", headers=staff).json["items"]
    assert [(item["id"], item["flags"]) for item in flagged] == [(lead.id, ["self_referral"])]
    clear = f"/api/v1/leads/{lead.id}/flags/clear"
    assert client.post(clear, json={"comment": "да"}, headers=staff).status_code == 403
    manager = bearer(make.token(make.user(Role.MANAGER)))
    assert client.post(clear, json={"comment": " "}, headers=manager).status_code == 422
    cleared = client.post(clear, json={"comment": "Проверено"}, headers=manager)
    assert (cleared.status_code, cleared.json["flags"]) == (200, [])
    held = db.session.scalar(select(Commission).where(Commission.lead_id == lead.id))
    assert held.status is CommissionStatus.APPROVED
