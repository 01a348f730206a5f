"""``/commissions``: monthly statements per partner (page and CSV), payouts, payment imports."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from comarketing.commissions.forms import MarkPaidForm, PaymentsUploadForm
from comarketing.commissions.imports import import_payments
from comarketing.commissions.queries import statement_lines, totals_by_partner
from comarketing.commissions.services import mark_paid
from comarketing.core.auth import Permission, staff_required
from comarketing.core.csv_export import csv_response
from comarketing.core.time import month_bounds, shift_month, utcnow
from comarketing.core.uploads import csv_upload
from comarketing.extensions import db
from comarketing.partners.models import Partner
from comarketing.partners.queries import partners_query

bp = Blueprint("commissions", __name__, url_prefix="/commissions")


def _month() -> tuple[int, int, datetime, datetime]:
    """The statement month from ``?month=YYYY-MM`` (default: this month), bounds in the
    display time zone."""
    zone = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    try:
        year, month = (int(part) for part in request.args.get("month", "").split("-"))
        start, end = month_bounds(year, month, zone)
    except ValueError:
        now = utcnow()
        year, month = now.year, now.month
        start, end = month_bounds(year, month, zone)
    return year, month, start, end


def month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


@bp.get("")
@staff_required()
def index() -> str:
    year, month, start, end = _month()
    partner_id = request.args.get("partner", type=int)
    partner = db.session.get(Partner, partner_id) if partner_id else None
    if partner_id and partner is None:
        abort(404)
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
    )


@bp.get("/statement.csv")
@staff_required()
def statement_csv() -> Response:
    year, month, start, end = _month()
    partner = db.get_or_404(Partner, request.args.get("partner", type=int))
    lines = statement_lines(partner.id, start, end)
    rows = (
        (
            line.commission.created_at.date(),
            line.lead.name,
            line.lead.company,
            line.payment.external_id,
            line.payment.amount,
            line.commission.rate,
            line.commission.amount,
            line.commission.status.value,
        )
        for line in lines
    )
    header = ("date", "client", "company", "invoice", "payment", "rate", "commission", "status")
    return csv_response(header, rows, f"commissions-{partner.slug}-{month_key(year, month)}.csv")


@bp.post("/paid")
@staff_required(Permission.DECIDE)
def paid() -> Response:
    year, month, start, end = _month()
    partner = db.get_or_404(Partner, request.args.get("partner", type=int))
    form = MarkPaidForm()
    if form.validate_on_submit():
        count = mark_paid(partner.id, start, end)
        db.session.commit()
        flash(_("%(count)s lines marked paid.", count=count), "success")
    return redirect(url_for(".index", partner=partner.id, month=month_key(year, month)))


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
