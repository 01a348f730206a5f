"""Closed monthly commissions in the ROI report (issue 20, contract §11): a telephony month's
line (one per partner, no single lead) counts in the month it was closed for, credited to
the leads' touches by their share of the partner's month. Plan: telephony 0.10 below
100 000.00, 0.15 from it.

Partner A owns both clients. Lead 1 came through A alone; lead 2 met B offline first, then
converted through A (linear: ½ A, ½ B). November: 60 000.00 each → one line of 18 000.00,
9 000.00 per lead → A 9 000 + 4 500 = 13 500.00, B 4 500.00. A refund of 20 000.00 of lead 1
for November, recorded in December, closes in December as −3 000.00 (November recomputed at
100 000.00 × 0.15 = 15 000.00): all of it lead 1's, so November's A becomes 10 500.00.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from comarketing.commissions.closing import close_month
from comarketing.commissions.plans import create_plan
from comarketing.commissions.services import record_payment
from comarketing.core.auth import Role
from comarketing.extensions import db
from tests.factories import bearer
from tests.reports.touches import convert, touched_lead

NOVEMBER = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
BRACKETS = [{"from": "0", "rate": "0.10"}, {"from": "100000", "rate": "0.15"}]


def november_by_partner(client, token) -> dict[str, tuple[str, str]]:
    answer = client.get(
        "/api/v1/reports/roi?group_by=partner&model=linear&from=2026-11-01&to=2026-11-30",
        headers=token,
    )
    assert answer.status_code == 200, answer.json
    return {row["label"]: (row["revenue"], row["commissions"]) for row in answer.json["rows"]}


def test_a_closed_month_is_credited_by_each_leads_share(app, client, make, time_machine):
    a = make.partner("Партнёр А")
    b = make.partner("Партнёр Б")
    create_plan(product="telephony", basis="monthly_total", brackets=BRACKETS)
    first = convert("one@client.example", a, datetime(2026, 10, 1, tzinfo=UTC))
    second = touched_lead("two@client.example", [b, a], datetime(2026, 10, 20, tzinfo=UTC))
    for lead in (first, second):
        assert lead.owner_partner_id in (a.id, b.id)
        lead.owner_partner_id = a.id
        record_payment(
            lead_id=lead.id, amount=Decimal("60000.00"), paid_at=NOVEMBER, product="telephony"
        )
    db.session.commit()
    token = bearer(make.token(make.user(Role.MANAGER)))

    time_machine.move_to(datetime(2026, 12, 2, tzinfo=UTC), tick=False)
    before_close = november_by_partner(client, token)
    assert before_close["Партнёр А"] == ("90000.00", "0.00")
    close_month(2026, 11)
    db.session.commit()
    assert november_by_partner(client, token) == {
        "Партнёр А": ("90000.00", "13500.00"),
        "Партнёр Б": ("30000.00", "4500.00"),
    }

    time_machine.move_to(datetime(2026, 12, 20, tzinfo=UTC), tick=False)
    record_payment(
        lead_id=first.id, amount=Decimal("-20000.00"), paid_at=NOVEMBER, product="telephony"
    )
    db.session.commit()
    time_machine.move_to(datetime(2027, 1, 3, tzinfo=UTC), tick=False)
    close_month(2026, 12)
    db.session.commit()
    assert november_by_partner(client, token) == {
        "Партнёр А": ("70000.00", "10500.00"),
        "Партнёр Б": ("30000.00", "4500.00"),
    }
