"""The figures of the ROI report, one GROUP BY each, keyed by the report's dimension.

Each function returns ``{key: values}`` where key is a partner, campaign or webinar id, a
segment or channel name, a ``YYYY-MM`` month, or None (unattributed / not applicable). The
filters narrow every figure the same way: to one partner (a partner's own report) or to the
partners of one segment. Cost grows with the rows in the period, never with the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Float, Numeric, case, cast, func, literal, select, type_coerce, union_all

from comarketing.attribution.models import AttributionCredit, counted_under
from comarketing.campaigns.models import Campaign, CampaignPartner
from comarketing.commissions.models import Commission, Payment
from comarketing.core.time import day_start
from comarketing.extensions import db
from comarketing.leads.models import Lead
from comarketing.links.models import Click, TrackedLink
from comarketing.partners.models import Partner
from comarketing.reports.models import ClickDay
from comarketing.reports.periods import Period, month_of
from comarketing.reports.rollup import rolled_through
from comarketing.spend.models import PaidBy, Spend
from comarketing.webinars.models import Registration, Webinar, WebinarHost

GROUPS = ("partner", "segment", "campaign", "webinar", "channel", "month")
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


def _run(stmt: Any) -> Figures:
    return {row[0]: tuple(row[1:]) for row in db.session.execute(stmt)}


def _credit_dimension(scope: Scope, moment: Any) -> Any:
    ac = AttributionCredit
    return {
        "partner": ac.partner_id,
        "segment": ac.segment,
        "campaign": ac.campaign_id,
        "webinar": ac.webinar_id,
        "channel": ac.channel,
        "month": month_of(moment, scope.dialect),
    }[scope.group_by]


def _credit_filters(scope: Scope) -> list[Any]:
    ac = AttributionCredit
    filters = [counted_under(scope.model)]
    if scope.partner_id is not None:
        filters.append(ac.partner_id == scope.partner_id)
    if scope.segment is not None:
        filters.append(ac.segment == scope.segment)
    return filters


def _read_by_lead(scope: Scope, lead_ids: Any) -> list[Any]:
    """On SQLite, the leads named once more: it keeps no statistics and would otherwise scan
    every credit of the model rather than look up the period's few paying leads. PostgreSQL
    plans that join well by itself, and slower with the extra list."""
    if scope.dialect != "sqlite":
        return []
    return [AttributionCredit.lead_id.in_(lead_ids)]


def leads(scope: Scope) -> Figures:
    """Sum of credits of the leads created in the period."""
    ac, p = AttributionCredit, scope.period
    key = _credit_dimension(scope, ac.lead_created_at)
    return _run(
        select(key, func.sum(ac.credit))
        .where(*_credit_filters(scope), ac.lead_created_at >= p.since, ac.lead_created_at < p.until)
        .group_by(key)
    )


def customers(scope: Scope) -> Figures:
    """Sum of credits of the leads whose first payment falls in the period."""
    ac, p = AttributionCredit, scope.period
    key = _credit_dimension(scope, Lead.first_payment_at)
    paid_first = (Lead.first_payment_at >= p.since, Lead.first_payment_at < p.until)
    return _run(
        select(key, func.sum(ac.credit))
        .join(Lead, Lead.id == ac.lead_id)
        .where(
            *_credit_filters(scope),
            *_read_by_lead(scope, select(Lead.id).where(*paid_first)),
            *paid_first,
        )
        .group_by(key)
    )


def money(scope: Scope) -> Figures:
    """Payments received in the period and the commissions on them, split by credits."""
    ac, p = AttributionCredit, scope.period
    key = _credit_dimension(scope, Payment.paid_at)
    paid = (Payment.paid_at >= p.since, Payment.paid_at < p.until)
    return _run(
        select(
            key,
            type_coerce(func.sum(Payment.amount * ac.credit), UNROUNDED),
            type_coerce(func.sum(func.coalesce(Commission.amount, 0) * ac.credit), UNROUNDED),
        )
        .select_from(Payment)
        .join(ac, ac.lead_id == Payment.lead_id)
        .outerjoin(Commission, Commission.payment_id == Payment.id)
        .where(
            *_credit_filters(scope),
            *_read_by_lead(scope, select(Payment.lead_id).where(*paid)),
            *paid,
        )
        .group_by(key)
    )


def clicks(scope: Scope) -> Figures:
    """Human clicks in the period: per link and day from the rollup for final days, from the
    clicks themselves for the open ones, then folded into the dimension."""
    p, by_month = scope.period, scope.group_by == "month"
    through = rolled_through()
    parts = []
    if through is not None and through >= p.start:
        month = month_of(ClickDay.day, scope.dialect, is_date=True).label("month")
        parts.append(
            select(
                ClickDay.link_id.label("link_id"),
                *([month] if by_month else []),
                ClickDay.humans.label("n"),
            ).where(ClickDay.day >= p.start, ClickDay.day <= min(p.end, through))
        )
    raw_since = max(p.since, day_start(through + timedelta(days=1))) if through else p.since
    if raw_since < p.until:
        month = month_of(Click.clicked_at, scope.dialect).label("month")
        extra = [month] if by_month else []
        recent = (Click.clicked_at >= raw_since, Click.clicked_at < p.until)
        parts.append(
            select(Click.link_id.label("link_id"), *extra, func.count().label("n"))
            .where(Click.is_bot.is_(False), *recent)
            .group_by(Click.link_id, *extra)
        )
    if not parts:
        return {}
    per_link = union_all(*parts).subquery()
    key: Any = {
        "partner": TrackedLink.partner_id,
        "segment": Partner.segment,
        "campaign": TrackedLink.campaign_id,
        "webinar": TrackedLink.webinar_id,
        "channel": func.coalesce(Campaign.channel, literal("webinar")),
        "month": per_link.c.month if by_month else None,
    }[scope.group_by]
    stmt = (
        select(key, func.sum(per_link.c.n))
        .join(TrackedLink, TrackedLink.id == per_link.c.link_id)
        .join(Partner, Partner.id == TrackedLink.partner_id)
        .outerjoin(Campaign, Campaign.id == TrackedLink.campaign_id)
        .group_by(key)
    )
    if scope.partner_id is not None:
        stmt = stmt.where(TrackedLink.partner_id == scope.partner_id)
    if scope.segment is not None:
        stmt = stmt.where(Partner.segment == scope.segment)
    return _run(stmt)


def _registration_dimension(scope: Scope, moment: Any) -> Any:
    return {
        "partner": Registration.partner_id,
        "segment": Partner.segment,
        "campaign": Webinar.campaign_id,
        "webinar": Registration.webinar_id,
        "channel": literal("webinar"),
        "month": month_of(moment, scope.dialect),
    }[scope.group_by]


def _registrations(scope: Scope, moment: Any, *extra: Any) -> Figures:
    p = scope.period
    key = _registration_dimension(scope, moment)
    stmt = (
        select(key, func.count(Registration.id))
        .join(Webinar, Webinar.id == Registration.webinar_id)
        .outerjoin(Partner, Partner.id == Registration.partner_id)
        .where(moment >= p.since, moment < p.until, *extra)
        .group_by(key)
    )
    if scope.partner_id is not None:
        stmt = stmt.where(Registration.partner_id == scope.partner_id)
    if scope.segment is not None:
        stmt = stmt.where(Partner.segment == scope.segment)
    return _run(stmt)


def registrations(scope: Scope) -> Figures:
    """Webinar registrations made in the period."""
    return _registrations(scope, Registration.registered_at)


def attendees(scope: Scope) -> Figures:
    """Registrants who attended a webinar held in the period."""
    return _registrations(scope, Webinar.starts_at, Registration.attended.is_(True))


def _spend_shares(scope: Scope) -> Any:
    """Each spend row of the period with the partner(s) it belongs to and their share: the
    named partner; else a campaign's partners by cost share; else a webinar's co-hosts
    equally; else nobody (share 1)."""
    p, s = scope.period, Spend
    in_period = (s.spent_on >= p.start, s.spent_on <= p.end)
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
    key = {
        "partner": shares.c.partner_id,
        "segment": Partner.segment,
        "campaign": s.campaign_id,
        "webinar": s.webinar_id,
        "channel": case((s.campaign_id.is_not(None), Campaign.channel), else_=literal("webinar")),
        "month": month_of(s.spent_on, scope.dialect, is_date=True),
    }[scope.group_by]
    part = s.amount * shares.c.share
    stmt = (
        select(
            key,
            type_coerce(func.sum(case((s.paid_by == PaidBy.VENDOR, part), else_=0)), UNROUNDED),
            type_coerce(func.sum(case((s.paid_by == PaidBy.PARTNER, part), else_=0)), UNROUNDED),
        )
        .select_from(shares)
        .join(s, s.id == shares.c.spend_id)
        .outerjoin(Partner, Partner.id == shares.c.partner_id)
        .outerjoin(Campaign, Campaign.id == s.campaign_id)
        .group_by(key)
    )
    if scope.partner_id is not None:
        stmt = stmt.where(shares.c.partner_id == scope.partner_id)
    if scope.segment is not None:
        stmt = stmt.where(Partner.segment == scope.segment)
    return _run(stmt)
