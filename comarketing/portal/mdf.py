"""``/portal/mdf``: the partner's market development funds — its balance, its requests and
their decisions, and for an approved request the funded link with the proof measured on it
(clicks, the leads that came back, CPL) and the claim.

Every read goes through the portal's access rule: requests through ``own``/``own_or_404``
(another partner's request id is a 404), budgets through ``budgets_query(current_user)`` (the
partner's own, its tier's and everyone's), the funded link and its leads only from a request
found that way. The rules (cap, budget, dates, when a claim is allowed) are the services'.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from comarketing.core.forms import commit_or_show
from comarketing.core.paging import paginate
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.links.models import TrackedLink
from comarketing.links.urls import short_url
from comarketing.mdf.budgets import budgets_query, ledgers
from comarketing.mdf.models import MdfBudget, MdfDecision, MdfDecisionKind, MdfRequest, MdfStatus
from comarketing.mdf.queries import decisions_of, requests_query, returned_leads
from comarketing.mdf.services import (
    claim,
    claim_of,
    funded_link,
    measure,
    reimbursable,
    reimbursement_share,
    required_leads,
    resubmit_request,
    submit_request,
)
from comarketing.mdf.services.claims import min_lead_return
from comarketing.portal.access import own, own_or_404, partner
from comarketing.portal.blueprint import bp
from comarketing.portal.mdf_forms import MdfClaimForm, MdfRequestForm

PAGE_SIZE = 25
BUDGETS_SHOWN = 20
LEADS_SHOWN = 200
MAX_ID = 2147483647

STATUS_LABELS = {
    MdfStatus.SUBMITTED: _l("submitted"),
    MdfStatus.RETURNED: _l("returned for changes"),
    MdfStatus.REJECTED: _l("rejected"),
    MdfStatus.APPROVED: _l("approved"),
    MdfStatus.CLAIMED: _l("claimed"),
    MdfStatus.REIMBURSED: _l("reimbursed"),
}
DECISION_LABELS = {
    MdfDecisionKind.APPROVE: _l("Approved"),
    MdfDecisionKind.REJECT: _l("Rejected"),
    MdfDecisionKind.RETURN: _l("Returned for changes"),
}


@bp.get("/mdf")
def mdf() -> str:
    return _mdf_page(MdfRequestForm(formdata=None))


@bp.post("/mdf")
def submit_mdf_request() -> Response | tuple[str, int]:
    """File a request through ``submit_request``; a form error or a refusal (over the cap or
    the budget's remainder, dates out of order) is shown on the form, nothing written."""
    form = MdfRequestForm()
    outcome = commit_or_show(
        form,
        lambda: submit_request(
            partner_id=partner().id, submitted_by_id=current_user.id, **form.values()
        ),
        _("Request submitted: a manager will decide on it."),
    )
    if outcome.done:
        return redirect(url_for("portal.mdf_request", request_id=outcome.result.id))
    return _mdf_page(form), outcome.status


@bp.get(f"/mdf/<int(max={MAX_ID}):request_id>")
def mdf_request(request_id: int) -> str:
    found = own_or_404(MdfRequest, request_id, MdfRequest.partner_id)
    return _request_page(found, MdfClaimForm(formdata=None))


@bp.post(f"/mdf/<int(max={MAX_ID}):request_id>/claim")
def claim_mdf_request(request_id: int) -> Response | tuple[str, int]:
    """Claim an approved request once; a refusal (not approved, already claimed, bad cost)
    is shown on the form with its status (409/422) and nothing is written."""
    found = own_or_404(MdfRequest, request_id, MdfRequest.partner_id)
    form = MdfClaimForm()
    outcome = commit_or_show(
        form,
        lambda: claim(
            found,
            actual_cost=form.actual_cost.data or Decimal(0),
            comment=form.comment.data or "",
            submitted_by_id=current_user.id,
        ),
        _("Claim submitted: a manager will check the proof and reimburse."),
    )
    if outcome.done:
        return redirect(url_for("portal.mdf_request", request_id=found.id))
    return _request_page(found, form), outcome.status


@bp.post(f"/mdf/<int(max={MAX_ID}):request_id>/resubmit")
def resubmit_mdf_request(request_id: int) -> Response | tuple[str, int]:
    """Change a request returned for changes and send it again; a form error or a refusal
    (not returned, over the cap or the budget's remainder) is shown on the form, nothing
    written."""
    found = own_or_404(MdfRequest, request_id, MdfRequest.partner_id)
    form = MdfRequestForm()
    outcome = commit_or_show(
        form,
        lambda: resubmit_request(found, submitted_by_id=current_user.id, **form.values()),
        _("Request changed and sent again: a manager will decide on it."),
    )
    if outcome.done:
        return redirect(url_for("portal.mdf_request", request_id=found.id))
    page = _request_page(found, MdfClaimForm(formdata=None), change_form=form)
    return page, outcome.status


def _mdf_page(form: MdfRequestForm) -> str:
    stmt = requests_query(current_user)
    pagination = paginate(
        stmt.order_by(MdfRequest.created_at.desc(), MdfRequest.id.desc()), PAGE_SIZE
    )
    rows = pagination.items
    ids = [row.id for row in rows]
    links = _funded_links(ids)
    return render_template(
        "portal/mdf.html",
        ledgers=_current_ledgers(),
        requests=rows,
        decisions=_last_decisions(ids),
        links=links,
        short_urls={link.id: short_url(link.code) for link in links.values()},
        statuses=STATUS_LABELS,
        share=_percent(reimbursement_share()),
        lead_return=_percent(min_lead_return()),
        pagination=pagination,
        form=form,
    )


def _current_ledgers() -> list[Any]:
    """Budgets that apply to the partner and have not ended, each with its ledger."""
    stmt = (
        budgets_query(current_user)
        .where(MdfBudget.period_end >= utcnow().date())
        .order_by(MdfBudget.period_start, MdfBudget.id)
        .limit(BUDGETS_SHOWN)
    )
    return ledgers(list(db.session.scalars(stmt)))


def _last_decisions(request_ids: list[int]) -> dict[int, MdfDecision]:
    """The latest decision of each of the partner's requests (ids from ``own``)."""
    if not request_ids:
        return {}
    stmt = (
        select(MdfDecision)
        .join(MdfRequest, MdfRequest.id == MdfDecision.request_id)
        .where(MdfDecision.request_id.in_(request_ids))
        .order_by(MdfDecision.decided_at, MdfDecision.id)
    )
    return {row.request_id: row for row in db.session.scalars(own(stmt, MdfRequest.partner_id))}


def _funded_links(request_ids: list[int]) -> dict[int, TrackedLink]:
    """The funded link of each request (the one ``funded_link`` picks: the partner's first
    link of the funded campaign), in one query."""
    if not request_ids:
        return {}
    stmt = (
        select(MdfRequest.id, TrackedLink)
        .join(
            TrackedLink,
            (TrackedLink.campaign_id == MdfRequest.campaign_id)
            & (TrackedLink.partner_id == MdfRequest.partner_id),
        )
        .where(MdfRequest.id.in_(request_ids))
        .order_by(TrackedLink.id.desc())  # the lowest id is written last
    )
    rows = db.session.execute(own(stmt, TrackedLink.partner_id))
    return {row[0]: row[1] for row in rows}


def _request_page(
    found: MdfRequest, form: MdfClaimForm, change_form: MdfRequestForm | None = None
) -> str:
    if change_form is None and found.status is MdfStatus.RETURNED:
        change_form = MdfRequestForm(formdata=None, obj=found)  # the terms as they were
    link = funded_link(found)
    if link is not None and link.partner_id != partner().id:
        link = None  # the funded link is always the partner's own; never show another's
    claim_row = claim_of(found.id)
    cost = claim_row.actual_cost if claim_row else found.planned_cost
    return render_template(
        "portal/mdf_request.html",
        mdf_request=found,
        me=partner(),
        history=list(db.session.scalars(decisions_of(found.id))),
        link=link,
        short_url=short_url(link.code) if link else None,
        proof=measure(found, cost) if link else None,
        leads=returned_leads(link.id, limit=LEADS_SHOWN) if link else [],
        leads_shown=LEADS_SHOWN,
        needed=required_leads(found),
        lead_return=_percent(min_lead_return()),
        claim=claim_row,
        payout=reimbursable(found, claim_row.actual_cost) if claim_row else None,
        can_claim=found.status is MdfStatus.APPROVED and claim_row is None,
        change_form=change_form,
        share=_percent(reimbursement_share()),
        statuses=STATUS_LABELS,
        decision_labels=DECISION_LABELS,
        form=form,
    )


def _percent(share: Decimal) -> int:
    return int(share * 100)
