"""Column types keep the rules of the house: aware UTC times, kopeck money, checked enums."""

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, StatementError

from comarketing.campaigns.models import Campaign
from comarketing.core.auth import Role
from comarketing.extensions import db
from comarketing.partners.models import Partner
from comarketing.spend.models import PaidBy, Spend
from comarketing.users.models import User


def test_times_come_back_aware_and_in_utc(make):
    partner = make.partner()
    moscow = timezone(timedelta(hours=3))
    partner.created_at = datetime(2026, 12, 15, 11, 0, tzinfo=moscow)
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Partner, partner.id).created_at
    assert stored == datetime(2026, 12, 15, 8, 0, tzinfo=UTC)
    assert stored.utcoffset() == timedelta(0)


def test_naive_times_are_refused(make):
    partner = make.partner()
    partner.created_at = datetime(2026, 12, 15, 11, 0)  # noqa: DTZ001 - the point of the test
    with pytest.raises(StatementError, match="naive datetime"):
        db.session.flush()
    db.session.rollback()


def test_created_at_is_evaluated_per_row_not_at_import(make):
    first = make.partner()
    second = make.partner()
    assert first.created_at < second.created_at


def test_money_is_decimal_with_kopecks(make):
    campaign = Campaign(
        name="Тест",
        slug="test-money",
        channel="email",
        starts_on=datetime(2026, 1, 1, tzinfo=UTC).date(),
        ends_on=datetime(2026, 1, 31, tzinfo=UTC).date(),
        budget=Decimal("125000.505"),
    )
    db.session.add(campaign)
    db.session.commit()
    db.session.expire_all()
    budget = db.session.get(Campaign, campaign.id).budget
    assert budget == Decimal("125000.51")
    assert isinstance(budget, Decimal)


def test_unknown_enum_value_is_refused_by_the_database(make):
    with pytest.raises(IntegrityError):
        db.session.execute(
            text(
                "INSERT INTO users (email, name, role, active, session_token, created_at) "
                "VALUES ('x@example.com', '', 'superuser', true, 'tok', CURRENT_TIMESTAMP)"
            )
        )
    db.session.rollback()


def test_partner_user_without_partner_is_refused_by_the_database(app):
    db.session.add(User(email="p@example.com", role=Role.PARTNER, name=""))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_spend_belongs_to_a_campaign_or_a_webinar_not_both(app):
    db.session.add(
        Spend(amount=Decimal("10"), spent_on=datetime.now(UTC).date(), paid_by=PaidBy.VENDOR)
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_foreign_keys_are_enforced(app):
    db.session.add(
        Spend(
            amount=Decimal("10"),
            spent_on=datetime.now(UTC).date(),
            paid_by=PaidBy.VENDOR,
            campaign_id=999_999,
        )
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_unicode_search_folds_case_on_every_database(make):
    make.partner("Интегратор Плюс")
    from sqlalchemy import func

    found = db.session.scalars(
        select(Partner.name).where(func.lower(Partner.name).like("%интегратор%"))
    ).all()
    assert found == ["Интегратор Плюс"]
