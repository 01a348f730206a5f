"""``/portal/leads``: the leads the partner owns, with their status and conversions, and deal
registration: the partner registers a client it found and learns at once whether it is now
its own or already someone else's (never whose)."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from comarketing.commissions.models import Commission, Payment
from comarketing.core.forms import commit_or_show
from comarketing.extensions import db
from comarketing.leads.forms import DealForm
from comarketing.leads.models import Conversion, Lead, LeadStatus
from comarketing.leads.services.deals import register_deal
from comarketing.portal.access import own, own_or_404, partner
from comarketing.portal.blueprint import bp

PAGE_SIZE = 50
MAX_PAGE = 100_000


def _list(form: DealForm, status: int = 200) -> tuple[str, int]:
    """The partner's leads, newest first, each with its number of conversions and last one."""
    search = (request.args.get("q") or "").strip()[:200]
    wanted = request.args.get("status", "")
    stmt = own(select(Lead), Lead.owner_partner_id)
    if search:
        term = search.lower()
        stmt = stmt.where(
            Lead.email.contains(term, autoescape=True)
            | Lead.phone.contains(term, autoescape=True)
            | func.lower(Lead.name).contains(term, autoescape=True)
            | func.lower(Lead.company).contains(term, autoescape=True)
        )
    if wanted in LeadStatus.__members__.values():
        stmt = stmt.where(Lead.status == wanted)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE)
    conversions = (
        select(
            Conversion.lead_id,
            func.count(Conversion.id).label("count"),
            func.max(Conversion.occurred_at).label("last_at"),
        )
        .group_by(Conversion.lead_id)
        .subquery()
    )
    rows = db.session.execute(
        stmt.add_columns(conversions.c.count, conversions.c.last_at)
        .outerjoin(conversions, conversions.c.lead_id == Lead.id)
        .order_by(Lead.created_at.desc(), Lead.id.desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    page_html = render_template(
        "portal/leads.html",
        rows=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        args={k: v for k, v in request.args.items() if k != "page"},
        statuses=list(LeadStatus),
        form=form,
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
        ),
        lambda result: (
            _("This client is already yours; the registration is noted.")
            if result.already_own
            else _("Accepted: the client is registered to you.")
        ),
    )
    if outcome.done:
        return redirect(url_for(".lead", lead_id=outcome.result.lead.id))
    return _list(form, outcome.status)


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
