"""``/leads/deal-registrations`` and ``/leads/flags``: what waits for a manager about partner
credit — registrations of known clients to approve or reject, and self-referral flags that hold
commissions until cleared."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from comarketing.commissions.services import release_flagged
from comarketing.core.auth import Permission, staff_required
from comarketing.core.forms import commit_or_show
from comarketing.extensions import db
from comarketing.leads.forms import DealDecisionForm, FlagClearForm
from comarketing.leads.models import DealRegistration, DealStatus, Lead
from comarketing.leads.queries import deal_registrations_query, leads_query, partner_names
from comarketing.leads.services.deals import decide_deal

bp = Blueprint("leads_queue", __name__, url_prefix="/leads")
SHOWN = 200


@bp.get("/deal-registrations")
@staff_required()
def deal_registrations() -> str:
    recent = deal_registrations_query(current_user)
    return render_template(
        "leads/deal_registrations.html",
        pending=db.session.scalars(
            deal_registrations_query(current_user, status=DealStatus.PENDING).limit(SHOWN)
        ).all(),
        decided=db.session.scalars(
            recent.where(DealRegistration.status != DealStatus.PENDING).limit(50)
        ).all(),
        partners=partner_names(),
        form=DealDecisionForm(formdata=None),
    )


@bp.post("/deal-registrations/<int:deal_id>")
@staff_required(Permission.DECIDE)
def decide_registration(deal_id: int) -> Response:
    deal = db.get_or_404(DealRegistration, deal_id)
    form = DealDecisionForm()
    approve = form.decision.data == "approve"
    outcome = commit_or_show(
        form,
        lambda: decide_deal(
            deal, approve=approve, comment=form.comment.data or "", decided_by_id=current_user.id
        ),
        _("Approved: the partner owns the client.") if approve else _("Rejected."),
    )
    if not outcome.done and outcome.refusal is not None:
        flash(outcome.refusal.message, "danger")
    return redirect(url_for(".deal_registrations"))


@bp.get("/flags")
@staff_required()
def flags() -> str:
    flagged = leads_query(current_user, flagged=True).order_by(Lead.created_at.desc())
    return render_template(
        "leads/flags.html",
        leads=db.session.scalars(flagged.limit(SHOWN)).all(),
        partners=partner_names(),
        form=FlagClearForm(formdata=None),
    )


@bp.post("/<int:lead_id>/flags/clear")
@staff_required(Permission.DECIDE)
def clear(lead_id: int) -> Response:
    lead = db.first_or_404(leads_query(current_user).where(Lead.id == lead_id))
    form = FlagClearForm()

    outcome = commit_or_show(
        form,
        lambda: release_flagged(
            lead, comment=form.comment.data or "", cleared_by_id=current_user.id
        ),
        _("Flag cleared: the lead's commissions are released."),
    )
    if not outcome.done:
        flash(_("Give a reason to clear the flag."), "danger")
    return redirect(url_for(".flags"))
