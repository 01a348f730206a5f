"""Tiers partners earn (issue 20, contract §11): Silver (≥ 3 paying clients in 12 months,
rate 0.30) and Gold (≥ 5, rate 0.50). A partner with 5 paying clients moves from Silver to
Gold at ``tiers evaluate``, its new payments earn Gold's rate and the history says why; one
that falls below stays Gold until the grace period (90 days) ends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from comarketing.commissions.models import Commission
from comarketing.commissions.services import record_payment
from comarketing.core.auth import Role
from comarketing.core.outbox import OutboxMessage, outbox_registry
from comarketing.extensions import db
from comarketing.leads.models import ConversionKind
from comarketing.leads.services import Submission, record_submission
from comarketing.partners.models import Partner
from comarketing.tiers.evaluate import evaluate_tiers
from comarketing.tiers.models import TierMove
from comarketing.tiers.services import create_tier
from tests.factories import bearer

NOV_30 = datetime(2026, 11, 30, 21, 0, tzinfo=UTC)


@pytest.fixture
def tiers(app):
    create_tier(name="Silver", rank=1, customers_12m=3, commission_rate=Decimal("0.30"))
    create_tier(name="Gold", rank=2, customers_12m=5, commission_rate=Decimal("0.50"))
    db.session.commit()


def paying_client(partner: Partner, number: int, paid_at: datetime, amount: str = "10000") -> int:
    email = f"client{number}.{partner.slug}@client.example"
    lead = record_submission(Submission(kind=ConversionKind.API, email=email)).lead
    lead.owner_partner_id = partner.id
    record_payment(lead_id=lead.id, amount=Decimal(amount), paid_at=paid_at)
    db.session.commit()
    return lead.id


def moves(partner: Partner) -> list[tuple[str | None, str | None]]:
    rows = db.session.scalars(
        select(TierMove).where(TierMove.partner_id == partner.id).order_by(TierMove.id)
    )
    return [(move.from_tier, move.to_tier) for move in rows]


def test_five_paying_clients_move_silver_to_gold_and_new_payments_earn_golds_rate(
    app, runner, make, tiers
):
    partner = make.partner("Партнёр Т", commission_rate="0.20")
    partner_user = make.user(Role.PARTNER, partner=partner)
    for number in range(3):
        paying_client(partner, number, datetime(2026, 3, 10 + number, tzinfo=UTC))
    first = runner.invoke(args=["tiers", "evaluate", "--as-of", "2026-06-30"])
    assert first.exit_code == 0, first.output
    assert "1 promoted" in first.output
    db.session.expire_all()
    assert (partner.tier, partner.commission_rate) == ("Silver", Decimal("0.300000"))

    for number in range(3, 5):
        paying_client(partner, number, datetime(2026, 10, number, tzinfo=UTC))
    result = runner.invoke(args=["tiers", "evaluate", "--as-of", "2026-11-30"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert partner.tier == "Gold"
    assert moves(partner) == [(None, "Silver"), ("Silver", "Gold")]
    gold = db.session.scalars(select(TierMove).where(TierMove.to_tier == "Gold")).one()
    assert gold.customers_12m == 5
    assert "5" in gold.reason
    assert "Gold" in gold.reason

    lead_id = paying_client(partner, 9, datetime(2026, 12, 1, 9, 0, tzinfo=UTC), "100000")
    commission = db.session.scalars(select(Commission).where(Commission.lead_id == lead_id)).one()
    assert (commission.rate, commission.amount) == (Decimal("0.500000"), Decimal("50000.00"))

    told = db.session.scalars(select(OutboxMessage).where(OutboxMessage.topic == "tier.moved"))
    messages = [m for m in told if m.payload["user_id"] == partner_user.id]
    assert len(messages) == 2
    email = outbox_registry(app).renderer("tier.moved")(messages[-1])
    assert email is not None
    assert email["To"] == partner_user.email
    assert "Gold" in email["Subject"]

    history = app.test_client().get(
        f"/api/v1/partners/{partner.id}/tier-history",
        headers=bearer(make.token(partner_user)),
    )
    assert history.status_code == 200
    assert [(item["from"], item["to"]) for item in history.json["items"]] == [
        ("Silver", "Gold"),
        (None, "Silver"),
    ]


def test_a_partner_below_its_tier_keeps_it_for_the_grace_period(app, make, tiers):
    partner = make.partner()
    for number in range(5):
        paying_client(partner, number, datetime(2025, 1, 5 + number, tzinfo=UTC))
    evaluate_tiers(datetime(2025, 2, 1, tzinfo=UTC))
    db.session.commit()
    assert partner.tier == "Gold"
    # Three clients paid again in August; the January payments leave the window in January.
    for number in range(3):
        paying_client(partner, 10 + number, datetime(2025, 8, 1 + number, tzinfo=UTC))
    fell_below = datetime(2026, 1, 10, tzinfo=UTC)
    evaluate_tiers(fell_below)
    assert (partner.tier, partner.below_tier_since) == ("Gold", fell_below)
    evaluate_tiers(fell_below + timedelta(days=89))
    assert partner.tier == "Gold"
    evaluate_tiers(fell_below + timedelta(days=90))
    db.session.commit()
    assert partner.tier == "Silver"
    assert partner.below_tier_since is None
    assert moves(partner)[-1] == ("Gold", "Silver")


def test_a_partner_back_above_its_tier_starts_the_grace_anew(app, make, tiers):
    partner = make.partner()
    for number in range(5):
        paying_client(partner, number, datetime(2025, 1, 5, tzinfo=UTC))
    evaluate_tiers(datetime(2025, 2, 1, tzinfo=UTC))
    evaluate_tiers(datetime(2026, 1, 10, tzinfo=UTC))  # below since then
    for number in range(5):
        paying_client(partner, 20 + number, datetime(2026, 2, 1, tzinfo=UTC))
    evaluate_tiers(datetime(2026, 2, 2, tzinfo=UTC))
    assert (partner.tier, partner.below_tier_since) == ("Gold", None)


def test_a_locked_tier_is_left_alone(app, client, make, tiers):
    partner = make.partner()
    token = bearer(make.token(make.user(Role.MARKETER)))
    answer = client.patch(
        f"/api/v1/partners/{partner.id}", headers=token, json={"tier": "Gold", "tier_locked": True}
    )
    assert answer.status_code == 200, answer.json
    assert (answer.json["tier"], answer.json["tier_locked"]) == ("Gold", True)
    assert answer.json["commission_rate"] == "0.50"
    evaluate_tiers(NOV_30)
    db.session.expire_all()
    assert partner.tier == "Gold"
    (move,) = db.session.scalars(select(TierMove).where(TierMove.partner_id == partner.id))
    assert move.by_hand


def test_a_tiers_mdf_share_is_what_the_vendor_funds(app, make):
    from comarketing.mdf.models import MdfRequest
    from comarketing.mdf.services import request_cap
    from comarketing.mdf.services.claims import reimbursable

    create_tier(
        name="Platinum",
        rank=5,
        customers_12m=1,
        commission_rate=Decimal("0.55"),
        mdf_share=Decimal("0.70"),
    )
    partner = make.partner()
    other = make.partner()
    paying_client(partner, 1, datetime(2026, 11, 2, tzinfo=UTC))
    evaluate_tiers(NOV_30)
    assert (partner.tier, partner.mdf_share) == ("Platinum", Decimal("0.70"))
    assert request_cap(Decimal("100000"), partner) == Decimal("70000.00")
    assert request_cap(Decimal("100000"), other) == Decimal("50000.00")  # the program's default
    request = MdfRequest(partner_id=partner.id, approved_amount=Decimal("90000"))
    assert reimbursable(request, Decimal("100000")) == Decimal("70000.00")


def test_the_portal_shows_the_tier_and_the_way_to_the_next(app, client, make, tiers, time_machine):
    """Read on 1 December 2026: the October payments are in the last 12 months."""
    from tests.factories import login

    time_machine.move_to(datetime(2026, 12, 1, 9, tzinfo=UTC), tick=False)
    partner = make.partner()
    for number in range(3):
        paying_client(partner, number, datetime(2026, 10, 1 + number, tzinfo=UTC))
    evaluate_tiers(NOV_30)
    db.session.commit()
    login(client, make.user(Role.PARTNER, partner=partner))
    page = client.get("/portal", headers={"Accept-Language": "en"}).text
    assert "Your tier: Silver" in page
    assert "2 more paying clients to Gold" in page
    assert "Gold pays 50%" in page
    russian = client.get("/portal", headers={"Accept-Language": "ru"}).text
    assert "Gold" in russian
    partner.below_tier_since = datetime(2026, 11, 30, tzinfo=UTC)
    db.session.commit()
    page = client.get("/portal", headers={"Accept-Language": "en"}).text
    assert "criteria since 30 November 2026: it stays yours" in page


def test_the_partners_page_shows_its_tier_and_every_move(app, client, make, tiers):
    from tests.factories import login

    partner = make.partner()
    for number in range(3):
        paying_client(partner, number, datetime(2026, 10, 1 + number, tzinfo=UTC))
    evaluate_tiers(NOV_30)
    db.session.commit()
    login(client, make.user(Role.MANAGER))
    page = client.get(f"/partners/{partner.id}", headers={"Accept-Language": "en"}).text
    assert "Tier: Silver" in page
    assert "— → <strong>Silver</strong>" in page
    assert "3 paying clients" in page or "3 платящих" in page
