"""``/mdf``: the staff side of market development funds — budgets and their ledger, the queue
of requests, the lead-return watch list, and a request's page where a manager decides and
reimburses.

Any staff user reads; deciding, reimbursing and creating budgets need ``Permission.DECIDE``
(as in the API). Views parse a form, call one service and commit through ``commit_or_show``:
a refusal re-renders the page with the form's errors and the refusal's status (422, or 409
for a conflict such as ``lead_return_not_met``) and nothing is written.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import case, select
from werkzeug.wrappers import Response

from comarketing.campaigns.models import Campaign
from comarketing.core.auth import Permission, staff_required
from comarketing.core.forms import commit_or_show
from comarketing.core.paging import paginate
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.integrations.stuck import stuck_partners
from comarketing.links.queries import partner_choices
from comarketing.mdf import services
from comarketing.mdf.budgets import budgets_query
from comarketing.mdf.forms import BudgetForm, DecisionForm, ReimburseForm
from comarketing.mdf.labels import DECISION_LABELS, STATUS_LABELS
from comarketing.mdf.models import MdfBudget, MdfClaim, MdfRequest, MdfStatus
from comarketing.mdf.queries import claims_query, requests_query
from comarketing.mdf.record import request_record
from comarketing.mdf.watch import quiet_activities
from comarketing.users.models import User

bp = Blueprint("mdf", __name__, url_prefix="/mdf")

PAGE_SIZE = 50
BUDGETS_SHOWN = 30


@bp.get("")
@staff_required()
def index() -> str:
    status = request.args.get("status", "")
    status = status if status in set(MdfStatus) else ""
    partner_arg = request.args.get("partner", "")
    partner_id = int(partner_arg) if partner_arg.isdigit() else None
    stmt = requests_query(current_user, partner_id=partner_id, status=status or None)
    submitted_first = case((MdfRequest.status == MdfStatus.SUBMITTED, 0), else_=1)
    queue = paginate(
        stmt.order_by(submitted_first, MdfRequest.created_at.desc(), MdfRequest.id.desc()),
        PAGE_SIZE,
    )
    budgets = db.session.scalars(
        budgets_query(current_user)
        .order_by(MdfBudget.period_end.desc(), MdfBudget.id.desc())
        .limit(BUDGETS_SHOWN)
    ).all()
    return render_template(
        "mdf/index.html",
        ledgers=services.ledgers(list(budgets)),
        queue=queue.items,
        partners=dict(partner_choices()),
        statuses=STATUS_LABELS,
        quiet=quiet_activities(partner_id=partner_id),
        stuck=stuck_partners(utcnow(), partner_id=partner_id),
        pagination=queue,
        args={"status": status, "partner": partner_id or ""},
    )


@bp.get("/requests/<int:request_id>")
@staff_required()
def detail(request_id: int) -> str:
    found = _visible_request(request_id)
    return _request_page(found, DecisionForm(formdata=None), ReimburseForm(formdata=None))


@bp.post("/requests/<int:request_id>/decision")
@staff_required(Permission.DECIDE)
def decision(request_id: int) -> Response | tuple[str, int]:
    """Approve (creates the funded campaign and link), reject or return with a comment."""
    found = _visible_request(request_id, lock=True)
    form = DecisionForm()
    outcome = commit_or_show(
        form,
        lambda: services.decide(found, **form.values(), decided_by_id=current_user.id),
        _("Decision recorded."),
    )
    if outcome.done:
        return redirect(url_for(".detail", request_id=found.id))
    return _request_page(found, form, ReimburseForm(formdata=None)), outcome.status


@bp.post("/claims/<int:claim_id>/reimburse")
@staff_required(Permission.DECIDE)
def reimburse(claim_id: int) -> Response | tuple[str, int]:
    """Pay a claim (a vendor spend row); 409 when too few leads came back and no override."""
    claim = db.session.scalar(claims_query(current_user).where(MdfClaim.id == claim_id))
    if claim is None:
        abort(404)
    found = _visible_request(claim.request_id, lock=True)
    form = ReimburseForm()
    outcome = commit_or_show(
        form,
        lambda: services.reimburse(
            claim, override=form.override.data, reimbursed_by_id=current_user.id
        ),
        _("Claim reimbursed: the spend is recorded for the partner."),
    )
    if outcome.done:
        return redirect(url_for(".detail", request_id=found.id))
    refusal = outcome.refusal.code if outcome.refusal else None
    page = _request_page(found, DecisionForm(formdata=None), form, refusal=refusal)
    return page, outcome.status


@bp.route("/budgets/new", methods=["GET", "POST"])
@staff_required(Permission.DECIDE)
def new_budget() -> Response | str | tuple[str, int]:
    form = BudgetForm()
    if request.method == "GET":
        return render_template("mdf/budget_form.html", form=form)
    outcome = commit_or_show(
        form, lambda: services.create_budget(**form.values()), _("MDF budget created.")
    )
    if outcome.done:
        return redirect(url_for(".index"))
    return render_template("mdf/budget_form.html", form=form), outcome.status


def _visible_request(request_id: int, *, lock: bool = False) -> MdfRequest:
    stmt = requests_query(current_user).where(MdfRequest.id == request_id)
    found = db.session.scalar(stmt.with_for_update() if lock else stmt)
    if found is None:
        abort(404)
    return found


def _user_names(ids: set[int | None]) -> dict[int, str]:
    wanted = {user_id for user_id in ids if user_id is not None}
    if not wanted:
        return {}
    rows = db.session.execute(select(User.id, User.name, User.email).where(User.id.in_(wanted)))
    return {row[0]: row[1] or row[2] for row in rows}


def _request_page(
    found: MdfRequest,
    decision_form: DecisionForm,
    pay_form: ReimburseForm,
    *,
    refusal: str | None = None,
) -> str:
    """The request, its record (history, funded link, proof, claim), its funded campaign and
    the forms; ``refusal`` is the code of a refused reimbursement (``lead_return_not_met``)."""
    record = request_record(found, current_user)
    who = {row.decided_by_id for row in record.history} | {found.submitted_by_id}
    if record.claim:
        who |= {record.claim.submitted_by_id, record.claim.reimbursed_by_id}
    return render_template(
        "mdf/request.html",
        mdf_request=found,
        partner_name=dict(partner_choices()).get(found.partner_id, ""),
        campaign=db.session.get(Campaign, found.campaign_id) if found.campaign_id else None,
        names=_user_names(who),
        **vars(record),
        statuses=STATUS_LABELS,
        decision_labels=DECISION_LABELS,
        decision_form=decision_form,
        pay_form=pay_form,
        refusal=refusal,
        can_decide_now=found.status is MdfStatus.SUBMITTED,
        can_pay_now=record.claim is not None and found.status is MdfStatus.CLAIMED,
    )
