"""Credit rows carry their lead's status and seconds to customer (the report's funnel reads
them without a lookup per credit): they follow every way a lead's status or customer time
changes — the CRM, a first payment, an earlier payment, new touches that rewrite the credits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from comarketing.attribution.models import AttributionCredit
from comarketing.commissions.services import record_payment
from comarketing.extensions import db
from comarketing.leads.models import ConversionKind, Lead, LeadStatus
from comarketing.leads.services import Submission, record_submission
from comarketing.leads.services.offline import record_offline_touch
from comarketing.leads.services.status import apply_crm_state

CREATED = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


def carried(lead: Lead) -> set[tuple[str, int | None]]:
    db.session.flush()
    rows = db.session.execute(
        select(AttributionCredit.lead_status, AttributionCredit.lead_customer_seconds).where(
            AttributionCredit.lead_id == lead.id
        )
    )
    return {(status, seconds) for status, seconds in rows}


def test_credits_follow_the_lead(app, make):
    partner, other = make.partner(), make.partner()
    submission = Submission(
        kind=ConversionKind.API, email="f@client.example", utm={"source": partner.slug},
        occurred_at=CREATED,
    )  # fmt: skip
    lead = record_submission(submission).lead
    assert carried(lead) == {("new", None)}
    apply_crm_state(lead, LeadStatus.WORKING, CREATED + timedelta(days=1), reference="t")
    assert carried(lead) == {("working", None)}
    record_payment(lead_id=lead.id, amount=Decimal("100"), paid_at=CREATED + timedelta(days=5))
    assert carried(lead) == {("customer", 5 * 86400)}
    record_payment(lead_id=lead.id, amount=Decimal("100"), paid_at=CREATED + timedelta(days=3))
    assert carried(lead) == {("customer", 3 * 86400)}  # an earlier payment, found later
    # A touch before the lead's creation rewrites its credits (now two rows): both carry it.
    record_offline_touch(
        email="f@client.example", occurred_at=CREATED - timedelta(days=2), partner_id=other.id
    )
    rows = db.session.scalars(
        select(AttributionCredit).where(AttributionCredit.lead_id == lead.id)
    ).all()
    assert len(rows) > 1
    assert carried(lead) == {("customer", 3 * 86400)}
    apply_crm_state(lead, LeadStatus.LOST, CREATED + timedelta(days=9), reference="t")
    assert carried(lead) == {("lost", None)}
