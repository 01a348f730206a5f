"""The demo's plans: one for the current quarter with every gold partner, its goals a multiple
of the partner's previous quarter (×0.5, then ×1.6, partner by partner), never below a floor."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select

from comarketing.demo.cast import Cast
from comarketing.demo.plans import generate_plans
from comarketing.extensions import db
from comarketing.goals.plans_models import PartnerPlan
from tests.goals.builders import add_leads, pay

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)  # 2026-Q4; the previous quarter is 2026-Q3


def test_a_plan_for_every_gold_partner(make):
    steady = make.partner("Золотой Ровный", tier="gold")
    silver = make.partner("Серебряный", tier="silver")
    newcomer = make.partner("Золотой Новый", tier="gold")
    quiet = make.partner("Золотой Тихий", tier="gold")
    for day in (date(2026, 7, 14), date(2026, 8, 11), date(2026, 9, 15)):
        make.webinar([steady], starts_at=datetime(day.year, day.month, day.day, 8, tzinfo=UTC))
    make.webinar([steady], starts_at=datetime(2026, 10, 13, 8, tzinfo=UTC))  # Q4: not a base
    leads = add_leads(steady.id, datetime(2026, 8, 1, 9, tzinfo=UTC), 20)
    for lead_id, amount in zip(leads, ("100000", "100000", "60000", "40000"), strict=False):
        pay(lead_id, amount, datetime(2026, 9, 1, 9, tzinfo=UTC))
    add_leads(steady.id, datetime(2026, 10, 2, 9, tzinfo=UTC), 50)  # Q4: not a base

    cast = Cast(today=NOW.date(), partners=[steady, silver, newcomer, quiet])
    plans = generate_plans(cast, NOW)
    db.session.commit()

    stored = db.session.scalars(select(PartnerPlan).order_by(PartnerPlan.id)).all()
    assert stored == plans
    assert [(p.partner_id, p.period) for p in stored] == [
        (steady.id, "2026-Q4"), (newcomer.id, "2026-Q4"), (quiet.id, "2026-Q4"),
    ]  # fmt: skip
    goals = [(p.webinars, p.leads, p.customers, p.revenue) for p in stored]
    assert goals == [
        # Q3 of the steady partner: 3 webinars, 20 leads, 4 customers, 300 000 ₽; ×0.5, half up.
        (2, 10, 2, Decimal("150000.00")),
        # Nothing in Q3, ambitious: the floors (2 webinars, 10 leads, 2 customers, 100 000 ₽).
        (2, 10, 2, Decimal("100000.00")),
        # Nothing in Q3, modest: no webinar goal, 5 leads, 1 customer, 50 000 ₽.
        (None, 5, 1, Decimal("50000.00")),
    ]
    first = stored[0]
    assert first.agreed_by == "Руководитель «Золотой Ровный»"
    assert first.agreed_at == NOW
