"""Credits stay current as data arrives, and every lead's credits sum to one per model."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from comarketing.extensions import db
from comarketing.leads.models import ConversionKind
from comarketing.leads.services import Submission, record_submission
from comarketing.leads.services.offline import record_offline_touch
from comarketing.partners.services import update_partner
from comarketing.reports.models import AttributionCredit

NOW = datetime.now(UTC).replace(microsecond=0)


def credits_of(lead_id, model):
    return {
        row.partner_id: row.credit
        for row in db.session.scalars(
            select(AttributionCredit).where(
                AttributionCredit.lead_id == lead_id, AttributionCredit.model == model
            )
        )
    }


def test_a_late_offline_touch_before_creation_changes_the_credits(make):
    a, b = make.partner(), make.partner()
    lead = record_submission(
        Submission(
            kind=ConversionKind.API,
            email="late@example.com",
            utm={"source": b.slug},
            occurred_at=NOW - timedelta(days=2),
        )
    ).lead
    assert credits_of(lead.id, "first_touch") == {b.id: Decimal(1)}
    record_offline_touch(
        email="late@example.com", occurred_at=NOW - timedelta(days=9), partner_id=a.id
    )
    assert credits_of(lead.id, "first_touch") == {a.id: Decimal(1)}
    assert credits_of(lead.id, "linear") == {a.id: Decimal("0.5"), b.id: Decimal("0.5")}


def test_a_touch_after_creation_earns_nothing(make):
    a, b = make.partner(), make.partner()
    lead = record_submission(
        Submission(
            kind=ConversionKind.API,
            email="x@example.com",
            utm={"source": a.slug},
            occurred_at=NOW - timedelta(days=5),
        )
    ).lead
    record_offline_touch(
        email="x@example.com", occurred_at=NOW - timedelta(days=1), partner_id=b.id
    )
    assert credits_of(lead.id, "last_touch") == {a.id: Decimal(1)}


def test_unattributed_leads_have_one_row_per_model(make):
    lead = record_submission(Submission(kind=ConversionKind.API, email="d@example.com")).lead
    rows = db.session.scalars(
        select(AttributionCredit).where(AttributionCredit.lead_id == lead.id)
    ).all()
    assert sorted(r.model for r in rows) == sorted(
        ["first_touch", "last_touch", "linear", "time_decay", "position_based"]
    )
    assert all(r.touchpoint_id is None and r.credit == 1 for r in rows)


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


def test_demo_credits_sum_to_one_for_every_lead_and_model(runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    sums = db.session.execute(
        select(
            AttributionCredit.lead_id, AttributionCredit.model, func.sum(AttributionCredit.credit)
        ).group_by(AttributionCredit.lead_id, AttributionCredit.model)
    ).all()
    leads = db.session.scalar(select(func.count(func.distinct(AttributionCredit.lead_id))))
    assert len(sums) == leads * 5
    assert all(abs(Decimal(str(total)) - 1) < Decimal("0.000001") for _, _, total in sums)
