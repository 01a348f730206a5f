"""The figures of the ROI report, one GROUP BY each, keyed by the report's dimension.

Each function returns ``{key: values}`` where key is the dimension's (``dimensions``): a
partner, campaign or webinar id, a segment or channel name, a ``YYYY-MM`` month, or None
(unattributed / not applicable). The filters narrow every figure the same way: to one partner
(a partner's own report) or to the partners of one segment. Cost grows with the rows in the
period, never with the history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Float,
    Numeric,
    case,
    cast,
    func,
    literal,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import aliased

from comarketing.attribution.models import AttributionCredit, counted_under
from comarketing.calls.models import Call
from comarketing.campaigns.models import Campaign, CampaignPartner
from comarketing.commissions.models import ClosedPayment, Commission, Payment
from comarketing.core.db import AnySelect
from comarketing.extensions import db
from comarketing.leads.models import Lead, LeadStatus
from comarketing.links.models import Click, TrackedLink
from comarketing.partners.models import Partner
from comarketing.reports.dimensions import DIMENSIONS, PARTNER, SEGMENT, Dimension, On, Source
from comarketing.reports.models import ClickDay
from comarketing.reports.periods import Period
from comarketing.reports.rollup import counted_clicks, mark_moment, rolled_until
from comarketing.spend.models import PaidBy, Spend
from comarketing.webinars.models import Registration, Webinar, WebinarHost

# Shares of spend as floating point on both databases (SQLite's NUMERIC casts 1 to an
# integer, and 1 / 2 would be 0); money is rounded to kopecks when the report is built.
SHARE = Float()
# Sums of money come back as the database summed them, whatever the columns' types: a report
# rounds a figure once, when it shows it (``roi.Figures.rounded``).
UNROUNDED = Numeric(asdecimal=True)
Figures = dict[Any, tuple[Any, ...]]


@dataclass(frozen=True)
class Scope:
    group_by: str
    model: str
    period: Period
    partner_id: int | None = None
    segment: str | None = None

    @property
    def dialect(self) -> str:
        return db.session.get_bind().dialect.name

    @property
    def dimension(self) -> Dimension:
        return DIMENSIONS[self.group_by]

    def on(self, source: Source, moment: Any, *, is_date: bool = False) -> On:
        """The rows of a figure: from ``source``, placed in months by ``moment``."""
        return On(source, moment, self.dialect, is_date)

    def narrowing(self, on: On) -> list[Any]:
        """The conditions that keep the scope's rows of ``on``: its partner's, its segment's."""
        found = []
        if self.partner_id is not None:
            found.append(PARTNER.key(on) == self.partner_id)
        if self.segment is not None:
            found.append(SEGMENT.key(on) == self.segment)
        return found


def _run(stmt: Any) -> Figures:
    return {row[0]: tuple(row[1:]) for row in db.session.execute(stmt)}


def _grouped(scope: Scope, on: On, *values: Any) -> AnySelect:
    """``values`` per key of the scope's dimension over the scope's rows of ``on``; the caller
    adds the rows' FROM, joins and period."""
    key = scope.dimension.key(on)
    return select(key.label("key"), *values).where(*scope.narrowing(on)).group_by(key)


def _credited(scope: Scope, moment: Any, *values: Any) -> AnySelect:
    """``values`` per key over the credits counted under the scope's model, placed in months
    by ``moment``."""
    on = scope.on(Source.CREDITS, moment)
    return _grouped(scope, on, *values).where(counted_under(scope.model), *on.within(scope.period))


def _read_by_lead(scope: Scope, lead_ids: Any) -> list[Any]:
    """On SQLite, the leads named once more: it keeps no statistics and would otherwise scan
    every credit of the model rather than look up the period's few paying leads. PostgreSQL
    plans that join well by itself, and slower with the extra list."""
    if scope.dialect != "sqlite":
        return []
    return [AttributionCredit.lead_id.in_(lead_ids)]


def leads(scope: Scope) -> Figures:
    """Sum of credits of the leads created in the period."""
    ac = AttributionCredit
    return _run(_credited(scope, ac.lead_created_at, func.sum(ac.credit)))


def customers(scope: Scope) -> Figures:
    """Sum of credits of the leads whose first payment falls in the period."""
    ac = AttributionCredit
    paid_first = scope.period.holds(Lead.first_payment_at)
    return _run(
        _credited(scope, Lead.first_payment_at, func.sum(ac.credit))
        .select_from(ac)
        .join(Lead, Lead.id == ac.lead_id)
        .where(*_read_by_lead(scope, select(Lead.id).where(*paid_first)))
    )


# The statuses of the funnel, in the order of its figures: working, won, lost.
FUNNEL = (LeadStatus.WORKING, LeadStatus.CUSTOMER, LeadStatus.LOST)


def leads_by_status(scope: Scope) -> Figures:
    """Sum of credits of the leads created in the period, in all (``leads``'s figure) and by
    their status now: working, won (customers, whenever they became one), lost. One GROUP BY
    over the period's credits, which carry their lead's status (answered from the period
    index alone)."""
    ac = AttributionCredit

    def credits_of(status: LeadStatus) -> Any:
        return func.sum(case((ac.lead_status == status.value, ac.credit), else_=0))

    return _run(
        _credited(
            scope,
            ac.lead_created_at,
            func.sum(ac.credit),
            *(credits_of(status) for status in FUNNEL),
        )
    )


def money(scope: Scope) -> Figures:
    """Payments received in the period and the commissions on them, split by credits
    (``credited_payments``)."""
    on = scope.on(Source.CREDITS, Payment.paid_at)
    key = scope.dimension.key(on)
    paid = scope.period.holds(Payment.paid_at)
    return _run(
        credited_payments(paid, key.label("key"))
        .where(counted_under(scope.model), *scope.narrowing(on))
        .where(*_read_by_lead(scope, select(Payment.lead_id).where(*paid)))
        .group_by(key)
    )


def credited_payments(paid: Sequence[Any], *columns: Any) -> AnySelect:
    """``columns``, the payments that ``paid`` keeps × credit and their commissions × credit,
    over every credit row of the payments' leads (all models); the caller narrows and groups.

    A payment's commission is its own line, or — for a product paid on the monthly total — its
    share of the closed line that counted it (the line's amount × the payment's part of the
    payments that line counted), so a month's commission lands in the month it was closed for,
    credited to the leads' touches by their share of the partner's month. Each payment's part
    depends on no other row of the period: a period's sum is the sum of its days'."""
    ac = AttributionCredit
    line = aliased(Commission)
    counted = aliased(Payment)
    lines_of_period = (
        select(ClosedPayment.commission_id)
        .join(Payment, Payment.id == ClosedPayment.payment_id)
        .where(*paid)
    )
    line_totals = (
        select(ClosedPayment.commission_id, func.sum(counted.amount).label("total"))
        .join(counted, counted.id == ClosedPayment.payment_id)
        .where(ClosedPayment.commission_id.in_(lines_of_period))
        .group_by(ClosedPayment.commission_id)
        .subquery()
    )
    share = line.amount * Payment.amount / func.nullif(line_totals.c.total, 0)
    commission = func.coalesce(Commission.amount, 0) + func.coalesce(share, 0)
    return (
        select(
            *columns,
            type_coerce(func.sum(Payment.amount * ac.credit), UNROUNDED).label("revenue"),
            type_coerce(func.sum(commission * ac.credit), UNROUNDED).label("commissions"),
        )
        .select_from(Payment)
        .join(ac, ac.lead_id == Payment.lead_id)
        .outerjoin(Commission, Commission.payment_id == Payment.id)
        .outerjoin(ClosedPayment, ClosedPayment.payment_id == Payment.id)
        .outerjoin(line, line.id == ClosedPayment.commission_id)
        .outerjoin(line_totals, line_totals.c.commission_id == ClosedPayment.commission_id)
        .where(*paid)
    )


def _linked(scope: Scope, on: On, count: Any, rows: Any, link_id: Any) -> AnySelect:
    """``count`` per key over the scope's ``rows`` (seen as ``on``), which carry a link."""
    return (
        _grouped(scope, on, count.label("n"))
        .select_from(rows)
        .join(TrackedLink, TrackedLink.id == link_id)
        .join(Partner, Partner.id == TrackedLink.partner_id)
        .outerjoin(Campaign, Campaign.id == TrackedLink.campaign_id)
    )


def clicks(scope: Scope) -> Figures:
    """Human clicks in the period: from the rollup for the clicks before its mark, from the
    clicks themselves after it (a minute or two of them, a flood's count going on from the
    rollup's), each folded into the dimension, then added up. One statement, the mark read in
    it: on PostgreSQL a rollup committing between two statements would have its clicks
    counted from the rollup and again as raw clicks."""
    p = scope.period
    on = scope.on(Source.LINKS, ClickDay.day, is_date=True)
    count = func.sum(ClickDay.humans)
    rolled = _linked(scope, on, count, ClickDay, ClickDay.link_id).where(*on.within(p))
    # From the later of the mark and the period's start: the mark as the statement sees it,
    # and, so that both databases plan a short index range (not the period's millions of
    # clicks, nor PostgreSQL's parallel scan for an unknown bound), as it was a moment ago (a
    # mark only moves forward).
    mark, since = mark_moment(), literal(p.since, Click.clicked_at.type)
    first_raw = case((mark > since, mark), else_=since)
    seen = rolled_until()
    at_least = p.since if seen is None else max(p.since, seen)
    raw = counted_clicks(
        Click.clicked_at >= at_least, Click.clicked_at >= first_raw, Click.clicked_at < p.until
    )
    on = scope.on(Source.LINKS, raw.c.day, is_date=True)
    fresh = _linked(scope, on, func.count(), raw, raw.c.link_id).where(raw.c.counted.is_(True))
    both = union_all(rolled, fresh).subquery()
    return _run(select(both.c.key, func.sum(both.c.n)).group_by(both.c.key))


def _registrations(scope: Scope, moment: Any, *extra: Any) -> Figures:
    on = scope.on(Source.REGISTRATIONS, moment)
    return _run(
        _grouped(scope, on, func.count(Registration.id))
        .select_from(Registration)
        .join(Webinar, Webinar.id == Registration.webinar_id)
        .outerjoin(Partner, Partner.id == Registration.partner_id)
        .where(*on.within(scope.period), *extra)
    )


def registrations(scope: Scope) -> Figures:
    """Webinar registrations made in the period."""
    return _registrations(scope, Registration.registered_at)


def attendees(scope: Scope) -> Figures:
    """Registrants who attended a webinar held in the period."""
    return _registrations(scope, Webinar.starts_at, Registration.attended.is_(True))


def calls(scope: Scope) -> Figures:
    """Answered calls to tracking numbers in the period (contract §10), by what each call was
    credited to (a call credited to nobody is in the unattributed row, and in channel call)."""
    on = scope.on(Source.CALLS, Call.started_at)
    return _run(
        _grouped(scope, on, func.count(Call.id))
        .select_from(Call)
        .outerjoin(Partner, Partner.id == Call.partner_id)
        .where(Call.answered.is_(True), *on.within(scope.period))
    )


def _spend_shares(scope: Scope) -> Any:
    """Each spend row of the period with the partner(s) it belongs to and their share: the
    named partner; else a campaign's partners by cost share; else a webinar's co-hosts
    equally; else nobody (share 1)."""
    s = Spend
    in_period = scope.period.holds(s.spent_on, is_date=True)
    hosts = (
        select(WebinarHost.webinar_id, func.count().label("n"))
        .group_by(WebinarHost.webinar_id)
        .subquery()
    )
    named = select(
        s.id.label("spend_id"), s.partner_id.label("partner_id"), cast(1, SHARE).label("share")
    ).where(s.partner_id.is_not(None), *in_period)
    by_campaign = (
        select(
            s.id,
            CampaignPartner.partner_id,
            cast(func.coalesce(CampaignPartner.cost_share, 1), SHARE),
        )
        .outerjoin(CampaignPartner, CampaignPartner.campaign_id == s.campaign_id)
        .where(s.partner_id.is_(None), s.campaign_id.is_not(None), *in_period)
    )
    by_webinar = (
        select(
            s.id, WebinarHost.partner_id, cast(1, SHARE) / cast(func.coalesce(hosts.c.n, 1), SHARE)
        )
        .outerjoin(WebinarHost, WebinarHost.webinar_id == s.webinar_id)
        .outerjoin(hosts, hosts.c.webinar_id == s.webinar_id)
        .where(s.partner_id.is_(None), s.webinar_id.is_not(None), *in_period)
    )
    return union_all(named, by_campaign, by_webinar).subquery()


def spend(scope: Scope) -> Figures:
    """Spend in the period by the vendor and by partners, allocated to partners by share."""
    shares, s = _spend_shares(scope), Spend
    part = s.amount * shares.c.share

    def paid_by(who: PaidBy) -> Any:
        return type_coerce(func.sum(case((s.paid_by == who, part), else_=0)), UNROUNDED)

    on = scope.on(Source.SPEND, s.spent_on, is_date=True)
    return _run(
        _grouped(scope, on, paid_by(PaidBy.VENDOR), paid_by(PaidBy.PARTNER))
        .select_from(shares)
        .join(s, s.id == shares.c.spend_id)
        .outerjoin(Partner, Partner.id == shares.c.partner_id)
        .outerjoin(Campaign, Campaign.id == s.campaign_id)
    )
