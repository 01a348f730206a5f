"""``/campaigns``: plan co-funded campaigns, watch budget against spend, record spend."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from comarketing.campaigns import services
from comarketing.campaigns.channels import channel_choices
from comarketing.campaigns.forms import PARTNER_ROWS, CampaignForm
from comarketing.campaigns.models import Campaign
from comarketing.campaigns.queries import campaigns_query
from comarketing.core.auth import Permission, staff_required
from comarketing.core.forms import commit_or_show
from comarketing.core.uploads import csv_upload
from comarketing.extensions import db
from comarketing.links.models import TrackedLink
from comarketing.partners.queries import partner_choices
from comarketing.spend.forms import SpendForm, SpendUploadForm
from comarketing.spend.queries import spend_query, spend_total, spend_totals
from comarketing.spend.services import import_spend, record_spend
from comarketing.webinars.models import Webinar

bp = Blueprint("campaigns", __name__, url_prefix="/campaigns")


def _campaign(campaign_id: int) -> Campaign:
    campaign = db.session.scalar(campaigns_query(current_user).where(Campaign.id == campaign_id))
    if campaign is None:
        abort(404)
    return campaign


def _prepare(form: CampaignForm) -> None:
    form.channel.choices = channel_choices()
    for entry in form.partners:
        entry.partner_id.choices = partner_choices(blank=_("— partner —"))


def _values(form: CampaignForm) -> dict[str, Any]:
    """The form's fields as the campaign services take them."""
    return {
        "name": form.name.data,
        "channel": form.channel.data,
        "starts_on": form.starts_on.data,
        "ends_on": form.ends_on.data,
        "budget": form.budget.data or Decimal(0),
        "landing_url": form.landing_url.data or None,
        "landing_hosts": form.landing_hosts.data or "",
        "description": form.description.data or "",
        "partners": _shares(form),
    }


def _shares(form: CampaignForm) -> list[services.PartnerShare]:
    return [
        services.PartnerShare(entry.partner_id.data, entry.cost_share.data)
        for entry in form.partners
        if entry.partner_id.data
    ]


@bp.get("")
@staff_required()
def index() -> str:
    channel = request.args.get("channel") or None
    stmt = campaigns_query(current_user, channel=channel, search=request.args.get("q"))
    campaigns = db.session.scalars(stmt.order_by(Campaign.starts_on.desc())).all()
    return render_template(
        "campaigns/index.html",
        campaigns=campaigns,
        spent=spend_totals([c.id for c in campaigns]),
        channels=channel_choices(),
        channel=channel,
    )


@bp.route("/new", methods=["GET", "POST"])
@staff_required(Permission.PLAN)
def new() -> str | Response:
    form = CampaignForm()
    _prepare(form)
    if form.validate_on_submit():
        campaign = commit_or_show(
            form,
            lambda: services.create_campaign(**_values(form), created_by_id=current_user.id),
            _("Campaign «%(name)s» created.", name=form.name.data),
            valid=True,
        )
        if campaign.done:
            return redirect(url_for(".detail", campaign_id=campaign.result.id))
    return render_template("campaigns/form.html", form=form, campaign=None)


@bp.route("/<int:campaign_id>/edit", methods=["GET", "POST"])
@staff_required(Permission.PLAN)
def edit(campaign_id: int) -> str | Response:
    campaign = _campaign(campaign_id)
    form = CampaignForm(obj=campaign)
    if request.method == "GET":
        form.landing_hosts.data = campaign.landing_hosts
        for index, part in enumerate(campaign.partners[:PARTNER_ROWS]):
            form.partners[index].partner_id.data = part.partner_id
            form.partners[index].cost_share.data = part.cost_share
    _prepare(form)
    if commit_or_show(
        form, lambda: services.update_campaign(campaign, _values(form)), _("Campaign saved.")
    ).done:
        return redirect(url_for(".detail", campaign_id=campaign.id))
    return render_template("campaigns/form.html", form=form, campaign=campaign)


@bp.get("/<int:campaign_id>")
@staff_required()
def detail(campaign_id: int) -> str:
    campaign = _campaign(campaign_id)
    form = SpendForm()
    form.partner_id.choices = partner_choices(blank=_("— the campaign (split by shares) —"))
    return _detail_page(campaign, form)


def _detail_page(campaign: Campaign, form: SpendForm) -> str:
    links = db.session.scalars(
        select(TrackedLink).where(TrackedLink.campaign_id == campaign.id).order_by(TrackedLink.id)
    ).all()
    webinars = db.session.scalars(
        select(Webinar).where(Webinar.campaign_id == campaign.id).order_by(Webinar.starts_at)
    ).all()
    spend = db.session.scalars(spend_query(current_user, campaign_id=campaign.id)).all()
    return render_template(
        "campaigns/detail.html",
        campaign=campaign,
        links=links,
        webinars=webinars,
        spend=spend,
        spent=spend_total(campaign_id=campaign.id),
        form=form,
        partner_names={part.partner_id: part.partner.name for part in campaign.partners},
    )


@bp.post("/<int:campaign_id>/spend")
@staff_required(Permission.PLAN)
def add_spend(campaign_id: int) -> str | Response:
    campaign = _campaign(campaign_id)
    form = SpendForm()
    form.partner_id.choices = partner_choices(blank=_("— the campaign (split by shares) —"))
    if commit_or_show(
        form,
        lambda: record_spend(
            **form.values(), campaign_id=campaign.id, created_by_id=current_user.id
        ),
        _("Spend recorded."),
    ).done:
        return redirect(url_for(".detail", campaign_id=campaign.id))
    return _detail_page(campaign, form)


@bp.route("/spend/import", methods=["GET", "POST"])
@staff_required(Permission.PLAN)
def spend_import() -> str | Response:
    return csv_upload(
        SpendUploadForm(),
        lambda data: import_spend(data, created_by_id=current_user.id),
        template="campaigns/spend_import.html",
        done=lambda count: _("Imported %(count)s spend rows.", count=count),
        next_url=url_for(".index"),
    )
