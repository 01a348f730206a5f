"""``/links``: the tracked links staff issue to partners, with their figures and QR codes.

The public redirect is a blueprint of its own (``comarketing.links.redirect``) so that
nothing of these pages runs on the hot path.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from comarketing.core.auth import Permission, can, staff_required
from comarketing.core.forms import commit_or_show
from comarketing.core.paging import paginate
from comarketing.extensions import db
from comarketing.leads.link_stats import link_stats
from comarketing.links import queries, services
from comarketing.links.charts import chart_css, clicks_chart_svg
from comarketing.links.forms import LinkFilterForm, LinkForm, PeriodForm
from comarketing.links.models import TrackedLink
from comarketing.links.qr import qr_download, qr_url
from comarketing.links.urls import short_url

bp = Blueprint("links", __name__, url_prefix="/links")
PAGE_SIZE = 50


def _choices(rows: list[tuple[int, str]], everything: str) -> list[SelectChoice]:
    return [SelectChoice("", everything)] + [SelectChoice(str(i), name) for i, name in rows]


@bp.get("")
@staff_required()
def index() -> str:
    form = LinkFilterForm(request.args)
    valid = form.validate()
    form.partner_id.choices = _choices(queries.partner_choices(), _("All partners"))
    form.campaign_id.choices = _choices(queries.campaign_choices(), _("All campaigns"))
    form.webinar_id.choices = _choices(queries.webinar_choices(), _("All webinars"))
    stmt = queries.links_query(
        current_user,
        partner_id=form.partner_id.data,
        campaign_id=form.campaign_id.data,
        webinar_id=form.webinar_id.data,
        search=form.q.data if valid else None,
    )
    pagination = paginate(queries.newest_first(stmt), PAGE_SIZE)
    rows = queries.link_rows(pagination.items)
    counts = queries.click_counts([row.TrackedLink.id for row in rows])
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template(
        "links/index.html",
        form=form,
        rows=rows,
        counts=counts,
        pagination=pagination,
        page_args=args,
        can_issue=can(current_user, Permission.PLAN),
    )


@bp.route("/new", methods=["GET", "POST"])
@staff_required(Permission.PLAN)
def new() -> str | Response | tuple[str, int]:
    form = LinkForm(formdata=request.form if request.method == "POST" else request.args)
    form.partner_id.choices = _choices(queries.partner_choices(), _("Choose a partner"))
    form.campaign_id.choices = _choices(queries.campaign_choices(), _("No campaign"))
    form.webinar_id.choices = _choices(queries.webinar_choices(), _("No webinar"))
    if request.method == "GET":
        return render_template("links/new.html", form=form)
    outcome = commit_or_show(
        form,
        lambda: services.issue_link_by_ids(
            partner_id=form.partner_id.data,
            campaign_id=form.campaign_id.data,
            webinar_id=form.webinar_id.data,
            destination_url=form.destination_url.data,
            utm_medium=form.utm_medium.data or None,
            utm_content=form.utm_content.data or None,
            utm_term=form.utm_term.data or None,
            label=form.label.data or "",
            created_by_id=current_user.id,
        ),
        _("Link issued."),
        valid=form.validate(),
    )
    if outcome.done:
        return redirect(url_for("links.detail", link_id=outcome.result.id))
    return render_template("links/new.html", form=form), 422


@bp.get("/<int(max=2147483647):link_id>")
@staff_required()
def detail(link_id: int) -> tuple[str, int]:
    row = queries.link_row(current_user, link_id)
    if row is None:
        abort(404)
    link: TrackedLink = row.TrackedLink
    period = PeriodForm(request.args)
    valid = period.validate()
    start, end = (period.start.data, period.end.data) if valid else (None, None)
    stats = link_stats(link.id, start, end)
    return render_template(
        "links/detail.html",
        row=row,
        link=link,
        period=period,
        stats=stats,
        chart=clicks_chart_svg(stats.by_day) if stats.by_day else None,
        short_url=short_url(link.code),
        qr_url=qr_url(short_url(link.code)),
    ), 200 if valid else 422


@bp.get("/<int(max=2147483647):link_id>/qr.<any(svg, png):kind>")
@staff_required()
def qr(link_id: int, kind: str) -> Response:
    """The link's QR code as a file to download (``?inline=1`` to show it in the page)."""
    link = db.get_or_404(TrackedLink, link_id)
    inline = request.args.get("inline") == "1"
    return qr_download(short_url(link.code), link.code, kind, inline=inline)


@bp.get("/chart.css")
def chart_stylesheet() -> Response:
    """The stylesheet of the clicks charts (pygal's, moved out of the inline SVG)."""
    response = Response(chart_css(), mimetype="text/css")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
