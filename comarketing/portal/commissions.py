"""``/portal/commissions``: the partner's commission lines of a month, its monthly totals by
status, and the statement as CSV."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user
from werkzeug.wrappers import Response

from comarketing.commissions import statements
from comarketing.commissions.models import CommissionStatus
from comarketing.commissions.queries import statement_lines, totals_by_status
from comarketing.commissions.statements import month_key, requested_month
from comarketing.core.time import shift_month
from comarketing.portal.access import partner
from comarketing.portal.blueprint import bp

STATUSES = tuple(CommissionStatus)  # in the order of their life: pending … paid, reversed


@bp.get("/commissions")
def commissions() -> str:
    me = partner()
    year, month, start, end = requested_month()
    return render_template(
        "portal/commissions.html",
        partner=me,
        year=year,
        month=month,
        month_start=start,
        previous=month_key(*shift_month(year, month, -1)),
        following=month_key(*shift_month(year, month, 1)),
        lines=statement_lines(me.id, start, end),
        totals=totals_by_status(current_user, start, end),
        statuses=STATUSES,
    )


@bp.get("/commissions/statement.csv")
def commissions_csv() -> Response:
    me = partner()
    year, month, start, end = requested_month()
    return statements.statement_csv(me, year, month, statement_lines(me.id, start, end))
