"""``/portal/leads``: the leads the partner owns, with their status and conversions, and deal
registration: the partner registers a client it found and learns at once whether it is now
its own or already someone else's (never whose)."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from comarketing.commissions.models import Commission, Payment
from comarketing.core.forms import commit_or_show
from comarketing.core.paging import paginate
from comarketing.extensions import db
from comarketing.leads.forms import DealForm
from comarketing.leads.models import Conversion, DealStatus, Lead, LeadStatus
from comarketing.leads.queries import (
    conversion_summary,
    deal_registrations_query,
    leads_query,
    newest_first,
)
from comarketing.leads.services.deals import DealResult, register_deal
from comarketing.portal.access import own_or_404, partner
from comarketing.portal.blueprint import bp

PAGE_SIZE = 50


def _list(form: DealForm, status: int = 200) -> tuple[str, int]:
    """The partner's leads, newest first, each with its number of conversions and last one."""
    wanted = request.args.get("status", "")
    stmt = leads_query(
        current_user,
        search=(request.args.get("q") or "").strip()[:200],
        status=wanted if wanted in LeadStatus.__members__.values() else None,
    )
    pagination = paginate(newest_first(stmt), PAGE_SIZE, past_last="empty")
    page_html = render_template(
        "portal/leads.html",
        rows=pagination.items,
        conversions=conversion_summary([lead.id for lead in pagination.items]),
        pagination=pagination,
        args={k: v for k, v in request.args.items() if k != "page"},
        statuses=list(LeadStatus),
        form=form,
        deals=db.session.scalars(deal_registrations_query(current_user).limit(20)).all(),
    )
    return page_html, status


@bp.get("/leads")
def leads() -> tuple[str, int]:
    return _list(DealForm(formdata=None))


@bp.post("/leads")
def register_lead() -> Response | tuple[str, int]:
    """Deal registration. Refused with 409 and nothing written when another partner owns the
    client inside its protection window."""
    form = DealForm()
    outcome = commit_or_show(
        form,
        lambda: register_deal(
            partner(),
            email=form.email.data,
            phone=form.phone.data,
            name=form.name.data or "",
            company=form.company.data or "",
            comment=form.comment.data or "",
            created_by_id=current_user.id,
        ),
        _deal_message,
    )
    if not outcome.done:
        return _list(form, outcome.status)
    deal = outcome.result.deal
    if deal.status is DealStatus.REJECTED:  # kept, and said on the form: never whose client
        form.email.errors.append(_("This client is already registered by another partner."))
        return _list(form, 409)
    if deal.status is DealStatus.PENDING:
        return redirect(url_for(".leads"))
    return redirect(url_for(".lead", lead_id=deal.lead_id))


def _deal_message(result: DealResult) -> str | None:
    if result.deal.status is DealStatus.PENDING:
        return _("We know this client already: a partner manager will decide on your registration.")
    if result.deal.status is DealStatus.REJECTED:
        return None
    if result.already_own:
        return _("This client is already yours; the registration is noted.")
    return _("Accepted: the client is registered to you.")


@bp.get("/leads/<int:lead_id>")
def lead(lead_id: int) -> str:
    """One of the partner's leads: its conversions (which of them came through the partner's
    own links), its payments and the partner's commission on each."""
    me = partner()
    found = own_or_404(Lead, lead_id, Lead.owner_partner_id)
    conversions = db.session.scalars(
        select(Conversion).where(Conversion.lead_id == found.id).order_by(Conversion.occurred_at)
    ).all()
    payments = db.session.execute(
        select(Payment, Commission.amount, Commission.status)
        .outerjoin(
            Commission,
            (Commission.payment_id == Payment.id) & (Commission.partner_id == me.id),
        )
        .where(Payment.lead_id == found.id)
        .order_by(Payment.paid_at, Payment.id)
    ).all()
    return render_template(
        "portal/lead.html", lead=found, conversions=conversions, payments=payments, me=me
    )
