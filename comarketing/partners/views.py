"""``/partners``: the partner list, a partner's page, and the forms to add and change one."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from comarketing.core.auth import Permission, can, staff_required
from comarketing.core.forms import commit_or_show
from comarketing.core.time import utcnow
from comarketing.core.urls import public_url
from comarketing.extensions import db
from comarketing.goals.plans_forms import PlanForm
from comarketing.goals.plans_periods import current_periods, local_today
from comarketing.goals.plans_progress import plan_zone, plans_progress
from comarketing.goals.plans_queries import plans_query
from comarketing.goals.plans_services import create_plan
from comarketing.partners import services
from comarketing.partners.forms import PartnerFilterForm, PartnerForm
from comarketing.partners.models import Partner
from comarketing.partners.queries import partners_query, segments
from comarketing.partners.segments import segment_label
from comarketing.reports.partners import partner_activity
from comarketing.tiers.queries import tier_history
from comarketing.users.forms import InviteForm
from comarketing.users.invitations import invite_partner_user
from comarketing.users.queries import partner_users

bp = Blueprint("partners", __name__, url_prefix="/partners")


def _partner(partner_id: int) -> Partner:
    partner = db.session.scalar(partners_query(current_user).where(Partner.id == partner_id))
    if partner is None:
        abort(404)
    return partner


def _form_data(form: PartnerForm) -> dict[str, Any]:
    """The form's fields as the partner services take them."""
    return {
        "name": form.name.data,
        "segment": form.segment.data,
        "slug": (form.slug.data or "").strip().lower() or None,
        "email": form.email.data or None,
        "commission_rate": form.commission_rate.data,
        "tier": form.tier.data or None,
    }


@bp.get("")
@staff_required()
def index() -> str:
    form = PartnerFilterForm(request.args)
    segment_rows = db.session.execute(segments()).all()
    form.segment.choices = [SelectChoice("", _("All segments"))] + [
        SelectChoice(row.segment, segment_label(row.segment)) for row in segment_rows
    ]
    tiers = db.session.scalars(select(Partner.tier).distinct().where(Partner.tier.is_not(None)))
    form.tier.choices = [SelectChoice("", _("All tiers"))] + [
        SelectChoice(tier) for tier in sorted(t for t in tiers if t)
    ]
    stmt = partners_query(
        current_user,
        segment=form.segment.data or None,
        tier=form.tier.data or None,
        search=form.q.data if form.validate() else None,
    ).order_by(Partner.segment, Partner.name)
    return render_template(
        "partners/index.html", form=form, partners=db.session.scalars(stmt).all()
    )


@bp.route("/new", methods=["GET", "POST"])
@staff_required(Permission.PLAN)
def new() -> str | Response:
    form = PartnerForm()
    outcome = commit_or_show(
        form,
        lambda: services.create_partner(**_form_data(form)),
        lambda _partner: _("Partner «%(name)s» added.", name=form.name.data),
    )
    if outcome.done:
        return redirect(url_for(".detail", partner_id=outcome.result.id))
    return render_template("partners/form.html", form=form, partner=None)


@bp.route("/<int:partner_id>/edit", methods=["GET", "POST"])
@staff_required(Permission.PLAN)
def edit(partner_id: int) -> str | Response:
    partner = _partner(partner_id)
    form = PartnerForm(obj=partner)
    outcome = commit_or_show(
        form,
        lambda: services.update_partner(partner, _changes(form, partner)),
        _("Partner saved."),
    )
    if outcome.done:
        return redirect(url_for(".detail", partner_id=partner.id))
    return render_template("partners/form.html", form=form, partner=partner)


def _changes(form: PartnerForm, partner: Partner) -> dict[str, Any]:
    """The form's data as changes: an empty slug keeps the partner's, an empty rate too."""
    changes: dict[str, Any] = {**_form_data(form)}
    changes["slug"] = changes["slug"] or partner.slug
    if changes["commission_rate"] is None:
        changes.pop("commission_rate")
    return changes


@bp.get("/<int:partner_id>")
@staff_required()
def detail(partner_id: int) -> str:
    return _detail(_partner(partner_id), InviteForm(formdata=None))


def _detail(partner: Partner, invite_form: InviteForm, plan_form: PlanForm | None = None) -> str:
    if plan_form is None:
        plan_form = PlanForm(formdata=None)
        quarter, _month = current_periods(local_today(utcnow(), plan_zone()))
        plan_form.period.data = quarter.key
    plans = db.session.scalars(plans_query(current_user, partner_id=partner.id)).all()
    return render_template(
        "partners/detail.html",
        partner=partner,
        activity=partner_activity(partner.id),
        users=partner_users(partner.id),
        invite_form=invite_form,
        plans=plans_progress(plans, utcnow()),
        plan_form=plan_form,
        tier_moves=tier_history(partner.id),
        feed_url=public_url(url_for("webinars_public.partner_feed", token=partner.feed_token)),
    )


@bp.post("/<int:partner_id>/plans")
@staff_required()
def add_plan(partner_id: int) -> str | Response | tuple[str, int]:
    """Record a joint business plan agreed with the partner (marketers and managers)."""
    if not (can(current_user, Permission.PLAN) or can(current_user, Permission.DECIDE)):
        abort(403)
    partner = _partner(partner_id)
    form = PlanForm()
    outcome = commit_or_show(
        form,
        lambda: create_plan(
            partner,
            period=form.period.data or "",
            goals=form.goals(),
            note=form.note.data or "",
            agreed_by=form.agreed_by.data or "",
            created_by_id=current_user.id,
        ),
        lambda plan: _("Plan for %(period)s added.", period=plan.period),
    )
    if outcome.done:
        return redirect(url_for(".detail", partner_id=partner.id, _anchor="plans"))
    return _detail(partner, InviteForm(formdata=None), form), outcome.status


@bp.post("/<int:partner_id>/users")
@staff_required(Permission.PLAN)
def invite(partner_id: int) -> str | Response | tuple[str, int]:
    """Invite a user of this partner to the portal: the invitation link goes by e-mail."""
    partner = _partner(partner_id)
    form = InviteForm()
    outcome = commit_or_show(
        form,
        lambda: invite_partner_user(
            partner, form.email.data, form.name.data or "", locale=form.locale.data
        ),
        lambda _invited: _("Invitation sent to %(email)s.", email=form.email.data.strip()),
    )
    if outcome.done:
        return redirect(url_for(".detail", partner_id=partner.id))
    return _detail(partner, form), 422
