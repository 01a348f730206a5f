"""The credited figures of the ROI report from a daily rollup (``credit_days``), kept exact.

Design. A report's credited figures (leads and the funnel's working, won and lost; customers;
revenue; commissions) are sums over rows that grow with the leads. ``credit_days`` keeps them
per UTC day of each figure's own moment (creation, first payment, payment), per model as
stored (``all`` counts under every model) and per touch: partner, campaign, webinar, channel,
segment — the dimensions' keys, so every group-by (and the month, from the day) reads days ×
touches, whatever the number of leads.

Exact under concurrent writes: database triggers (migration 7e3f2a9c4b10) insert the days a
write touches into ``credit_dirty_days`` in the writer's own transaction — whoever writes:
services, bulk loads, cascades; nothing below reports has to know. Before it reads, a report
rebuilds the dirty days (``refresh_for_reading``) in a short transaction of its own: it locks
the rollup's mark (rebuilds queue one behind the other), takes the dirty days by deleting
them (``DELETE … RETURNING``), then deletes those days' rollup rows and computes them again
from the rows. On PostgreSQL (read committed) the delete takes only days whose writers have
committed, so the rebuild, a later statement, sees their rows; a writer that commits later
leaves its day behind for the next report. On SQLite writers and the rebuild hold the write
lock in turn. A day's rebuild is the row-reading query restricted to that day, so a period's
sum of days is the row query's sum (exactly on PostgreSQL, whose NUMERIC sums are exact).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    case,
    delete,
    func,
    insert,
    literal,
    literal_column,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from comarketing.attribution.models import AttributionCredit, AttributionModel
from comarketing.commissions.models import Payment
from comarketing.core.time import utcnow
from comarketing.core.writes import own_transaction, require_no_change
from comarketing.extensions import db
from comarketing.leads.models import Lead, LeadStatus
from comarketing.partners.models import Partner
from comarketing.reports import customer_days
from comarketing.reports.dimensions import On, Source
from comarketing.reports.metrics import UNROUNDED, Figures, Scope, _grouped, _run, credited_payments
from comarketing.reports.models import CreditDay, DirtyDay, RegistrationDay, RollupMark
from comarketing.reports.periods import DAY, TOUCH, day_of, days_held, rebuild_months
from comarketing.webinars.models import Registration, Webinar

MARK = "credit_days"
SUMS = ("leads", "working", "won", "lost", "customers", "revenue", "commissions")
FUNNEL = (LeadStatus.WORKING, LeadStatus.CUSTOMER, LeadStatus.LOST)  # working, won, lost


def credited(scope: Scope, *, funnel: bool = True) -> Figures:
    """Per key of the scope: leads, (with ``funnel``) working, won, lost, then customers,
    revenue and commissions, summed over the rollup's days of the period."""
    cd = CreditDay
    on = scope.on(Source.CREDIT_DAYS, cd.day, is_date=True)
    names = SUMS if funnel else ("leads", *SUMS[4:])
    values = [type_coerce(func.sum(getattr(cd, name)), UNROUNDED) for name in names]
    models = (scope.model, AttributionModel.ALL.value)
    return _run(
        _grouped(scope, on, *values).where(
            scope.period.rollup_rows(cd.grain, cd.day, cd.model.in_(models))
        )
    )


def _registered(scope: Scope, on: On, count: Any) -> Figures:
    rd = RegistrationDay
    return _run(
        _grouped(scope, on, func.sum(count))
        .select_from(rd)
        .join(Webinar, Webinar.id == rd.webinar_id)
        .outerjoin(Partner, Partner.id == rd.partner_id)
        .where(*on.within(scope.period))
    )


def registrations(scope: Scope) -> Figures:
    """Webinar registrations made in the period, from their daily rollup."""
    on = scope.on(Source.REGISTRATION_DAYS, RegistrationDay.day, is_date=True)
    return _registered(scope, on, RegistrationDay.registrations)


def attendees(scope: Scope) -> Figures:
    """Registrants who attended a webinar held in the period: the rollup's days of the
    webinars that start in it."""
    on = scope.on(Source.REGISTRATION_DAYS, Webinar.starts_at)
    return _registered(scope, on, RegistrationDay.attendees)


def refresh_for_reading() -> None:
    """What a report does before it reads ``credit_days``: rebuild the dirty days, if any, in
    a transaction of its own, committed at once (a report's request never commits)."""
    require_no_change()
    if db.session.scalar(select(DirtyDay.id).limit(1)) is None:
        return  # nothing written since the last rebuild: one cheap statement
    with own_transaction() as session:
        refresh(session)


def refresh(session: Session | None = None) -> list[date]:
    """Rebuild every dirty day in ``session`` (the request's by default); returns the days.
    Flushes; the caller commits."""
    session = session or db.session()
    _lock_mark(session)
    days = sorted(set(session.scalars(delete(DirtyDay).returning(DirtyDay.day))))
    if days:
        rebuild(session, days)
    return days


def rebuild(session: Session, days: Sequence[date]) -> None:
    """Compute ``days`` of the rollups again from the rows."""
    cd = CreditDay
    session.execute(delete(cd).where(cd.grain == DAY, cd.day.in_(days)))
    session.execute(delete(RegistrationDay).where(RegistrationDay.day.in_(days)))
    dialect = session.get_bind().dialect.name
    r = Registration
    registered = day_of(r.registered_at, dialect)
    attended = func.sum(case((r.attended.is_(True), 1), else_=0))
    by_day = (
        select(registered, r.webinar_id, r.partner_id, func.count(r.id), attended)
        .where(days_held(r.registered_at, days))
        .group_by(registered, r.webinar_id, r.partner_id)
    )
    columns = ["day", "webinar_id", "partner_id", "registrations", "attendees"]
    session.execute(insert(RegistrationDay).from_select(columns, by_day))
    parts = union_all(*_day_sums(days, dialect)).subquery()
    keys: list[Any] = [parts.c.day, parts.c.model, *(parts.c[name] for name in TOUCH)]
    sums = [func.sum(parts.c[name]) for name in SUMS]
    rows = select(literal(DAY), *keys, *sums).group_by(*keys)
    named = ["grain", "day", "model", *TOUCH, *SUMS]
    session.execute(insert(cd).from_select(named, rows))
    rebuild_months(session, cd, days, TOUCH, SUMS)  # their months, the sums of their days
    customer_days.rebuild(session, days)
    session.flush()


def _day_sums(days: Sequence[date], dialect: str) -> list[Any]:
    """Three SELECTs of (day, model, touch…, the seven sums), each giving its own figures and
    0 for the others: the leads created on ``days``, the customers whose first payment fell
    on them, the payments made on them."""
    ac = AttributionCredit
    touch = [getattr(ac, name).label(name) for name in TOUCH]

    def sums(**given: Any) -> list[Any]:
        return [
            type_coerce(given.get(name, literal_column("0")), UNROUNDED).label(name)
            for name in SUMS
        ]

    def status(which: LeadStatus) -> Any:
        return func.sum(case((ac.lead_status == which.value, ac.credit), else_=0))

    created = day_of(ac.lead_created_at, dialect)
    leads = (
        select(created.label("day"), ac.model.label("model"), *touch)
        .add_columns(
            *sums(
                leads=func.sum(ac.credit),
                **{
                    name: status(s)
                    for name, s in zip(("working", "won", "lost"), FUNNEL, strict=True)
                },
            )
        )
        .where(days_held(ac.lead_created_at, days))
        .group_by(created, ac.model, *touch)
    )
    paid_first = day_of(Lead.first_payment_at, dialect)
    customers = (
        select(paid_first.label("day"), ac.model.label("model"), *touch)
        .add_columns(*sums(customers=func.sum(ac.credit)))
        .select_from(ac)
        .join(Lead, Lead.id == ac.lead_id)
        .where(days_held(Lead.first_payment_at, days))
        .group_by(paid_first, ac.model, *touch)
    )
    paid = day_of(Payment.paid_at, dialect)
    payments = (
        credited_payments([days_held(Payment.paid_at, days)], paid.label("day"), ac.model, *touch)
        .group_by(paid, ac.model, *touch)
        .subquery()
    )
    m = payments.c
    money = select(
        m.day,
        m.model,
        *(m[name] for name in TOUCH),
        *sums(revenue=m.revenue, commissions=m.commissions),
    )
    return [leads, customers, money]


def _lock_mark(session: Session) -> None:
    """Lock the rollup's mark until the transaction ends (created when missing): rebuilds
    queue on it, so two never write the same day."""
    locked = select(RollupMark).where(RollupMark.name == MARK).with_for_update()
    if session.scalar(locked) is not None:
        return
    try:
        with session.begin_nested():
            session.add(RollupMark(name=MARK, through=utcnow().date()))
    except IntegrityError:
        pass  # another rebuild created it first
    session.scalar(locked)
