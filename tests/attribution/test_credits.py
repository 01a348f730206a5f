"""Credits stay current as data arrives, and every lead's credits sum to one per model."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from comarketing.attribution.models import AttributionCredit, counted_under
from comarketing.attribution.rules import MODELS
from comarketing.extensions import db
from comarketing.leads.models import ConversionKind
from comarketing.leads.services import Submission, record_submission
from comarketing.leads.services.offline import record_offline_touch
from comarketing.partners.services import update_partner
from tests.reports.touches import convert, touched_lead

NOW = datetime.now(UTC).replace(microsecond=0)


def credits_of(lead_id, model):
    return {
        row.partner_id: row.credit
        for row in db.session.scalars(
            select(AttributionCredit).where(
                AttributionCredit.lead_id == lead_id, counted_under(model)
            )
        )
    }


def test_a_late_offline_touch_before_creation_changes_the_credits(make):
    a, b = make.partner(), make.partner()
    lead = convert("late@example.com", b, NOW - timedelta(days=2))
    assert credits_of(lead.id, "first_touch") == {b.id: Decimal(1)}
    record_offline_touch(
        email="late@example.com", occurred_at=NOW - timedelta(days=9), partner_id=a.id
    )
    assert credits_of(lead.id, "first_touch") == {a.id: Decimal(1)}
    assert credits_of(lead.id, "linear") == {a.id: Decimal("0.5"), b.id: Decimal("0.5")}


def test_a_touch_after_creation_earns_nothing(make):
    a, b = make.partner(), make.partner()
    lead = convert("x@example.com", a, NOW - timedelta(days=5))
    record_offline_touch(
        email="x@example.com", occurred_at=NOW - timedelta(days=1), partner_id=b.id
    )
    assert credits_of(lead.id, "last_touch") == {a.id: Decimal(1)}


def test_a_lead_whose_models_agree_has_one_row_for_all(make):
    partner = make.partner()
    unattributed = record_submission(Submission(kind=ConversionKind.API, email="d@example.com"))
    one_touch = record_submission(
        Submission(kind=ConversionKind.API, email="o@example.com", utm={"source": partner.slug})
    )
    for lead, partner_id in ((unattributed.lead, None), (one_touch.lead, partner.id)):
        rows = db.session.scalars(
            select(AttributionCredit).where(AttributionCredit.lead_id == lead.id)
        ).all()
        assert [(r.model, r.partner_id, r.credit) for r in rows] == [("all", partner_id, 1)]
        for model in MODELS:
            assert credits_of(lead.id, model) == {partner_id: Decimal(1)}


def test_a_lead_whose_models_differ_has_rows_per_model(make):
    a, b = make.partner(), make.partner()
    lead = touched_lead("two@example.com", [a, b], NOW)
    models = set(
        db.session.scalars(
            select(AttributionCredit.model).where(AttributionCredit.lead_id == lead.id)
        )
    )
    assert models == set(MODELS)


def test_stored_thirds_sum_to_exactly_one(make, time_machine):
    """Three touches of three partners: under ``linear`` a third each, as the column keeps
    them (10 places), the remainder on the latest touch, so that what is stored sums to 1."""
    now = datetime(2026, 10, 20, 12, tzinfo=UTC)
    time_machine.move_to(now, tick=False)
    a, b, c = make.partner(), make.partner(), make.partner()
    lead = touched_lead("thirds@example.com", [a, b, c], now)
    db.session.commit()
    db.session.expire_all()  # what the database gives back
    third, last = Decimal("0.3333333333"), Decimal("0.3333333334")
    assert credits_of(lead.id, "linear") == {a.id: third, b.id: third, c.id: last}
    for model in MODELS:
        assert sum(credits_of(lead.id, model).values()) == 1, model


def test_a_new_segment_reaches_the_credits(make):
    partner = make.partner(segment="amocrm")
    lead = record_submission(
        Submission(kind=ConversionKind.API, email="s@example.com", utm={"source": partner.slug})
    ).lead
    update_partner(partner, {"segment": "bitrix24"})
    segments = set(
        db.session.scalars(
            select(AttributionCredit.segment).where(AttributionCredit.lead_id == lead.id)
        )
    )
    assert segments == {"bitrix24"}
