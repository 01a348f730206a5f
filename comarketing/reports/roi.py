"""The co-marketing ROI report (contract §6): figures per partner, segment, campaign, webinar,
channel or month over a period, under one attribution model, with totals that are the sum of
the rows. A fixed number of SQL statements, whatever the data."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any

from flask_babel import gettext as _

from comarketing.core.money import money
from comarketing.reports import credit_days, customer_days, metrics
from comarketing.reports.metrics import Scope
from comarketing.reports.rollup import roll_up_for_reading

CREDIT_PLACES = Decimal("0.0001")
RATIO_PLACES = Decimal("0.0001")
ZERO = Decimal(0)


def _places(value: Decimal, places: Decimal) -> Decimal:
    return value.quantize(places, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Figures:
    """The summed figures of a report row (contract §6): counts, credits (leads, customers, the
    funnel's working, won and lost) and money in RUB. ``cpl``, ``roi`` and ``win_rate`` are
    derived from them as they stand, unrounded."""

    clicks: int = 0
    registrations: int = 0
    attendees: int = 0
    calls: int = 0  # answered calls to tracking numbers
    leads: Decimal = ZERO
    customers: Decimal = ZERO
    working: Decimal = ZERO  # the funnel: credits of the period's leads by their status now
    won: Decimal = ZERO
    lost: Decimal = ZERO
    revenue: Decimal = ZERO
    commissions: Decimal = ZERO
    spend_vendor: Decimal = ZERO
    spend_partner: Decimal = ZERO

    @classmethod
    def read(cls, values: dict[str, Any]) -> Figures:
        """The figures of the values a database gave (None for nothing), none of them rounded."""
        read: dict[str, Any] = {
            name: int(value or 0) if name in COUNTS else Decimal(str(value or 0))
            for name, value in values.items()
        }
        return cls(**read)

    def __add__(self, other: Figures) -> Figures:
        return Figures(**{name: getattr(self, name) + getattr(other, name) for name in SUMMED})

    def rounded(self) -> Figures:
        """As a report shows them: credits to 4 places, money to kopecks (both half up)."""
        credits: dict[str, Any] = {
            name: _places(getattr(self, name), CREDIT_PLACES) for name in CREDITS
        }
        return Figures(
            **{name: getattr(self, name) for name in COUNTS},
            **credits,
            revenue=money(self.revenue),
            commissions=money(self.commissions),
            spend_vendor=money(self.spend_vendor),
            spend_partner=money(self.spend_partner),
        )

    @property
    def cpl(self) -> Decimal | None:
        """Vendor spend per lead (RUB); None without leads."""
        return self.spend_vendor / self.leads if self.leads else None

    @property
    def roi(self) -> Decimal | None:
        """(revenue − commissions − vendor spend) / vendor spend; None without spend."""
        if not self.spend_vendor:
            return None
        return (self.revenue - self.commissions - self.spend_vendor) / self.spend_vendor

    @property
    def win_rate(self) -> Decimal | None:
        """won / (won + lost), of credits; None while no lead is won or lost."""
        closed = self.won + self.lost
        return self.won / closed if closed else None


SUMMED = tuple(f.name for f in fields(Figures))
COUNTS = ("clicks", "registrations", "attendees", "calls")
CREDITS = ("leads", "customers", "working", "won", "lost")


@dataclass(frozen=True, kw_only=True)
class RoiRow(Figures):
    """A row as it is shown: its figures rounded (``Figures.rounded``) and its ``cpl``,
    ``roi`` and ``win_rate`` derived from the unrounded sums, then rounded once: CPL to
    kopecks, ROI and win rate to 4 places; each is None when the row shows no lead, no vendor
    spend, no lead won or lost. ``median_days_to_customer`` is not a sum: the credit-weighted
    median of its customers' whole days from creation to customer, to 1 place
    (``customer_days``; None without such a lead). A row built from exact figures (no
    ``exact``) is its own sums."""

    key: Any
    label: str
    median_days_to_customer: Decimal | None = None
    exact: Figures | None = field(default=None, repr=False, compare=False)

    @classmethod
    def of(
        cls,
        key: Any,
        label: str,
        exact: Figures,
        shown: Figures | None = None,
        *,
        median_days: Decimal | None = None,
    ) -> RoiRow:
        """The row of these sums, shown rounded (or as ``shown`` says: totals show the sum
        of the rounded rows), with its median days to customer (None: no such lead)."""
        shown = exact.rounded() if shown is None else shown
        return cls(
            key=key,
            label=label,
            exact=exact,
            median_days_to_customer=median_days,
            **_figures(shown),
        )

    @classmethod
    def total(cls, rows: list[RoiRow], label: str, *, median_days: Decimal | None = None) -> RoiRow:
        """The totals of ``rows``: each figure the sum of the rows' (rounded) figures, CPL,
        ROI and win rate from the sum of their unrounded sums; the median is the whole
        period's (``customer_days.days_to_customer``), not the rows'."""
        exact = sum((row.sums for row in rows), Figures())
        return cls.of(None, label, exact, shown=sum(rows, Figures()), median_days=median_days)

    @property
    def sums(self) -> Figures:
        """The figures before rounding."""
        return Figures(**_figures(self)) if self.exact is None else self.exact

    @property
    def cpl(self) -> Decimal | None:
        value = self.sums.cpl
        return None if value is None or not self.leads else money(value)

    @property
    def roi(self) -> Decimal | None:
        value = self.sums.roi
        return None if value is None or not self.spend_vendor else _places(value, RATIO_PLACES)

    @property
    def win_rate(self) -> Decimal | None:
        value = self.sums.win_rate
        shows_closed = self.won or self.lost
        return None if value is None or not shows_closed else _places(value, RATIO_PLACES)

    def unrounded(self, name: str) -> Decimal | None:
        """The figure ``name`` (a summed one, ``cpl`` or ``roi``) before its rounding; None
        where the row shows none. What growth against another period is computed from."""
        return None if getattr(self, name) is None else getattr(self.sums, name)


def _figures(row: Figures) -> dict[str, Any]:
    return {name: getattr(row, name) for name in SUMMED}


@dataclass
class RoiReport:
    scope: Scope
    rows: list[RoiRow]
    totals: RoiRow


READS = (  # each figure's GROUP BY, and the figures it gives
    (metrics.clicks, ("clicks",)),
    (metrics.calls, ("calls",)),
    (metrics.spend, ("spend_vendor", "spend_partner")),
)
# The credited figures from their daily rollup (``credit_days``), with or without the funnel.
CREDITED = (credit_days.credited, credit_days.SUMS)
CREDITED_ALONE = (
    partial(credit_days.credited, funnel=False),
    ("leads", *credit_days.SUMS[4:]),
)
ROLLED = (
    (credit_days.registrations, ("registrations",)),
    (credit_days.attendees, ("attendees",)),
)
# The same figures from the rows themselves: the reference the rollups are tested against.
FROM_ROWS = (
    (metrics.registrations, ("registrations",)),
    (metrics.attendees, ("attendees",)),
    (metrics.customers, ("customers",)),
    (metrics.money, ("revenue", "commissions")),
)
# The lead figure: with the funnel's sums (credits joined to their leads), or alone (read from
# the credits' covering index).
LEADS_BY_STATUS = (metrics.leads_by_status, ("leads", "working", "won", "lost"))
LEADS = (metrics.leads, ("leads",))


def _reads(funnel: bool, from_rows: bool) -> tuple[Any, ...]:
    if from_rows:
        return (LEADS_BY_STATUS if funnel else LEADS, *FROM_ROWS, *READS)
    return (CREDITED if funnel else CREDITED_ALONE, *ROLLED, *READS)


def roi_report(scope: Scope, *, funnel: bool = True, from_rows: bool = False) -> RoiReport:
    """Build the report; rows sorted by vendor spend and leads (the busiest first), the
    unattributed row last. Without ``funnel`` its figures stay 0 and None. The credited
    figures and the registrations are read from their daily rollups, or with ``from_rows``
    from the credits, payments, commissions and registrations themselves (the reference)."""
    roll_up_for_reading()  # the clicks up to a minute ago, when the mark is over 30 s old
    if not from_rows:
        credit_days.refresh_for_reading()  # the days written since the last report
    sums: dict[Any, dict[str, Any]] = {}
    for read, names in _reads(funnel, from_rows):
        for key, values in read(scope).items():
            sums.setdefault(key, {}).update(zip(names, values, strict=True))
    medians, whole = (
        customer_days.days_to_customer(scope, from_rows=from_rows) if funnel else ({}, None)
    )
    labels = scope.dimension.labels(sums)
    rows = sorted(
        (
            RoiRow.of(key, labels[key], Figures.read(values), median_days=medians.get(key))
            for key, values in sums.items()
        ),
        key=lambda r: (r.key is None, -r.spend_vendor, -r.leads, r.label),
    )
    return RoiReport(scope, rows, RoiRow.total(rows, _("Total"), median_days=whole))
