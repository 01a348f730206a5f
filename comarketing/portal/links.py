"""``/portal/links``: the partner's own tracked links with their figures and QR codes, and a
form to issue itself a link to a campaign or webinar it takes part in.

Every read goes through the portal's access rule (``links_query(current_user)`` scopes to the
partner; ``own_or_404`` answers 404 for another partner's link), so a link id of another
partner shows nothing, not even that it exists.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from comarketing.core.forms import commit_or_show
from comarketing.core.paging import paginate
from comarketing.leads.link_stats import NO_FIGURES, RECENT_DAYS, link_figures, link_stats
from comarketing.links import queries, services
from comarketing.links.charts import clicks_chart_svg
from comarketing.links.forms import PeriodForm
from comarketing.links.models import TrackedLink
from comarketing.links.qr import qr_download, qr_url
from comarketing.links.targets import link_targets, same_link
from comarketing.links.urls import short_url
from comarketing.portal.access import own_or_404, partner
from comarketing.portal.blueprint import bp
from comarketing.portal.forms import PortalLinkForm

PAGE_SIZE = 25
MAX_ID = 2147483647


@bp.get("/links")
def links() -> str:
    return _links_page(PortalLinkForm(link_targets(current_user), formdata=None))


@bp.post("/links")
def create_link() -> Response | tuple[str, int]:
    """Issue a link through the links service (which checks the membership again); a refused
    form is shown again with 422 and nothing written."""
    form = PortalLinkForm(link_targets(current_user))
    if form.validate():
        target = form.chosen()
        existing = same_link(
            current_user, target, form.utm_content.data or None, form.utm_term.data or None
        )
        if existing is not None:
            flash(_("You already have this link."), "info")
            return redirect(url_for("portal.link", link_id=existing))
        outcome = commit_or_show(
            form,
            lambda: services.issue_link_by_ids(
                partner_id=partner().id,
                campaign_id=target.id if target.kind == "campaign" else None,
                webinar_id=target.id if target.kind == "webinar" else None,
                destination_url=target.landing,
                utm_content=form.utm_content.data or None,
                utm_term=form.utm_term.data or None,
                label=form.label.data or "",
                created_by_id=current_user.id,
            ),
            _("Link issued."),
            valid=True,
        )
        if outcome.done:
            return redirect(url_for("portal.link", link_id=outcome.result.id))
    return _links_page(form), 422


def _links_page(form: PortalLinkForm) -> str:
    pagination = paginate(queries.newest_first(queries.links_query(current_user)), PAGE_SIZE)
    rows = queries.link_rows(pagination.items)
    return render_template(
        "portal/links.html",
        rows=rows,
        figures=link_figures(current_user, [row.TrackedLink.id for row in rows]),
        no_figures=NO_FIGURES,
        recent_days=RECENT_DAYS,
        short_urls={row.TrackedLink.id: short_url(row.TrackedLink.code) for row in rows},
        pagination=pagination,
        form=form,
    )


@bp.get(f"/links/<int(max={MAX_ID}):link_id>")
def link(link_id: int) -> tuple[str, int]:
    row = queries.link_row(current_user, link_id)
    if row is None:
        abort(404)
    found: TrackedLink = row.TrackedLink
    period = PeriodForm(request.args)
    valid = period.validate()
    start, end = (period.start.data, period.end.data) if valid else (None, None)
    stats = link_stats(found.id, start, end)
    url = short_url(found.code)
    return render_template(
        "portal/link.html",
        row=row,
        link=found,
        period=period,
        stats=stats,
        chart=clicks_chart_svg(stats.by_day) if stats.by_day else None,
        short_url=url,
        qr_url=qr_url(url),
    ), 200 if valid else 422


@bp.get(f"/links/<int(max={MAX_ID}):link_id>/qr.<any(svg, png):kind>")
def link_qr(link_id: int, kind: str) -> Response:
    """The QR code of the partner's own link, to download (``?inline=1`` to show it)."""
    found = own_or_404(TrackedLink, link_id, TrackedLink.partner_id)
    inline = request.args.get("inline") == "1"
    return qr_download(short_url(found.code), found.code, kind, inline=inline)
