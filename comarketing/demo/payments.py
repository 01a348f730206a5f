"""Clients paying for the software (commissions at once) and for telephony (paid monthly on
the partner's total: closed by ``demo.program``), and the owning partners' commissions."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from comarketing.commissions.models import CommissionStatus, PaymentSource
from comarketing.core.money import money
from comarketing.demo.people import People
from comarketing.leads.models import LeadStatus

PLAN_PRICES = (14_900, 29_900, 59_900, 89_900)  # RUB a month
CUSTOMER_RATE_OWNED = 0.24
CUSTOMER_RATE_UNOWNED = 0.12
RENEWAL_RATE = 0.85
REFUND_RATE = 0.02
TELEPHONY_RATE = 0.35  # of the owned clients, the share that also buys telephony
TELEPHONY_BILL = (8_000, 45_000)  # RUB a month, the range of a client's telephony bill
HOLD = timedelta(days=30)
PAYOUT_AFTER = timedelta(days=60)


def generate_payments(people: People) -> None:
    rng, now = people.rng, people.now
    rates = {partner.id: partner.commission_rate for partner in people.cast.partners}
    for lead in people.rows["leads"]:
        owner = lead["owner_partner_id"]
        if rng.random() >= (CUSTOMER_RATE_OWNED if owner else CUSTOMER_RATE_UNOWNED):
            continue
        paid_at = lead["created_at"] + timedelta(days=rng.uniform(5, 45))
        if paid_at >= now:
            continue
        lead["status"] = LeadStatus.CUSTOMER
        lead["first_payment_at"] = paid_at
        lead["customer_since"] = paid_at
        price = Decimal(rng.choice(PLAN_PRICES))
        while paid_at < now:
            payment_id = _payment(people, lead, price, paid_at)
            commission_id = _commission(people, lead, owner, rates, payment_id, price, paid_at)
            if rng.random() < REFUND_RATE:
                refunded_at = paid_at + timedelta(days=rng.uniform(3, 10))
                if refunded_at < now:
                    refund_id = _payment(people, lead, -price, refunded_at)
                    _commission(
                        people, lead, owner, rates, refund_id, -price, refunded_at, commission_id
                    )
                break
            if rng.random() >= RENEWAL_RATE:
                break
            paid_at += timedelta(days=30)
        if owner is not None and rng.random() < TELEPHONY_RATE:
            _telephony(people, lead, lead["first_payment_at"])


def _telephony(people: People, lead: dict[str, Any], since: Any) -> None:
    """A monthly telephony bill from the first payment on (its commission comes with the
    close of each month, on the partner's whole telephony total)."""
    rng, now = people.rng, people.now
    paid_at = since + timedelta(days=rng.uniform(1, 10))
    while paid_at < now:
        bill = Decimal(rng.randrange(*TELEPHONY_BILL, 500))
        _payment(people, lead, bill, paid_at, product="telephony")
        paid_at += timedelta(days=30)


def _payment(
    people: People, lead: dict[str, Any], amount: Decimal, paid_at: Any, product: str = "software"
) -> int:
    number = people.ids["payments"] + 1
    return int(
        people.add(
            "payments",
            {
                "lead_id": lead["id"],
                "amount": money(amount),
                "currency": "RUB",
                "paid_at": paid_at,
                "external_id": f"demo-{number}",
                "source": PaymentSource.DEMO,
                "product": product,
                "note": "",
                "created_at": paid_at,
            },
        )
    )


def _commission(
    people: People,
    lead: dict[str, Any],
    owner: int | None,
    rates: dict[int, Decimal],
    payment_id: int,
    amount: Decimal,
    created_at: Any,
    reverses_id: int | None = None,
) -> int | None:
    """The owner's commission on a payment; a refund gets a negative, reversed line."""
    if owner is None:
        return None
    age = people.now - created_at
    if reverses_id is not None:
        status = CommissionStatus.REVERSED
    elif age > PAYOUT_AFTER:
        status = CommissionStatus.PAID
    elif age > HOLD:
        status = CommissionStatus.APPROVED
    else:
        status = CommissionStatus.PENDING
    return int(
        people.add(
            "commissions",
            {
                "partner_id": owner,
                "lead_id": lead["id"],
                "payment_id": payment_id,
                "amount": money(amount * rates[owner]),
                "rate": rates[owner],
                "product": "software",
                "status": status,
                "created_at": created_at,
                "approved_at": created_at + HOLD
                if status in (CommissionStatus.APPROVED, CommissionStatus.PAID)
                else None,
                "paid_at": created_at + PAYOUT_AFTER - timedelta(days=10)
                if status is CommissionStatus.PAID
                else None,
                "reverses_id": reverses_id,
            },
        )
    )
