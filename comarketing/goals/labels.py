"""How targets read: metric and status names, a target's title, a dashboard tile's sentence,
translated and with numbers in the reader's locale."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from comarketing.goals.models import KpiMetric, KpiTarget
from comarketing.goals.progress import Progress
from comarketing.goals.trajectory import Status
from comarketing.partners.segments import segment_label

METRIC_LABELS: dict[str, Any] = {
    KpiMetric.LEADS: _l("leads"),
    KpiMetric.CUSTOMERS: _l("customers"),
    KpiMetric.REVENUE: _l("revenue"),
    KpiMetric.ACTIVE_PARTNERS: _l("active partners"),
}
STATUS_LABELS: dict[str, Any] = {
    Status.ON_TRACK: _l("on track"),
    Status.BEHIND: _l("behind"),
    Status.NOT_STARTED: _l("not started"),
}
STATUS_BADGES = {
    Status.ON_TRACK: "text-bg-success",
    Status.BEHIND: "text-bg-danger",
    Status.NOT_STARTED: "text-bg-secondary",
}
STATUS_BORDERS = {Status.ON_TRACK: "border-success", Status.BEHIND: "border-danger"}


def multiple_text(value: Decimal) -> str:
    """``2.5`` → ``2,5`` in Russian, ``2.5`` in English; up to 4 places, no trailing zeros."""
    return str(format_decimal(value, "#,##0.####"))


def figure_text(value: Decimal) -> str:
    """A figure of the progress as the reader writes numbers, 2 places at most."""
    return str(format_decimal(value, "#,##0.##"))


def scope_text(target: KpiTarget) -> str:
    return segment_label(target.segment) if target.segment else _("the whole program")


def target_title(target: KpiTarget) -> str:
    """The target's name, or what it is: ``leads ×2.5 in 18 months, Bitrix24``."""
    if target.name:
        return target.name
    return _(
        "%(metric)s ×%(multiple)s in %(months)s months, %(scope)s",
        metric=METRIC_LABELS[target.metric],
        multiple=multiple_text(target.multiple),
        months=target.horizon_months,
        scope=scope_text(target),
    )


@dataclass(frozen=True)
class Tile:
    """A dashboard tile: the target's title, the multiple reached and the sentence."""

    title: str
    value: str
    sentence: str
    status: Status


def tile(progress: Progress) -> Tile:
    """``leads ×1.30 of ×2.5, month 7 of 18, on track`` (the multiple the last complete
    month reached; the month we are in)."""
    target = progress.target
    metric = METRIC_LABELS[target.metric]
    multiple = multiple_text(target.multiple)
    if progress.month_now == 0:
        sentence = _(
            "%(metric)s ×%(multiple)s in %(months)s months from %(start)s",
            metric=metric,
            multiple=multiple,
            months=target.horizon_months,
            start=format_date(target.starts_on, "LLLL y"),
        )
        return Tile(target_title(target), f"×{multiple}", sentence, progress.status)
    reached = progress.reached
    reached_text = "—" if reached is None else str(format_decimal(reached, "0.00"))
    sentence = _(
        "%(metric)s ×%(reached)s of ×%(multiple)s, month %(month)s of %(months)s, %(status)s",
        metric=metric,
        reached=reached_text,
        multiple=multiple,
        month=progress.month_now,
        months=target.horizon_months,
        status=STATUS_LABELS[progress.status],
    )
    return Tile(target_title(target), f"×{reached_text}", sentence, progress.status)
