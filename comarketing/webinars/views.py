"""``/webinars`` and ``/calendar``: plan joint webinars, see registrations, import attendance."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import get_day_names
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from comarketing.campaigns.queries import campaign_choices
from comarketing.core.auth import Permission, staff_required
from comarketing.core.csv_import import CsvImportError
from comarketing.core.errors import ValidationFailed
from comarketing.core.forms import commit_or_show
from comarketing.core.time import month_bounds, shift_month, utcnow
from comarketing.extensions import db
from comarketing.leads.services.registrations import record_attendance
from comarketing.links.models import TrackedLink
from comarketing.partners.queries import partner_choices
from comarketing.spend.forms import SpendForm
from comarketing.spend.queries import spend_query, spend_total
from comarketing.spend.services import record_spend
from comarketing.webinars.calendar_grid import month_grid
from comarketing.webinars.forms import AttendanceUploadForm, WebinarForm
from comarketing.webinars.models import Registration, Webinar
from comarketing.webinars.public import all_webinars_feed_token
from comarketing.webinars.queries import registration_counts, webinars_by_time, webinars_query
from comarketing.webinars.rhythm import month_rhythm
from comarketing.webinars.services import webinars as services
from comarketing.webinars.services.attendance_csv import parse_attendance

bp = Blueprint("webinars", __name__)
LISTED = 200  # webinars on the list: years of them at two or three a month


def _webinar(webinar_id: int) -> Webinar:
    webinar = db.session.scalar(webinars_query(current_user).where(Webinar.id == webinar_id))
    if webinar is None:
        abort(404)
    return webinar


def _prepare(form: WebinarForm) -> None:
    form.partner_ids.choices = partner_choices()
    form.campaign_id.choices = campaign_choices()


def _values(form: WebinarForm) -> dict[str, Any]:
    """The form's data for the services; an unknown zone is refused on its field (the start
    is read in that zone, so it is checked before the service runs)."""
    if not services.is_timezone(form.timezone.data):
        message = _("Unknown time zone; use an IANA name like Europe/Moscow.")
        raise ValidationFailed(message, fields={"timezone": [message]})
    local: datetime = form.starts_at.data
    return {
        "title": form.title.data,
        "starts_at": local.replace(tzinfo=ZoneInfo(form.timezone.data)),
        "duration_minutes": form.duration_minutes.data,
        "timezone": form.timezone.data,
        "partner_ids": list(form.partner_ids.data or []),
        "campaign_id": form.campaign_id.data or None,
        "description": form.description.data or "",
        "capacity": form.capacity.data,
        "join_url": form.join_url.data or None,
        "recording_url": form.recording_url.data or None,
        "platform": form.platform.data or None,
        "platform_event_id": form.platform_event_id.data or None,
    }


@bp.get("/webinars")
@staff_required()
def index() -> str:
    past = request.args.get("when") == "past"
    webinars = webinars_by_time(current_user, past=past, limit=LISTED)
    return render_template(
        "webinars/index.html",
        webinars=webinars,
        past=past,
        counts=registration_counts(current_user, [w.id for w in webinars]),
    )


@bp.route("/webinars/new", methods=["GET", "POST"])
@staff_required(Permission.PLAN)
def new() -> str | Response:
    form = WebinarForm()
    _prepare(form)
    if form.validate_on_submit():
        webinar = commit_or_show(
            form,
            lambda: services.create_webinar(**_values(form), created_by_id=current_user.id),
            _("Webinar «%(title)s» scheduled.", title=form.title.data),
            valid=True,
        )
        if webinar.done:
            return redirect(url_for(".detail", webinar_id=webinar.result.id))
    return render_template("webinars/form.html", form=form, webinar=None)


@bp.route("/webinars/<int:webinar_id>/edit", methods=["GET", "POST"])
@staff_required(Permission.PLAN)
def edit(webinar_id: int) -> str | Response:
    webinar = _webinar(webinar_id)
    form = WebinarForm(obj=webinar)
    _prepare(form)
    if request.method == "GET":
        zone = ZoneInfo(webinar.timezone)
        form.starts_at.data = webinar.starts_at.astimezone(zone).replace(tzinfo=None)
        form.partner_ids.data = [host.partner_id for host in webinar.hosts]
        form.campaign_id.data = webinar.campaign_id or 0
    if commit_or_show(
        form, lambda: services.update_webinar(webinar, _values(form)), _("Webinar saved.")
    ).done:
        return redirect(url_for(".detail", webinar_id=webinar.id))
    return render_template("webinars/form.html", form=form, webinar=webinar)


@bp.get("/webinars/<int:webinar_id>")
@staff_required()
def detail(webinar_id: int) -> str:
    webinar = _webinar(webinar_id)
    return _detail_page(webinar, AttendanceUploadForm(), spend_form=_spend_form(webinar))


def _spend_form(webinar: Webinar) -> SpendForm:
    form = SpendForm()
    form.partner_id.choices = [SelectChoice(0, _("— the vendor's own —"))] + [
        SelectChoice(host.partner_id, host.partner.name) for host in webinar.hosts
    ]
    return form


@bp.post("/webinars/<int:webinar_id>/spend")
@staff_required(Permission.PLAN)
def add_spend(webinar_id: int) -> str | Response:
    webinar = _webinar(webinar_id)
    form = _spend_form(webinar)
    if commit_or_show(
        form,
        lambda: record_spend(**form.values(), webinar_id=webinar.id, created_by_id=current_user.id),
        _("Spend recorded."),
    ).done:
        return redirect(url_for(".detail", webinar_id=webinar.id))
    return _detail_page(webinar, AttendanceUploadForm(), spend_form=form)


def _detail_page(
    webinar: Webinar,
    form: AttendanceUploadForm,
    errors: Any = None,
    spend_form: SpendForm | None = None,
) -> str:
    registrations = db.session.scalars(
        select(Registration)
        .where(Registration.webinar_id == webinar.id)
        .order_by(Registration.registered_at)
    ).all()
    links = db.session.scalars(
        select(TrackedLink).where(TrackedLink.webinar_id == webinar.id).order_by(TrackedLink.id)
    ).all()
    partner_names = {link.partner_id: link.partner.name for link in links}
    return render_template(
        "webinars/detail.html",
        webinar=webinar,
        registrations=registrations,
        links=links,
        partner_names=partner_names,
        form=form,
        errors=errors,
        registration_url=services.registration_url(webinar),
        ics_url=services.ics_url(webinar),
        attended=sum(1 for r in registrations if r.attended),
        spend_form=spend_form or _spend_form(webinar),
        spend=db.session.scalars(spend_query(current_user, webinar_id=webinar.id)).all(),
        spent=spend_total(webinar_id=webinar.id),
    )


@bp.post("/webinars/<int:webinar_id>/attendance")
@staff_required(Permission.PLAN)
def attendance(webinar_id: int) -> str | Response:
    webinar = _webinar(webinar_id)
    form = AttendanceUploadForm()
    if form.validate_on_submit():
        try:
            entries = parse_attendance(form.file.data.read())
        except CsvImportError as error:
            return _detail_page(webinar, form, error.errors)
        report = record_attendance(webinar, entries)
        db.session.commit()
        flash(
            _(
                "Attendance imported: %(attended)s attended, %(no_show)s no-shows, "
                "%(unknown)s not registered.",
                attended=report.attended,
                no_show=report.no_show,
                unknown=len(report.unknown),
            ),
            "success",
        )
        return redirect(url_for(".detail", webinar_id=webinar.id))
    return _detail_page(webinar, form)


@bp.get("/calendar")
@staff_required()
def calendar() -> str:
    zone = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    today = utcnow().astimezone(ZoneInfo(zone)).date()
    try:
        year, month = (int(part) for part in request.args.get("month", "").split("-"))
        date(year, month, 1)
    except ValueError:
        year, month = today.year, today.month
    first, after = month_bounds(year, month, zone)
    webinars = db.session.scalars(
        webinars_query(current_user, starts_from=first, starts_before=after).order_by(
            Webinar.starts_at
        )
    ).all()
    window_start, _end = month_bounds(*shift_month(year, month, -5), zone)
    _start, window_end = month_bounds(*shift_month(year, month, 3), zone)
    # A few dozen start times: counted by their local month here, where the zone is known.
    starts = db.session.scalars(
        webinars_query(
            current_user, starts_from=window_start, starts_before=window_end
        ).with_only_columns(Webinar.starts_at)
    ).all()
    per_month = Counter(s.astimezone(ZoneInfo(zone)).strftime("%Y-%m") for s in starts)
    months = [shift_month(year, month, delta) for delta in range(-5, 4)]
    low, high = current_app.config["WEBINARS_PER_MONTH_TARGET"]
    return render_template(
        "webinars/calendar.html",
        weeks=month_grid(year, month, [(w.starts_at, w) for w in webinars], zone),
        year=year,
        month=month,
        today=today,
        count=len(webinars),
        low=low,
        high=high,
        weekday_names=[get_day_names("abbreviated", locale=str(get_locale()))[d] for d in range(7)],
        previous=shift_month(year, month, -1),
        following=shift_month(year, month, 1),
        months=[(y, m, per_month.get(f"{y:04d}-{m:02d}", 0)) for y, m in months],
        rhythm=month_rhythm(year, month),
        feed_url=url_for(
            "webinars_public.all_webinars_feed", token=all_webinars_feed_token(), _external=True
        ),
    )
