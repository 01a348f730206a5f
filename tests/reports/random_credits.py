"""Random leads, touches, statuses, payments, refunds and closed monthly lines for the tests
that compare the report's rollup with its rows, written through the real services."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from comarketing.attribution.rules import MODELS
from comarketing.campaigns.services import PartnerShare, create_campaign
from comarketing.commissions.services import record_payment
from comarketing.extensions import db
from comarketing.leads.models import ConversionKind, Lead, LeadStatus
from comarketing.leads.services import Submission, record_submission
from comarketing.leads.services.offline import record_offline_touch
from comarketing.leads.services.status import apply_crm_state
from comarketing.partners.models import Partner
from comarketing.reports.dimensions import GROUPS
from comarketing.reports.metrics import Scope
from comarketing.reports.periods import Period
from comarketing.reports.roi import RoiReport, roi_report

START = datetime(2026, 9, 1, tzinfo=UTC)
DAYS = 90  # September to November 2026
TELEPHONY = "telephony"  # paid on the monthly total: commissions come from closed lines
PERIODS = (
    Period(date(2026, 8, 1), date(2026, 12, 31)),
    Period(date(2026, 10, 1), date(2026, 10, 31)),
    Period(date(2026, 10, 14), date(2026, 11, 3)),  # days only
    Period(date(2026, 9, 20), date(2026, 11, 10)),  # a whole month and days either side
)


@dataclass
class World:
    rng: random.Random
    partners: list[Partner]
    utms: list[dict[str, str]]  # the UTM tags a conversion may carry
    leads: list[int] = field(default_factory=list)
    people: int = 0


def moment(rng: random.Random) -> datetime:
    """Any moment of the three months, near midnight often (days are UTC days)."""
    day = START + timedelta(days=rng.randrange(DAYS))
    hour = rng.choice((0, 0, 10, 23, 23))
    return day + timedelta(hours=hour, minutes=rng.randrange(60))


def world(rng: random.Random, make: Any) -> World:
    partners = [
        make.partner(f"Партнёр {n}", segment=segment, commission_rate=rate)
        for n, (segment, rate) in enumerate(
            (("amocrm", "0.50"), ("bitrix24", "0.40"), ("amocrm", "0.30"), ("bitrix24", "0.25"))
        )
    ]
    campaign = create_campaign(
        name="Директ",
        channel="yandex_direct",
        starts_on=date(2026, 9, 1),
        ends_on=date(2026, 11, 30),
        budget=Decimal(5000),
        partners=[
            PartnerShare(partners[0].id, Decimal("0.6")),
            PartnerShare(partners[1].id, Decimal("0.4")),
        ],
        landing_url="https://vendor.example/lp",
    )
    utms = [{"source": p.slug} for p in partners]
    utms += [{"source": partners[0].slug, "campaign": campaign.slug}, {}]
    db.session.commit()
    return World(rng, partners, utms)


def add_lead(w: World) -> int:
    """A lead with 0–3 offline touches before it converts, maybe moved by the CRM."""
    rng = w.rng
    w.people += 1
    email = f"random{w.people}-{rng.randrange(10**9)}@example.com"
    created = moment(rng)
    for back in range(rng.randrange(4)):
        partner = rng.choice(w.partners)
        at = created - timedelta(days=1 + back, hours=rng.randrange(5))
        record_offline_touch(email=email, occurred_at=at, partner_id=partner.id)
    submission = Submission(
        kind=ConversionKind.API, email=email, utm=rng.choice(w.utms), occurred_at=created
    )
    lead = record_submission(submission).lead
    status = rng.choice((None, None, LeadStatus.WORKING, LeadStatus.LOST, LeadStatus.CUSTOMER))
    if status is not None:
        moved = created + timedelta(hours=rng.randrange(1, 24 * 20))
        apply_crm_state(lead, status, moved, reference="random")
    db.session.commit()
    w.leads.append(lead.id)
    return lead.id


def add_payment(w: World, lead_id: int | None = None) -> None:
    """A payment (sometimes a refund) of a random lead, on a random day after its creation."""
    rng = w.rng
    lead = db.session.get(Lead, lead_id if lead_id is not None else rng.choice(w.leads))
    assert lead is not None
    amount = Decimal(rng.randrange(-300_000, 3_000_000)) / 100 or Decimal("100.01")
    paid_at = max(moment(rng), lead.created_at + timedelta(minutes=5))
    product = rng.choice(("default", TELEPHONY)) if amount > 0 else "default"
    kwargs = {"product": product} if product == TELEPHONY else {}
    record_payment(lead_id=lead.id, amount=amount, paid_at=paid_at, **kwargs)
    db.session.commit()


def reports(scope_args: dict[str, Any], *, from_rows: bool) -> dict[tuple[Any, ...], RoiReport]:
    """Every group-by × model × period of the scope, from the rollup or from the rows."""
    return {
        (group_by, model, period): roi_report(
            Scope(group_by=group_by, model=model, period=period, **scope_args),
            from_rows=from_rows,
        )
        for group_by in GROUPS
        for model in MODELS
        for period in PERIODS
    }


def assert_same(dialect: str, scope_args: dict[str, Any] | None = None) -> int:
    """The rollup's report equals the rows' for every group-by × model × period: every row,
    rounded as shown, and the unrounded sums — exactly on PostgreSQL; on SQLite, whose NUMERIC
    columns are floating point, within 1e-6. Returns the rows compared."""
    rolled = reports(scope_args or {}, from_rows=False)
    from_rows = reports(scope_args or {}, from_rows=True)
    compared = 0
    for what, expected in from_rows.items():
        got = rolled[what]
        if dialect == "postgresql":
            assert got.rows == expected.rows, what  # in the same order
            for row, want in zip(
                [*got.rows, got.totals], [*expected.rows, expected.totals], strict=True
            ):
                assert row.sums == want.sums, (what, row.key)
                compared += 1
            continue
        want_by_key = {r.key: r for r in expected.rows}
        assert {r.key for r in got.rows} == set(want_by_key), what
        for row in [*got.rows, got.totals]:
            want = want_by_key[row.key] if row is not got.totals else expected.totals
            assert row.median_days_to_customer == want.median_days_to_customer, what
            for name, value in vars(row.sums).items():
                assert abs(value - getattr(want.sums, name)) < Decimal("1e-6"), (what, name)
            compared += 1
    return compared
