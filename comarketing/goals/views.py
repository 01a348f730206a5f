"""``/goals``: the program's KPI targets, each with its chart, its months and its status;
managers set targets and switch them off here."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from comarketing.core import charts as core_charts
from comarketing.core.auth import Permission, staff_required
from comarketing.core.forms import commit_or_show
from comarketing.core.time import local_month, utcnow
from comarketing.extensions import db
from comarketing.goals import services
from comarketing.goals.charts import CHART_IDS, target_chart
from comarketing.goals.forms import TargetForm, TargetSwitchForm
from comarketing.goals.labels import (
    METRIC_LABELS,
    STATUS_BADGES,
    STATUS_LABELS,
    scope_text,
    target_title,
)
from comarketing.goals.models import KpiTarget
from comarketing.goals.months import add_months
from comarketing.goals.progress import target_progress
from comarketing.goals.queries import targets_query
from comarketing.partners.segments import segment_label

bp = Blueprint("goals", __name__, url_prefix="/goals")
Page = str | tuple[str, int]


def _this_month() -> date:
    return date(*local_month(utcnow(), current_app.config["BABEL_DEFAULT_TIMEZONE"]), 1)


def _new_form(*, submitted: bool) -> TargetForm:
    """The form to set a target; an empty one suggests ×2.5 leads in 18 months from this
    month, against the three months before it."""
    form = TargetForm() if submitted else TargetForm(formdata=None)
    form.segment.choices = [SelectChoice("", _("The whole program"))] + [
        SelectChoice(code, segment_label(code)) for code in services.known_segments()
    ]
    if not submitted:
        this_month = _this_month()
        form.metric.data = "leads"
        form.multiple.data = 2.5
        form.horizon_months.data = 18
        form.starts_on.data = this_month
        form.baseline_from.data = add_months(this_month, -3)
        form.baseline_to.data = add_months(this_month, -1)
    return form


def _page(form: TargetForm, status: int = 200) -> Page:
    targets = db.session.scalars(
        targets_query(current_user).order_by(KpiTarget.active.desc(), KpiTarget.id)
    ).all()
    shown: list[dict[str, Any]] = []
    for target in targets:
        item: dict[str, Any] = {"target": target, "title": target_title(target)}
        if target.active:
            progress = target_progress(target)
            item |= {"progress": progress, "chart": target_chart(progress)}
        shown.append(item)
    html = render_template(
        "goals/index.html",
        targets=shown,
        form=form,
        switch_form=TargetSwitchForm(formdata=None),
        metric_labels=METRIC_LABELS,
        status_labels=STATUS_LABELS,
        status_badges=STATUS_BADGES,
        scope_text=scope_text,
        chart_ids=CHART_IDS,
    )
    return html if status == 200 else (html, status)


@bp.get("")
@staff_required()
def index() -> Page:
    return _page(_new_form(submitted=False))


@bp.post("")
@staff_required(Permission.DECIDE)
def create() -> Page | Response:
    form = _new_form(submitted=True)
    outcome = commit_or_show(
        form,
        lambda: services.create_target(
            name=form.name.data or "",
            metric=form.metric.data,
            segment=form.segment.data or None,
            baseline_from=form.baseline_from.data,
            baseline_to=add_months(form.baseline_to.data, 1) - timedelta(days=1),
            multiple=form.multiple.data,
            horizon_months=form.horizon_months.data,
            starts_on=form.starts_on.data,
            created_by_id=current_user.id,
        ),
        lambda target: _("Target «%(title)s» set.", title=target_title(target)),
    )
    if outcome.done:
        return redirect(url_for(".index", _anchor=f"target-{outcome.result.id}"))
    return _page(form, outcome.status)


@bp.post("/<int:target_id>/active")
@staff_required(Permission.DECIDE)
def switch(target_id: int) -> Response:
    """Switch a target off (it leaves the dashboard and keeps its history) or on again."""
    if not TargetSwitchForm().validate_on_submit():
        abort(400)
    target = db.get_or_404(KpiTarget, target_id)
    services.set_target_active(target, not target.active)
    db.session.commit()
    if target.active:
        flash(_("«%(title)s» is followed again.", title=target_title(target)), "success")
    else:
        flash(_("«%(title)s» is switched off.", title=target_title(target)), "info")
    return redirect(url_for(".index", _anchor=f"target-{target.id}"))


@bp.get("/charts/<chart_id>.css")
def chart_stylesheet(chart_id: str) -> Response:
    """The stylesheet of the targets' charts (pygal's, moved out of the inline SVG)."""
    if chart_id not in CHART_IDS:
        abort(404)
    return core_charts.stylesheet(chart_id)
