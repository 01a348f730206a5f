"""The demo data set tells a consistent story, and `flask demo` guards existing data."""

import random
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from comarketing.attribution.models import AttributionCredit, counted_under
from comarketing.attribution.rules import MODELS
from comarketing.commissions.models import Commission, Payment
from comarketing.demo.cast import WEBINAR_WEEKDAYS, webinar_days
from comarketing.demo.data import DEMO_PASSWORD, USERS
from comarketing.extensions import db
from comarketing.leads.models import Conversion, Lead, Touchpoint
from comarketing.links.models import Click
from comarketing.partners.models import Partner
from comarketing.partners.services import create_partner
from comarketing.webinars.models import Registration, Webinar


@pytest.fixture
def demo(runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    return result


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_prints_logins_that_work(demo, client):
    for _, email, _, _ in USERS:
        assert email in demo.output
        response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        client.post("/logout")


def test_demo_volume_and_segments(demo):
    segments = Counter(db.session.scalars(select(Partner.segment)))
    assert segments == {"amocrm": 6, "bitrix24": 6}
    clicks = count(Click)
    bots = db.session.scalar(select(func.count()).where(Click.is_bot.is_(True)))
    assert 9_000 <= clicks <= 11_500
    assert 0.05 < bots / clicks < 0.11
    assert count(Lead) > 200


def test_two_or_three_webinars_a_month(demo):
    months = Counter(w.starts_at.strftime("%Y-%m") for w in db.session.scalars(select(Webinar)))
    assert len(months) >= 7
    assert set(months.values()) <= {2, 3}


@given(
    first=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 1)).map(
        lambda day: day.replace(day=1)
    ),
    count=st.sampled_from((2, 3)),
    seed=st.integers(0, 2**32),
)
def test_webinar_days_stay_inside_their_month(first, count, seed):
    days = webinar_days(random.Random(seed), first, count)
    assert len(set(days)) == count
    assert days == sorted(days)
    assert all((day.year, day.month) == (first.year, first.month) for day in days)
    assert all(day.weekday() in WEBINAR_WEEKDAYS for day in days)


def test_every_lead_is_owned_by_the_partner_of_its_earliest_touch(demo):
    leads = db.session.scalars(select(Lead)).all()
    for lead in leads:
        earliest = db.session.scalars(
            select(Touchpoint)
            .where(
                Touchpoint.lead_id == lead.id,
                Touchpoint.partner_id.is_not(None),
                Touchpoint.occurred_at <= lead.created_at,
            )
            .order_by(Touchpoint.occurred_at)
            .limit(1)
        ).first()
        assert lead.owner_partner_id == (earliest.partner_id if earliest else None), lead.id
        assert db.session.scalar(select(func.count()).where(Conversion.lead_id == lead.id)) >= 1


def test_stored_credits_of_every_lead_sum_to_exactly_one_under_every_model(demo):
    """Summed here from the stored values (not by the database, whose SQLite sums are floats):
    exactly 1 for every lead under each of the five models, a row of model ``all`` counting
    under each. Each lead is stored one way: one ``all`` row set, or rows for all five."""
    leads = set(db.session.scalars(select(Lead.id)))
    ways = defaultdict(set)
    for lead_id, model in db.session.execute(
        select(AttributionCredit.lead_id, AttributionCredit.model).distinct()
    ):
        ways[lead_id].add(model)
    assert set(ways) == leads
    assert set(map(frozenset, ways.values())) == {frozenset({"all"}), frozenset(MODELS)}
    for model in MODELS:
        sums: dict[int, Decimal] = defaultdict(Decimal)
        for lead_id, credit in db.session.execute(
            select(AttributionCredit.lead_id, AttributionCredit.credit).where(counted_under(model))
        ):
            sums[lead_id] += credit
        assert set(sums) == leads, model
        wrong = {lead_id: total for lead_id, total in sums.items() if total != 1}
        assert wrong == {}, model


def test_commissions_are_the_owners_rate_of_each_payment(demo):
    """Software lines: the payment at the owner's rate of the day (tiers move it since)."""
    rows = db.session.execute(
        select(Commission, Payment).join(Payment, Commission.payment_id == Payment.id)
    ).all()
    assert rows
    rates = {Decimal("0.40"), Decimal("0.45"), Decimal("0.50")}
    for commission, payment in rows:
        assert commission.rate in rates
        expected = (payment.amount * commission.rate).quantize(Decimal("0.01"))
        assert commission.amount == expected
        assert (commission.amount < 0) == (commission.status == "reversed")


def test_telephony_is_closed_monthly_and_tiers_have_a_history(demo):
    """Every past month of telephony is closed (one line per partner and month, at the
    bracket of its total); the tiers were evaluated at each month's end."""
    from comarketing.commissions.models import ClosedPayment
    from comarketing.tiers.models import TierMove

    lines = db.session.scalars(select(Commission).where(Commission.product == "telephony")).all()
    assert lines
    for line in lines:
        assert line.lead_id is None
        rate = Decimal("0.15") if line.basis >= Decimal("100000") else Decimal("0.10")
        assert line.rate == rate
        assert line.amount == (line.basis * rate).quantize(Decimal("0.01"))
    keys = [(line.partner_id, line.period) for line in lines]
    assert len(keys) == len(set(keys))
    telephony = db.session.scalars(select(Payment.id).where(Payment.product == "telephony")).all()
    counted = set(db.session.scalars(select(ClosedPayment.payment_id)))
    assert counted
    assert counted <= set(telephony)
    assert db.session.scalar(select(func.count()).select_from(TierMove)) > 0


def test_attendance_only_for_webinars_that_took_place(demo):
    rows = db.session.execute(select(Registration, Webinar).join(Webinar)).all()
    assert any(registration.attended for registration, _ in rows)
    for registration, webinar in rows:
        if registration.attended is not None:
            assert webinar.starts_at < registration.attendance_recorded_at


def test_demo_refuses_a_database_with_data(demo, runner):
    partners = count(Partner)
    result = runner.invoke(args=["demo"])
    assert result.exit_code != 0
    assert "--force" in result.output
    assert count(Partner) == partners


def test_if_empty_skips_without_failing(demo, runner):
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0
    assert "not loaded" in result.output
    assert USERS[0][1] in result.output


def test_force_reloads_and_ids_keep_counting(demo, runner):
    result = runner.invoke(args=["demo", "--force"])
    assert result.exit_code == 0, result.output
    assert count(Partner) == 12
    highest = db.session.scalar(select(func.max(Partner.id)))
    partner = create_partner(name="После демо", segment="amocrm")
    db.session.flush()
    assert partner.id > highest
