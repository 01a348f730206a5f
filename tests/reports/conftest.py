"""The October 2026 scenario of the ROI tests (see ``test_roi``'s docstring)."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from comarketing.campaigns.services import PartnerShare, create_campaign
from comarketing.commissions.services import record_payment
from comarketing.extensions import db
from comarketing.leads.models import ConversionKind
from comarketing.leads.services import Submission, record_submission
from comarketing.leads.services.offline import record_offline_touch
from comarketing.leads.services.registrations import record_attendance, register
from comarketing.links.models import Click, TrackedLink
from comarketing.spend.services import record_spend
from comarketing.webinars.services.attendance_csv import AttendanceEntry


def oct(day, hour=10):
    return datetime(2026, 10, day, hour, tzinfo=UTC)


@pytest.fixture
def story(make):
    a = make.partner("Партнёр А", segment="amocrm", commission_rate="0.50")
    b = make.partner("Партнёр Б", segment="bitrix24", commission_rate="0.40")
    c1 = create_campaign(
        name="Директ",
        channel="yandex_direct",
        starts_on=date(2026, 10, 1),
        ends_on=date(2026, 10, 31),
        budget=Decimal(5000),
        partners=[PartnerShare(a.id, Decimal("0.6")), PartnerShare(b.id, Decimal("0.4"))],
        landing_url="https://vendor.example/lp",
    )
    w1 = make.webinar([b], title="Вебинар", starts_at=oct(20, 8))
    record_offline_touch(
        email="l1@example.com", occurred_at=oct(1), partner_id=a.id, campaign_id=c1.id, kind="event"
    )
    l1 = record_submission(
        Submission(
            kind=ConversionKind.API,
            email="l1@example.com",
            utm={"source": b.slug, "campaign": c1.slug},
            occurred_at=oct(15),
        )
    ).lead
    record_submission(
        Submission(kind=ConversionKind.API, email="l2@example.com", occurred_at=oct(20))
    )
    l3, _ = register(
        w1, email="l3@example.com", name="Л3", utm={"source": b.slug}, occurred_at=oct(10)
    )
    record_attendance(w1, [AttendanceEntry("l3@example.com", True, 50)])
    record_payment(lead_id=l1.id, amount=Decimal("10000.00"), paid_at=oct(25))
    record_payment(
        lead_id=l3.lead_id, amount=Decimal("20000.00"), paid_at=datetime(2026, 11, 2, tzinfo=UTC)
    )
    record_spend(
        amount=Decimal(1000), spent_on=date(2026, 10, 5), paid_by="vendor", campaign_id=c1.id
    )
    record_spend(
        amount=Decimal(300),
        spent_on=date(2026, 10, 6),
        paid_by="partner",
        campaign_id=c1.id,
        partner_id=b.id,
    )
    record_spend(
        amount=Decimal(500), spent_on=date(2026, 10, 7), paid_by="vendor", webinar_id=w1.id
    )
    links = {
        link.partner_id: link
        for link in db.session.scalars(select(TrackedLink).where(TrackedLink.campaign_id == c1.id))
    }
    clicks = [(a, oct(3), False)] * 3 + [(a, oct(3), True)] + [(b, oct(4), False)] * 2
    clicks += [(b, datetime(2026, 11, 3, tzinfo=UTC), False)]
    for n, (partner, at, bot) in enumerate(clicks):
        db.session.add(
            Click(link_id=links[partner.id].id, clicked_at=at, visitor_id=f"{n:032x}", is_bot=bot)
        )
    db.session.commit()
    return {"A": a.id, "B": b.id, "C1": c1.id, "W1": w1.id}
