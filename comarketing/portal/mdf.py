"""``/portal/mdf``: the partner's market development funds — its balance, its requests and
their decisions, and for an approved request the funded link with the proof measured on it
(clicks, the leads that came back, CPL) and the claim.

Every read is the MDF domain's, scoped to the partner: requests through
``requests_query(current_user)``/``own_or_404`` (another partner's request id is a 404),
budgets through ``budgets_query(current_user)`` (the partner's own, its tier's and
everyone's), a request's page through ``mdf.record.request_record`` (the staff page's too).
The rules (cap, budget, dates, when a claim is allowed) are the services'.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from comarketing.core.forms import commit_or_show
from comarketing.core.paging import paginate
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.links.urls import short_url
from comarketing.mdf.budgets import budgets_query, ledgers
from comarketing.mdf.labels import DECISION_LABELS, STATUS_LABELS
from comarketing.mdf.models import MdfBudget, MdfRequest, MdfStatus
from comarketing.mdf.queries import (
    funded_links,
    last_decisions,
    requests_query,
)
from comarketing.mdf.record import request_record
from comarketing.mdf.services import (
    claim,
    reimbursement_share,
    resubmit_request,
    submit_request,
)
from comarketing.mdf.services.claims import min_lead_return
from comarketing.portal.access import own_or_404, partner
from comarketing.portal.blueprint import bp
from comarketing.portal.mdf_forms import MdfClaimForm, MdfRequestForm

PAGE_SIZE = 25
BUDGETS_SHOWN = 20
MAX_ID = 2147483647


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
    pagination = paginate(
        requests_query(current_user).order_by(MdfRequest.created_at.desc(), MdfRequest.id.desc()),
        PAGE_SIZE,
    )
    ids = [row.id for row in pagination.items]
    links = funded_links(current_user, ids)
    return render_template(
        "portal/mdf.html",
        ledgers=_current_ledgers(),
        requests=pagination.items,
        decisions=last_decisions(current_user, ids),
        links=links,
        short_urls={link.id: short_url(link.code) for link in links.values()},
        statuses=STATUS_LABELS,
        share=_percent(reimbursement_share(partner())),
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


def _request_page(
    found: MdfRequest, form: MdfClaimForm, change_form: MdfRequestForm | None = None
) -> str:
    if change_form is None and found.status is MdfStatus.RETURNED:
        change_form = MdfRequestForm(formdata=None, obj=found)  # the terms as they were
    record = request_record(found, current_user)
    return render_template(
        "portal/mdf_request.html",
        mdf_request=found,
        me=partner(),
        **vars(record),
        can_claim=found.status is MdfStatus.APPROVED and record.claim is None,
        change_form=change_form,
        share=_percent(reimbursement_share(partner())),
        statuses=STATUS_LABELS,
        decision_labels=DECISION_LABELS,
        form=form,
    )


def _percent(share: Decimal) -> int:
    return int(share * 100)
