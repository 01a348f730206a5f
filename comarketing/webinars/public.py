"""Public pages of a webinar: the registration form, its confirmation, the ``.ics`` file and
the subscribable calendar feeds (behind secret tokens)."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from comarketing.core.errors import Conflict
from comarketing.core.time import utcnow
from comarketing.extensions import db, limiter
from comarketing.leads.services.registrations import register
from comarketing.partners.models import Partner
from comarketing.webinars.calendar_data import calendar_event, feed_ics, webinar_ics
from comarketing.webinars.consents import (
    cohosts,
    consents_of,
    registration_of_token,
    withdraw,
    wording,
)
from comarketing.webinars.forms import UTM_NAMES, RegistrationForm, WithdrawConsentForm
from comarketing.webinars.ical import google_calendar_url, outlook_calendar_url
from comarketing.webinars.models import Webinar, WebinarHost, WebinarStatus
from comarketing.webinars.services.webinars import has_ended

bp = Blueprint("webinars_public", __name__)

FEED_PAST_DAYS = 30  # feeds keep recent webinars so calendars don't drop them at once


def all_webinars_feed_token() -> str:
    """The secret in the URL of the all-webinars feed, derived from SECRET_KEY."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, b"comarketing.calendar-feed", hashlib.sha256).hexdigest()[:32]


def _webinar(slug: str) -> Webinar:
    webinar = db.session.scalar(select(Webinar).where(Webinar.slug == slug))
    if webinar is None:
        abort(404)
    return webinar


def _ics(body: bytes, filename: str) -> Response:
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/w/<slug>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REGISTRATION_RATE_LIMIT"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["REGISTRATION_WEBINAR_LIMIT"],
    key_func=lambda: f"webinar:{request.view_args.get('slug') if request.view_args else ''}",
    methods=["POST"],
)
def register_page(slug: str) -> str | BaseResponse | tuple[str, int]:
    webinar = _webinar(slug)
    form = RegistrationForm()
    partners = cohosts(webinar)
    # One unchecked box per co-host; anything else posted in ``share_with`` is not a box.
    chosen = set(request.form.getlist("share_with")) if request.method == "POST" else set()
    share_with = [p.id for p in partners if str(p.id) in chosen]
    boxes = [(p.id, wording(p.name), p.id in share_with) for p in partners]
    if request.method == "GET":
        for name in (*UTM_NAMES, "cmclid"):
            getattr(form, name).data = request.args.get(name, "")[:200]
    closed = webinar.status is WebinarStatus.CANCELLED or has_ended(webinar, utcnow())
    if closed:
        return render_template(
            "webinars/public/register.html", webinar=webinar, form=form, closed=True, boxes=boxes
        ), 410 if request.method == "POST" else 200
    if form.validate_on_submit():
        if form.website.data:  # the trap: answer as if registered, write nothing
            return redirect(url_for(".registered", slug=webinar.slug))
        try:
            register(
                webinar,
                email=form.email.data,
                name=form.name.data,
                company=form.company.data or "",
                phone=form.phone.data or None,
                cmclid=form.cmclid.data or None,
                utm={n.removeprefix("utm_"): getattr(form, n).data or None for n in UTM_NAMES},
                consent=bool(form.consent.data),
                locale=str(get_locale()),
                share_with=share_with,
            )
        except Conflict:
            db.session.rollback()
            return render_template(
                "webinars/public/register.html", webinar=webinar, form=form, full=True, boxes=boxes
            ), 409
        db.session.commit()
        return redirect(url_for(".registered", slug=webinar.slug))
    return render_template("webinars/public/register.html", webinar=webinar, form=form, boxes=boxes)


@bp.route("/w/consent/<token>", methods=["GET", "POST"])
def withdraw_consent(token: str) -> str:
    """The link in every e-mail to a registrant: a GET only asks (mail scanners follow links),
    the page's POST (CSRF-protected) withdraws every consent of the registration at once."""
    registration = registration_of_token(token)
    if registration is None:
        abort(404)
    webinar = db.session.get(Webinar, registration.webinar_id)
    form = WithdrawConsentForm()
    done = False
    if form.validate_on_submit():
        withdraw([registration.id])
        db.session.commit()
        done = True
    consents = consents_of([registration.id]).get(registration.id, [])
    standing = [
        partner.name
        for c in consents
        if c.withdrawn_at is None and (partner := db.session.get(Partner, c.partner_id))
    ]
    return render_template(
        "webinars/public/consent.html",
        webinar=webinar,
        form=form,
        standing=standing,
        done=done,
    )


@bp.get("/w/<slug>/registered")
def registered(slug: str) -> str:
    webinar = _webinar(slug)
    event = calendar_event(webinar)
    return render_template(
        "webinars/public/registered.html",
        webinar=webinar,
        google_url=google_calendar_url(event),
        outlook_url=outlook_calendar_url(event),
    )


@bp.get("/w/<slug>.ics")
def ics(slug: str) -> Response:
    webinar = _webinar(slug)
    return _ics(webinar_ics(webinar, stamp=utcnow()), f"{webinar.slug}.ics")


@bp.get("/calendar/feed/<token>.ics")
def all_webinars_feed(token: str) -> Response:
    if not hmac.compare_digest(token, all_webinars_feed_token()):
        abort(404)
    webinars = db.session.scalars(
        select(Webinar)
        .where(Webinar.starts_at >= utcnow() - timedelta(days=FEED_PAST_DAYS))
        .order_by(Webinar.starts_at)
    ).all()
    return _ics(feed_ics(webinars, stamp=utcnow(), name=_("Joint webinars")), "webinars.ics")


@bp.get("/calendar/partner/<token>.ics")
def partner_feed(token: str) -> Response:
    partner = db.session.scalar(select(Partner).where(Partner.feed_token == token))
    if partner is None or not hmac.compare_digest(token, partner.feed_token):
        abort(404)
    webinars = db.session.scalars(
        select(Webinar)
        .join(WebinarHost)
        .where(
            WebinarHost.partner_id == partner.id,
            Webinar.starts_at >= utcnow() - timedelta(days=FEED_PAST_DAYS),
        )
        .order_by(Webinar.starts_at)
    ).all()
    name = _("Joint webinars: %(partner)s", partner=partner.name)
    return _ics(feed_ics(webinars, stamp=utcnow(), name=name), f"{partner.slug}.ics")
