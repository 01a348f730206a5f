"""The co-marketing ROI report (contract §6): figures per partner, segment, campaign, webinar,
channel or month over a period, under one attribution model, with totals that are the sum of
the rows. A fixed number of SQL statements, whatever the data."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from comarketing.campaigns.channels import channel_label
from comarketing.campaigns.models import Campaign
from comarketing.core.money import money
from comarketing.extensions import db
from comarketing.partners.models import Partner
from comarketing.partners.segments import segment_label
from comarketing.reports import metrics
from comarketing.reports.metrics import Scope
from comarketing.reports.rollup import roll_up_clicks
from comarketing.webinars.models import Webinar

CREDIT_PLACES = Decimal("0.0001")
RATIO_PLACES = Decimal("0.0001")


def credit_sum(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(CREDIT_PLACES, rounding=ROUND_HALF_UP)


def money_sum(value: Any) -> Decimal:
    return money(Decimal(str(value or 0)))


@dataclass
class RoiRow:
    key: Any
    label: str
    clicks: int = 0
    registrations: int = 0
    attendees: int = 0
    leads: Decimal = field(default_factory=Decimal)
    customers: Decimal = field(default_factory=Decimal)
    revenue: Decimal = field(default_factory=Decimal)
    commissions: Decimal = field(default_factory=Decimal)
    spend_vendor: Decimal = field(default_factory=Decimal)
    spend_partner: Decimal = field(default_factory=Decimal)

    @property
    def cpl(self) -> Decimal | None:
        """Vendor spend per lead (RUB); None without leads."""
        return money(self.spend_vendor / self.leads) if self.leads else None

    @property
    def roi(self) -> Decimal | None:
        """(revenue − commissions − vendor spend) / vendor spend; None without spend."""
        if not self.spend_vendor:
            return None
        gain = self.revenue - self.commissions - self.spend_vendor
        return (gain / self.spend_vendor).quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)


SUMMED = [f.name for f in fields(RoiRow) if f.name not in ("key", "label")]


@dataclass
class RoiReport:
    scope: Scope
    rows: list[RoiRow]
    totals: RoiRow


def roi_report(scope: Scope) -> RoiReport:
    """Build the report; rows sorted by vendor spend and leads (the busiest first), the
    unattributed row last."""
    roll_up_clicks()  # the first report of a day rolls up yesterday's-but-one clicks
    rows: dict[Any, RoiRow] = {}

    def row(key: Any) -> RoiRow:
        return rows.setdefault(key, RoiRow(key=key, label=""))

    for key, (value,) in metrics.clicks(scope).items():
        row(key).clicks = int(value or 0)
    for key, (value,) in metrics.registrations(scope).items():
        row(key).registrations = int(value or 0)
    for key, (value,) in metrics.attendees(scope).items():
        row(key).attendees = int(value or 0)
    for key, (value,) in metrics.leads(scope).items():
        row(key).leads = credit_sum(value)
    for key, (value,) in metrics.customers(scope).items():
        row(key).customers = credit_sum(value)
    for key, (revenue, commissions) in metrics.money(scope).items():
        row(key).revenue = money_sum(revenue)
        row(key).commissions = money_sum(commissions)
    for key, (vendor, partner) in metrics.spend(scope).items():
        row(key).spend_vendor = money_sum(vendor)
        row(key).spend_partner = money_sum(partner)
    _label(scope.group_by, rows)
    ordered = sorted(
        rows.values(),
        key=lambda r: (r.key is None, -r.spend_vendor, -r.leads, r.label),
    )
    totals = RoiRow(key=None, label=_("Total"))
    for name in SUMMED:
        setattr(
            totals, name, sum((getattr(r, name) for r in ordered), type(getattr(totals, name))())
        )
    return RoiReport(scope, ordered, totals)


def _label(group_by: str, rows: dict[Any, RoiRow]) -> None:
    """Display names of the keys, in one query at most."""
    ids = [key for key in rows if key is not None]
    names: dict[Any, str] = {}
    if group_by == "partner" and ids:
        names = dict(
            db.session.execute(select(Partner.id, Partner.name).where(Partner.id.in_(ids))).all()
        )
    elif group_by == "campaign" and ids:
        names = dict(
            db.session.execute(select(Campaign.id, Campaign.name).where(Campaign.id.in_(ids))).all()
        )
    elif group_by == "webinar" and ids:
        names = dict(
            db.session.execute(select(Webinar.id, Webinar.title).where(Webinar.id.in_(ids))).all()
        )
    for key, entry in rows.items():
        if key is None:
            entry.label = _("Unattributed")
        elif group_by == "segment":
            entry.label = segment_label(key)
        elif group_by == "channel":
            entry.label = channel_label(key)
        elif group_by == "month":
            entry.label = str(key)
        else:
            entry.label = names.get(key, str(key))
