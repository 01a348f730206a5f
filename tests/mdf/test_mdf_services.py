"""The MDF rules as numbers: the cap, the budget a request draws on, the lead-return
threshold and the reimbursed amount, with the configured shares."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from comarketing.core.errors import ValidationFailed
from comarketing.mdf.budgets import applicable_ledgers
from comarketing.mdf.models import MdfRequest
from comarketing.mdf.services import (
    create_budget,
    decide,
    reimbursable,
    request_cap,
    required_leads,
    submit_request,
)
from tests.mdf.conftest import TODAY


def plan(partner_id: int, **changes) -> MdfRequest:
    return submit_request(
        **{
            "partner_id": partner_id,
            "activity": "Рассылка",
            "channel": "email",
            "starts_on": TODAY,
            "ends_on": TODAY,
            "planned_cost": Decimal("1000"),
            "requested_amount": Decimal("500"),
            "planned_leads": 3,
            "landing_url": "https://vendor.example/",
        }
        | changes
    )


def test_the_cap_follows_the_configured_share(app):
    assert request_cap(Decimal("200000")) == Decimal("100000.00")
    app.config["MDF_REIMBURSEMENT_SHARE"] = Decimal("0.7")
    try:
        assert request_cap(Decimal("1000")) == Decimal("700.00")
    finally:
        app.config["MDF_REIMBURSEMENT_SHARE"] = Decimal("0.50")


@pytest.mark.parametrize(("planned", "share", "needed"), [
    (4, "0.5", 2), (5, "0.5", 3), (1, "0.5", 1), (10, "0.25", 3), (7, "1", 7),
])  # fmt: skip
def test_required_leads_round_up(app, planned, share, needed):
    app.config["MDF_MIN_LEAD_RETURN"] = Decimal(share)
    try:
        assert required_leads(MdfRequest(planned_leads=planned)) == needed
    finally:
        app.config["MDF_MIN_LEAD_RETURN"] = Decimal("0.50")


@pytest.mark.parametrize(("approved", "actual", "paid"), [
    ("80000", "150000", "75000.00"), ("80000", "200000", "80000"), ("100", "0.03", "0.02"),
])  # fmt: skip
def test_reimbursed_is_the_share_of_the_actual_cost_up_to_the_approval(app, approved, actual, paid):
    request = MdfRequest(approved_amount=Decimal(approved))
    assert reimbursable(request, Decimal(actual)) == Decimal(paid)


def test_the_most_specific_budget_with_money_left_is_used(app, make):
    gold = make.partner(tier="gold")
    period = {"period_start": TODAY - timedelta(days=1), "period_end": TODAY + timedelta(days=1)}
    everyone = create_budget(name="all", amount=Decimal("10000"), **period)
    tier = create_budget(name="gold", amount=Decimal("600"), tier="gold", **period)
    own = create_budget(name="own", amount=Decimal("500"), partner_id=gold.id, **period)
    create_budget(name="other tier", amount=Decimal("9"), tier="silver", **period)
    create_budget(name="past", amount=Decimal("9"), period_start=TODAY - timedelta(days=9),
                  period_end=TODAY - timedelta(days=2))  # fmt: skip
    assert [ledger.budget for ledger in applicable_ledgers(gold, TODAY)] == [own, tier, everyone]
    first = plan(gold.id)
    assert first.budget_id == own.id
    decide(first, decision="approve")
    assert plan(gold.id).budget_id == tier.id  # the partner's own has nothing left
    assert plan(gold.id, requested_amount=Decimal("500"), planned_cost=Decimal("9000")
                ).budget_id == tier.id  # fmt: skip


def test_no_budget_for_the_dates_is_a_422(app, make):
    partner = make.partner()
    with pytest.raises(ValidationFailed) as refused:
        plan(partner.id)
    assert "requested_amount" in (refused.value.fields or {})
