"""Leads and their touches for the report and credit tests, through the real services."""

from __future__ import annotations

from datetime import datetime, timedelta

from comarketing.leads.models import ConversionKind, Lead
from comarketing.leads.services import Submission, record_submission
from comarketing.leads.services.offline import record_offline_touch
from comarketing.partners.models import Partner


def convert(email: str, through: Partner, at: datetime) -> Lead:
    """The person converts at ``at`` (UTC; an API submission) through ``through``'s UTM
    tags: a touch of that partner."""
    submission = Submission(
        kind=ConversionKind.API, email=email, utm={"source": through.slug}, occurred_at=at
    )
    return record_submission(submission).lead


def touched_lead(email: str, partners: list[Partner], now: datetime) -> Lead:
    """A lead that met ``partners`` one after the other, four days apart: the last a day
    before ``now``, through its UTM tags (the conversion), the others offline before."""
    *offline, last = partners
    for n, partner in enumerate(offline):
        at = now - timedelta(days=1 + 4 * (len(offline) - n))
        record_offline_touch(email=email, occurred_at=at, partner_id=partner.id)
    return convert(email, last, now - timedelta(days=1))
