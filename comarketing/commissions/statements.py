"""Monthly commission statements, shared by the staff pages and the partner portal: which month
a request asks for, and the statement as a CSV file."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, request
from werkzeug.wrappers import Response

from comarketing.commissions.queries import StatementLine
from comarketing.core.csv_export import csv_response
from comarketing.core.time import local_month, month_bounds, utcnow
from comarketing.partners.models import Partner

HEADER = (
    "date",
    "product",
    "client",
    "company",
    "invoice",
    "payment",
    "rate",
    "commission",
    "status",
    "month",
)


def requested_month() -> tuple[int, int, datetime, datetime]:
    """The statement month from ``?month=YYYY-MM`` (default: this month), with its bounds (UTC
    instants of the display time zone's month start and the next month's start)."""
    zone = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    try:
        year, month = (int(part) for part in request.args.get("month", "").split("-"))
        start, end = month_bounds(year, month, zone)
    except ValueError:
        year, month = local_month(utcnow(), zone)
        start, end = month_bounds(year, month, zone)
    return year, month, start, end


def month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def statement_csv(partner: Partner, year: int, month: int, lines: list[StatementLine]) -> Response:
    """One line per commission of the month: date, product, client, invoice, payment, rate,
    commission (RUB, negative for a reversal), status; a product's monthly line has no client
    or invoice, its ``payment`` is the month's total and ``month`` the month it is for."""
    rows = (
        (
            line.commission.created_at.date(),
            line.commission.product,
            line.lead.name if line.lead else "",
            line.lead.company if line.lead else "",
            line.payment.external_id if line.payment else "",
            line.payment.amount if line.payment else line.commission.basis,
            line.commission.rate,
            line.commission.amount,
            line.commission.status.value,
            line.commission.period or "",
        )
        for line in lines
    )
    return csv_response(HEADER, rows, f"commissions-{partner.slug}-{month_key(year, month)}.csv")
