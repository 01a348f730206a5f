"""``/api/v1/mdf``: partners' fund requests, managers' decisions, claims with measured proof,
reimbursements and the budgets' ledger (RUB).

Another partner's request or claim in the URL is a 404 before a resource runs
(``api.ownership``); lists pass through the same scoped queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask.views import MethodView
from flask_babel import gettext as _

from comarketing.api.auth import actor, api_blueprint, require
from comarketing.api.collections import collection
from comarketing.api.mdf_schemas import (
    BudgetCreateSchema,
    BudgetListArgsSchema,
    BudgetSchema,
    ClaimCreateSchema,
    ClaimSchema,
    DecisionCreateSchema,
    ReimbursementSchema,
    ReimburseSchema,
    RequestChangeSchema,
    RequestCreateSchema,
    RequestDetailSchema,
    RequestListArgsSchema,
    RequestSchema,
)
from comarketing.api.ownership import visible
from comarketing.core.api import ErrorSchema
from comarketing.core.auth import Permission, can
from comarketing.core.errors import Forbidden, NotFound, ValidationFailed
from comarketing.core.idempotency import idempotent
from comarketing.core.paging import list_page
from comarketing.core.writes import answer
from comarketing.extensions import db
from comarketing.mdf import services
from comarketing.mdf.budgets import Ledger, budgets_query
from comarketing.mdf.models import MdfBudget, MdfClaim, MdfRequest
from comarketing.mdf.queries import decisions_of, requests_query
from comarketing.spend.models import Spend

blp = api_blueprint("api_mdf", __name__, "MDF: fund requests, decisions, claims, budgets.")


def visible_request(request_id: int, *, lock: bool = False) -> MdfRequest:
    return visible(MdfRequest, request_id, _("MDF request not found."), lock=lock)


def visible_claim(claim_id: int) -> MdfClaim:
    return visible(MdfClaim, claim_id, _("MDF claim not found."))


def claim_body(claim: MdfClaim, request: MdfRequest) -> dict[str, Any]:
    fields = ClaimSchema().fields
    body = {name: getattr(claim, name) for name in fields if hasattr(claim, name)}
    return body | {
        "planned_leads": request.planned_leads,
        "required_leads": services.required_leads(request),
        "reimbursable_amount": services.reimbursable(request, claim.actual_cost),
    }


def request_body(request: MdfRequest) -> dict[str, Any]:
    """A request with its funded link, its decisions (the history) and its claim."""
    body = {name: getattr(request, name) for name in RequestSchema().fields}
    claim = services.claim_of(request.id)
    return body | {
        "link": services.funded_link(request),
        "decisions": list(db.session.scalars(decisions_of(request.id))),
        "claim": claim_body(claim, request) if claim else None,
    }


def reimbursement_body(claim: MdfClaim, request: MdfRequest) -> dict[str, Any]:
    """The vendor spend row a reimbursement wrote, with the claim it paid."""
    spend = db.session.get(Spend, claim.spend_id)
    fields = (name for name in ReimbursementSchema().fields if name != "claim")
    return {name: getattr(spend, name) for name in fields} | {"claim": claim_body(claim, request)}


def ledger_bodies(budgets: Sequence[MdfBudget]) -> list[dict[str, Any]]:
    return [ledger_body(ledger) for ledger in services.ledgers(list(budgets))]


def ledger_body(ledger: Ledger) -> dict[str, Any]:
    budget = ledger.budget
    fields = ("id", "name", "period_start", "period_end", "partner_id", "tier")
    return {name: getattr(budget, name) for name in fields} | {
        "allocated": ledger.allocated,
        "reserved": ledger.reserved,
        "claimed": ledger.claimed,
        "paid": ledger.paid,
        "remaining": ledger.remaining,
    }


@blp.route("/requests")
class Requests(MethodView):
    @collection(blp, RequestListArgsSchema, RequestSchema, "MdfRequestList")
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List MDF requests (a partner token: its own), oldest first."""
        return list_page(requests_query, actor(), MdfRequest.id, args)

    @idempotent
    @blp.arguments(RequestCreateSchema)
    @blp.response(201, RequestDetailSchema)
    @blp.alt_response(
        409, schema=ErrorSchema, description="A request with this Idempotency-Key is in progress"
    )
    def post(self, data: dict[str, Any]) -> Any:
        """Ask for funds (``status`` = ``submitted``). A partner token asks for its own
        partner; a staff token (marketer, admin) names ``partner_id``."""
        user = actor()
        partner_id = data.pop("partner_id")
        if user.is_partner:
            if partner_id is not None and partner_id != user.partner_id:
                raise NotFound(_("Nothing was found at this address."))
            partner_id = user.partner_id
        else:
            require(Permission.PLAN)
            if partner_id is None:
                message = _("Name the partner the request is for.")
                raise ValidationFailed(message, fields={"partner_id": [message]})
        return answer(
            lambda: services.submit_request(**data, partner_id=partner_id, submitted_by_id=user.id),
            lambda request: (request_body(request), 201),
        )


@blp.route("/requests/<int:request_id>")
class RequestById(MethodView):
    @blp.response(200, RequestDetailSchema)
    def get(self, request_id: int) -> Any:
        """One request with its funded link, decisions and claim."""
        return request_body(visible_request(request_id))

    @blp.arguments(RequestChangeSchema)
    @blp.response(200, RequestDetailSchema)
    @blp.alt_response(
        409, schema=ErrorSchema, description="The request is not returned for changes"
    )
    def put(self, data: dict[str, Any], request_id: int) -> Any:
        """Change a request returned for changes and send it again (``status`` =
        ``submitted``): the same checks as a new request, the history kept."""
        user = actor()
        if not (user.is_partner or can(user, Permission.PLAN)):
            raise Forbidden(_("Your role does not allow this action."))
        request = visible_request(request_id, lock=True)
        return answer(
            lambda: services.resubmit_request(request, **data, submitted_by_id=user.id),
            lambda _changed: request_body(request),
        )


@blp.route("/requests/<int:request_id>/decision")
class Decision(MethodView):
    @blp.arguments(DecisionCreateSchema)
    @blp.response(200, RequestDetailSchema)
    @blp.alt_response(409, schema=ErrorSchema, description="The request is not submitted")
    def post(self, data: dict[str, Any], request_id: int) -> Any:
        """Approve (creates the funded campaign and the partner's link), reject or return."""
        user = require(Permission.DECIDE)
        request = visible_request(request_id, lock=True)
        return answer(
            lambda: services.decide(request, **data, decided_by_id=user.id),
            lambda _decided: request_body(request),
        )


@blp.route("/requests/<int:request_id>/claim")
class Claim(MethodView):
    @blp.arguments(ClaimCreateSchema)
    @blp.response(201, ClaimSchema)
    @blp.alt_response(
        409, schema=ErrorSchema, description="The request is not approved, or already claimed"
    )
    def post(self, data: dict[str, Any], request_id: int) -> Any:
        """Claim an approved request once; proof (clicks, leads, CPL) is measured here."""
        user = actor()
        if not (user.is_partner or can(user, Permission.PLAN)):
            raise Forbidden(_("Your role does not allow this action."))
        request = visible_request(request_id, lock=True)
        return answer(
            lambda: services.claim(request, **data, submitted_by_id=user.id),
            lambda claim: (claim_body(claim, request), 201),
        )


@blp.route("/claims/<int:claim_id>/reimburse")
class Reimburse(MethodView):
    @blp.arguments(ReimburseSchema)
    @blp.response(201, ReimbursementSchema)
    @blp.alt_response(
        409,
        schema=ErrorSchema,
        description="Too few leads came back and no override, or already reimbursed",
    )
    def post(self, data: dict[str, Any], claim_id: int) -> Any:
        """Pay a claim: a vendor spend row for the partner on the funded campaign. 409 when
        too few leads came back, unless ``override`` says why."""
        user = require(Permission.DECIDE)
        claim = visible_claim(claim_id)
        request = visible_request(claim.request_id, lock=True)
        return answer(
            lambda: services.reimburse(claim, override=data["override"], reimbursed_by_id=user.id),
            lambda _paid: (reimbursement_body(claim, request), 201),
        )


@blp.route("/budgets")
class Budgets(MethodView):
    @collection(blp, BudgetListArgsSchema, BudgetSchema, "MdfBudgetList")
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Budgets with their ledger (a partner token: those that apply to it)."""
        return list_page(
            budgets_query,
            actor(),
            MdfBudget.id,
            args,
            lambda budgets: [ledger_body(x) for x in services.ledgers(list(budgets))],
        )

    @blp.arguments(BudgetCreateSchema)
    @blp.response(201, BudgetSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Set aside MDF money for a period: one partner, one tier, or everyone."""
        require(Permission.DECIDE)
        return answer(
            lambda: services.create_budget(**data),
            lambda budget: (ledger_body(services.ledgers([budget])[0]), 201),
        )
