"""The demo's program targets (contract §9): partner leads ×2.5 in 18 months, one target per
ecosystem, so that ``make run`` shows the Goals page and the dashboard's tiles with a few
months of progress — each segment's baseline is the first three months of the demo's
history, the target starts right after them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from flask import current_app

from comarketing.core.time import local_month
from comarketing.demo.cast import MONTHS_OF_HISTORY
from comarketing.goals.models import KpiMetric, KpiTarget
from comarketing.goals.months import add_months
from comarketing.goals.services import create_target

# (segment, name) of each target; the cast has partners in both.
TARGETS = (
    ("bitrix24", "Bitrix24: партнёрские лиды ×2,5 за 18 месяцев"),
    ("amocrm", "amoCRM: партнёрские лиды ×2,5 за 18 месяцев"),
)
BASELINE_MONTHS = 3


def add_program_targets(now: datetime) -> list[KpiTarget]:
    """×2.5 partner leads in 18 months for each segment, against the monthly average of the
    months six to four before the one of ``now``, from three months back (three months of
    progress: the current one is the fourth); flushed, the caller commits."""
    zone = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    year, month = local_month(now, zone)
    this_month = date(year, month, 1)
    baseline_from = add_months(this_month, -MONTHS_OF_HISTORY)
    starts_on = add_months(baseline_from, BASELINE_MONTHS)
    return [
        create_target(
            name=name,
            metric=KpiMetric.LEADS,
            segment=segment,
            baseline_from=baseline_from,
            baseline_to=starts_on - timedelta(days=1),
            multiple=Decimal("2.5"),
            horizon_months=18,
            starts_on=starts_on,
        )
        for segment, name in TARGETS
    ]
