"""The bulk import leaves exactly the data that recording each row one by one would."""

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from comarketing.core.outbox import OutboxMessage
from comarketing.extensions import db
from comarketing.integrations.models import CrmDestination
from comarketing.leads.models import (
    Conversion,
    ConversionKind,
    Lead,
    LeadOwnership,
    OwnershipConflict,
    Touchpoint,
)
from comarketing.leads.services import Submission, record_submission
from comarketing.leads.services.bulk import import_chunk
from comarketing.leads.services.offline import record_offline_touch

NOW = datetime.now(UTC).replace(microsecond=0)
EMAILS = [f"p{i}@example.com" for i in range(6)] + [None]
PHONES = ["+79161234567", "+79031112233", None]


def snapshot():
    """Everything an import writes, without ids (which differ between the two ways)."""
    email = dict(db.session.execute(select(Lead.id, Lead.email)).all())
    phone = dict(db.session.execute(select(Lead.id, Lead.phone)).all())
    person = {lead_id: (email[lead_id], phone[lead_id]) for lead_id in email}

    def rows(stmt, lead_column=0):
        out = []
        for row in db.session.execute(stmt):
            values = list(row)
            if values[lead_column] is not None:
                values[lead_column] = person[values[lead_column]]
            out.append(tuple(values))
        return sorted(out, key=repr)

    return {
        "leads": rows(
            select(
                Lead.id,
                Lead.name,
                Lead.company,
                Lead.status,
                Lead.owner_partner_id,
                Lead.owned_since,
                Lead.protected_until,
                Lead.created_at,
            )
        ),
        "conversions": rows(
            select(
                Conversion.lead_id,
                Conversion.kind,
                Conversion.occurred_at,
                Conversion.utm_source,
                Conversion.utm_campaign,
                Conversion.partner_id,
                Conversion.campaign_id,
                Conversion.webinar_id,
            )
        ),
        "touches": rows(
            select(
                Touchpoint.lead_id,
                Touchpoint.email,
                Touchpoint.kind,
                Touchpoint.occurred_at,
                Touchpoint.partner_id,
                Touchpoint.campaign_id,
                Touchpoint.webinar_id,
                Touchpoint.channel,
            )
        ),
        "ownerships": rows(
            select(
                LeadOwnership.lead_id,
                LeadOwnership.partner_id,
                LeadOwnership.starts_at,
                LeadOwnership.ends_at,
                LeadOwnership.reason,
            )
        ),
        "conflicts": rows(
            select(
                OwnershipConflict.lead_id,
                OwnershipConflict.owner_partner_id,
                OwnershipConflict.claimant_partner_id,
                OwnershipConflict.occurred_at,
            )
        ),
        "outbox": rows(
            select(OutboxMessage.lead_id, OutboxMessage.destination_id, OutboxMessage.topic)
        ),
    }


row_strategy = st.fixed_dictionaries(
    {
        "email": st.sampled_from(EMAILS),
        "phone": st.sampled_from(PHONES),
        "source": st.sampled_from(["first", "second", "unknown", None]),
        "campaign": st.sampled_from(["camp", "web", "nothing", None]),
        "days_ago": st.integers(min_value=0, max_value=200),
    }
).filter(lambda row: row["email"] or row["phone"])


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(row_strategy, min_size=1, max_size=12))
def test_bulk_equals_one_by_one(make, rows):
    first, second = make.partner("Первый"), make.partner("Второй")
    campaign = make.campaign([first], name="camp")
    webinar = make.webinar([second], title="web")
    slugs = {"first": first.slug, "second": second.slug, "unknown": "nobody", None: None}
    targets = {"camp": campaign.slug, "web": webinar.slug, "nothing": "nothing", None: None}
    db.session.add(CrmDestination(kind="webhook", url="https://crm.example/hook", secret="s"))
    record_submission(
        Submission(
            kind=ConversionKind.API,
            email="p0@example.com",
            utm={"source": first.slug},
            occurred_at=NOW - timedelta(days=150),
        )
    )
    record_offline_touch(
        email="p1@example.com", occurred_at=NOW - timedelta(days=30), partner_id=second.id
    )
    db.session.commit()
    submissions = [
        Submission(
            kind=ConversionKind.IMPORT,
            email=row["email"],
            phone=row["phone"],
            name="Имя",
            company="Компания",
            utm={"source": slugs[row["source"]], "campaign": targets[row["campaign"]]},
            occurred_at=NOW - timedelta(days=row["days_ago"]),
        )
        for row in rows
    ]
    reference = db.session.begin_nested()
    # the reference: each row through record_submission
    created_one_by_one = sum(record_submission(row).created for row in submissions)
    db.session.flush()
    expected = snapshot()
    reference.rollback()

    bulk = db.session.begin_nested()
    assert import_chunk(submissions) == created_one_by_one
    db.session.flush()
    assert snapshot() == expected
    bulk.rollback()
