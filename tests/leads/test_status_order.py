"""A lead's CRM status is order-safe and idempotent (contract §8), as a property: whatever
order the CRM's states arrive in, and however often each arrives, the lead ends with the
newest one, and its history holds only steps that moved it forward in the CRM's time."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from comarketing.extensions import db
from comarketing.leads.models import ConversionKind, LeadStatus, LeadStatusChange
from comarketing.leads.services import Submission, record_submission
from comarketing.leads.services.status import apply_crm_state, mark_paying_customer

START = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
CRM_STATUSES = [LeadStatus.WORKING, LeadStatus.CUSTOMER, LeadStatus.LOST]
_numbers = itertools.count()

# Distinct CRM times (minutes after START), each with a status and, when won, an amount.
states = st.dictionaries(
    st.integers(min_value=0, max_value=10_000),
    st.tuples(st.sampled_from(CRM_STATUSES), st.integers(min_value=1, max_value=500_000)),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(states=states, order=st.randoms(use_true_random=False), repeats=st.integers(1, 3))
def test_the_newest_state_wins_in_any_order(app, states, order, repeats):
    email = f"order{next(_numbers)}@client.example"
    lead = record_submission(Submission(kind=ConversionKind.API, email=email)).lead
    arrivals = [item for item in states.items() for _ in range(repeats)]
    order.shuffle(arrivals)
    for minutes, (status, amount) in arrivals:
        apply_crm_state(
            lead,
            status,
            START + timedelta(minutes=minutes),
            reference="bitrix24:deal:1",
            won_amount=Decimal(amount),
        )
    newest = max(states)
    status, amount = states[newest]
    assert lead.status is status
    assert lead.crm_status_at == START + timedelta(minutes=newest)
    assert lead.won_amount == (Decimal(amount) if status is LeadStatus.CUSTOMER else None)
    history = db.session.scalars(
        select(LeadStatusChange)
        .where(LeadStatusChange.lead_id == lead.id)
        .order_by(LeadStatusChange.id)
    ).all()
    times = [change.changed_at for change in history]
    assert times == sorted(set(times))  # each step newer than the one before
    assert len(history) <= len(states)
    if history:
        assert history[-1].status is status
    db.session.rollback()


def test_a_payment_older_than_the_crms_lost_leaves_it_lost(app):
    lead = record_submission(Submission(kind=ConversionKind.API, email="late@client.example")).lead
    apply_crm_state(lead, LeadStatus.LOST, START + timedelta(days=2), reference="amocrm:lead:3")
    mark_paying_customer(lead, START, reference="payment:1")
    assert lead.status is LeadStatus.LOST
    mark_paying_customer(lead, START + timedelta(days=3), reference="payment:2")
    assert lead.status is LeadStatus.CUSTOMER
    assert lead.customer_since == START + timedelta(days=3)
