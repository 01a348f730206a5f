"""``/commissions``: monthly statements per partner (page and CSV), payouts, payment imports."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_currency, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from comarketing.commissions import statements
from comarketing.commissions.closing import close_month
from comarketing.commissions.forms import CloseMonthForm, MarkPaidForm, PaymentsUploadForm
from comarketing.commissions.imports import import_payments
from comarketing.commissions.plans import monthly_products
from comarketing.commissions.queries import statement_lines, totals_by_partner
from comarketing.commissions.services import mark_paid
from comarketing.commissions.statements import month_key, requested_month
from comarketing.core.auth import Permission, staff_required
from comarketing.core.forms import commit_or_show
from comarketing.core.schemas import INT32_MAX
from comarketing.core.time import shift_month, utcnow
from comarketing.core.uploads import csv_upload
from comarketing.extensions import db
from comarketing.partners.models import Partner
from comarketing.partners.queries import partners_query

bp = Blueprint("commissions", __name__, url_prefix="/commissions")


def _partner_arg() -> Partner | None:
    """The partner of ``?partner=<id>``, None without one; 404 for an id no partner has."""
    raw = request.args.get("partner", "")
    if not raw:
        return None
    partner_id = int(raw) if raw.isdigit() and len(raw) <= 10 else 0
    partner = db.session.get(Partner, partner_id) if 0 < partner_id <= INT32_MAX else None
    if partner is None:
        abort(404)
    return partner


def _requested_partner() -> Partner:
    partner = _partner_arg()
    if partner is None:
        abort(404)
    return partner


@bp.get("")
@staff_required()
def index() -> str:
    year, month, start, end = requested_month()
    partner = _partner_arg()
    return render_template(
        "commissions/index.html",
        year=year,
        month=month,
        month_start=start,
        previous=month_key(*shift_month(year, month, -1)),
        following=month_key(*shift_month(year, month, 1)),
        partner=partner,
        partners=db.session.scalars(partners_query(current_user).order_by(Partner.name)).all(),
        totals=totals_by_partner(start, end),
        lines=statement_lines(partner.id, start, end) if partner else [],
        form=MarkPaidForm(),
        close_form=CloseMonthForm(),
        closable=monthly_products() if end <= utcnow() else [],
    )


@bp.get("/statement.csv")
@staff_required()
def statement_csv() -> Response:
    year, month, start, end = requested_month()
    partner = _requested_partner()
    return statements.statement_csv(partner, year, month, statement_lines(partner.id, start, end))


@bp.post("/paid")
@staff_required(Permission.DECIDE)
def paid() -> Response:
    year, month, start, end = requested_month()
    partner = _requested_partner()
    form = MarkPaidForm()
    if form.validate_on_submit():
        count = mark_paid(partner.id, start, end)
        db.session.commit()
        flash(_("%(count)s lines marked paid.", count=count), "success")
    return redirect(url_for(".index", partner=partner.id, month=month_key(year, month)))


@bp.post("/close")
@staff_required(Permission.DECIDE)
def close() -> Response:
    """Close the page's month for the monthly-total products (again: nothing new)."""
    year, month, _start, _end = requested_month()
    form = CloseMonthForm()
    outcome = commit_or_show(
        form,
        lambda: close_month(year, month),
        lambda report: ngettext(
            "Closed: %(num)d line, %(total)s.",
            "Closed: %(num)d lines, %(total)s.",
            len(report.lines),
            total=format_currency(report.total, "RUB"),
        ),
    )
    if outcome.refusal is not None:
        flash(outcome.refusal.message, "warning")
    return redirect(url_for(".index", month=month_key(year, month)))


@bp.route("/payments/import", methods=["GET", "POST"])
@staff_required(Permission.PLAN)
def payments_import() -> str | Response:
    return csv_upload(
        PaymentsUploadForm(),
        import_payments,
        template="commissions/payments_import.html",
        done=lambda report: _(
            "Imported %(count)s payments (%(repeated)s were already recorded).",
            count=report.recorded,
            repeated=report.repeated,
        ),
        next_url=url_for(".index"),
    )
