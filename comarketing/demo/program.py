"""The program's terms in the demo: tiers that partners earn (bronze, silver, gold, with the
cast's rates), telephony paid on the partner's monthly total, and the history they make —
every past month of telephony closed, tiers evaluated at each month's end — written through
the real services so the pages show what a running program would."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from flask import current_app

from comarketing.commissions.closing import close_month
from comarketing.commissions.plans import create_plan
from comarketing.core.time import local_month, month_bounds, shift_month
from comarketing.tiers.evaluate import evaluate_tiers
from comarketing.tiers.services import create_tier

# (name, rank, paying clients in 12 months, commission rate, MDF share)
TIERS = (
    ("bronze", 1, 0, "0.40", None),
    ("silver", 2, 4, "0.45", "0.55"),
    ("gold", 3, 8, "0.50", "0.60"),
)
TELEPHONY_BRACKETS = [
    {"from": "0", "rate": "0.10"},
    {"from": "100000.00", "rate": "0.15"},
]
HISTORY_MONTHS = 7


def add_program_terms(now: datetime) -> None:
    """Tiers and the telephony plan; then each complete month of the history is closed and
    the tiers are evaluated at its end, oldest first (flushed, not committed)."""
    for name, rank, clients, rate, mdf in TIERS:
        create_tier(
            name=name,
            rank=rank,
            customers_12m=clients,
            commission_rate=Decimal(rate),
            mdf_share=Decimal(mdf) if mdf else None,
        )
    create_plan(product="telephony", basis="monthly_total", brackets=TELEPHONY_BRACKETS)
    zone = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    year, month = local_month(now, zone)
    for back in range(HISTORY_MONTHS, 0, -1):
        closing_year, closing_month = shift_month(year, month, -back)
        _start, end = month_bounds(closing_year, closing_month, zone)
        close_month(closing_year, closing_month, now=now)
        evaluate_tiers(end - timedelta(microseconds=1))
