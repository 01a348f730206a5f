"""``/leads``: the people who came back, their story, ownership conflicts, CSV in and out."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from comarketing.calls.queries import lead_calls
from comarketing.commissions.models import Commission, Payment
from comarketing.core.auth import Permission, staff_required
from comarketing.core.csv_export import csv_response
from comarketing.core.errors import DomainError
from comarketing.core.paging import paginate
from comarketing.core.uploads import csv_upload
from comarketing.core.writes import committed
from comarketing.extensions import db
from comarketing.leads.forms import ConflictDecisionForm, EraseForm, LeadsUploadForm
from comarketing.leads.models import (
    Conversion,
    DealStatus,
    Lead,
    LeadOwnership,
    OwnershipConflict,
)
from comarketing.leads.queries import (
    deal_registrations_query,
    lead_deliveries,
    lead_timeline,
    leads_query,
    newest_first,
    open_conflicts,
    partner_names,
    status_history,
)
from comarketing.leads.services.erasure import erase_lead
from comarketing.leads.services.imports import import_leads
from comarketing.leads.services.ownership import resolve_conflict
from comarketing.webinars.consents import lead_consents

bp = Blueprint("leads", __name__, url_prefix="/leads")
PAGE_SIZE = 50
EXPORT_LIMIT = 100_000


def _date(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def _filtered() -> Any:
    owner = request.args.get("owner", "")
    return leads_query(
        current_user,
        search=request.args.get("q"),
        status=request.args.get("status") or None,
        owner_partner_id=int(owner) if owner.isdigit() else None,
        unowned=owner == "none",
        created_from=_date("from"),
        created_to=_date("to"),
    )


@bp.get("")
@staff_required()
def index() -> str:
    pagination = paginate(newest_first(_filtered()), PAGE_SIZE, past_last="empty")
    conflicts = db.session.scalar(select(func.count()).select_from(open_conflicts().subquery()))
    pending = deal_registrations_query(current_user, status=DealStatus.PENDING)
    flagged = leads_query(current_user, flagged=True)
    return render_template(
        "leads/index.html",
        leads=pagination.items,
        pagination=pagination,
        partners=partner_names(),
        open_conflicts=conflicts or 0,
        pending_deals=db.session.scalar(select(func.count()).select_from(pending.subquery())),
        flagged=db.session.scalar(select(func.count()).select_from(flagged.subquery())),
        args={k: v for k, v in request.args.items() if k != "page"},
    )


@bp.get("/export.csv")
@staff_required()
def export() -> Response:
    names = partner_names()
    leads = db.session.scalars(_filtered().order_by(Lead.created_at).limit(EXPORT_LIMIT))
    rows = (
        (
            lead.id,
            lead.created_at,
            lead.name,
            lead.company,
            lead.email,
            lead.phone,
            lead.status,
            names.get(lead.owner_partner_id or 0, ""),
            lead.first_payment_at,
        )
        for lead in leads
    )
    header = (
        "id",
        "created_at",
        "name",
        "company",
        "email",
        "phone",
        "status",
        "owner",
        "first_payment_at",
    )
    return csv_response(header, rows, "leads.csv")


@bp.get("/<int:lead_id>")
@staff_required()
def detail(lead_id: int) -> str:
    lead = db.session.scalar(leads_query(current_user).where(Lead.id == lead_id))
    if lead is None:
        abort(404)
    return render_template(
        "leads/detail.html",
        lead=lead,
        partners=partner_names(),
        conversions=db.session.scalars(
            select(Conversion).where(Conversion.lead_id == lead.id).order_by(Conversion.occurred_at)
        ).all(),
        touches=lead_timeline(lead.id),
        calls=lead_calls(lead.id),
        ownerships=db.session.scalars(
            select(LeadOwnership)
            .where(LeadOwnership.lead_id == lead.id)
            .order_by(LeadOwnership.starts_at)
        ).all(),
        conflicts=db.session.scalars(
            select(OwnershipConflict).where(OwnershipConflict.lead_id == lead.id)
        ).all(),
        payments=db.session.scalars(
            select(Payment).where(Payment.lead_id == lead.id).order_by(Payment.paid_at)
        ).all(),
        commissions={
            c.payment_id: c
            for c in db.session.scalars(select(Commission).where(Commission.lead_id == lead.id))
        },
        deliveries=lead_deliveries(lead.id),
        status_changes=status_history(lead.id),
        erase_form=EraseForm(formdata=None),
        consents=lead_consents(lead.id),
    )


@bp.route("/import", methods=["GET", "POST"])
@staff_required(Permission.PLAN)
def upload() -> str | Response:
    return csv_upload(
        LeadsUploadForm(),
        import_leads,
        template="leads/import.html",
        done=lambda report: _(
            "Imported %(rows)s rows: %(created)s new leads.",
            rows=report.rows,
            created=report.created,
        ),
        next_url=url_for(".index"),
    )


@bp.post("/<int:lead_id>/erase")
@staff_required(Permission.DECIDE)
def erase(lead_id: int) -> Response:
    """Erase the person's personal data (a manager, on the person's request)."""
    lead = db.session.scalar(leads_query(current_user).where(Lead.id == lead_id))
    if lead is None:
        abort(404)
    form = EraseForm()
    if form.validate_on_submit() and lead.erased_at is None:
        report = erase_lead(lead)
        db.session.commit()
        flash(
            _(
                "Personal data erased; %(count)s pending messages cancelled.",
                count=report.messages_cancelled,
            ),
            "success",
        )
    return redirect(url_for(".detail", lead_id=lead_id))


@bp.get("/conflicts")
@staff_required()
def conflicts() -> str:
    return render_template(
        "leads/conflicts.html",
        conflicts=db.session.scalars(open_conflicts()).all(),
        partners=partner_names(),
        form=ConflictDecisionForm(),
    )


@bp.post("/conflicts/<int:conflict_id>")
@staff_required(Permission.DECIDE)
def decide(conflict_id: int) -> Response:
    conflict = db.get_or_404(OwnershipConflict, conflict_id)
    form = ConflictDecisionForm()
    if not form.validate_on_submit():
        flash(_("Give a reason for the decision."), "danger")
        return redirect(url_for(".conflicts"))
    try:
        committed(
            lambda: resolve_conflict(
                conflict,
                reassign=form.decision.data == "reassign",
                reason=form.reason.data,
                decided_by_id=current_user.id,
            )
        )
    except DomainError as error:
        flash(error.message, "danger")
    else:
        flash(_("Decision recorded."), "success")
    return redirect(url_for(".conflicts"))
