"""``/portal/webinars``: the joint webinars the partner co-hosts, upcoming first, each with the
partner's own registration links and the registrations and attendance it brought (never
another co-host's), the webinar's ``.ics`` file, and the partner's calendar feed on top. Each
webinar's registrants page lists (and downloads as CSV) the people who agreed to share their
contact with the partner, and sends the partner's follow-ups to them after the webinar.

The reads are the domains', scoped to the partner (the staff list's too)."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as BaseResponse
from wtforms import SubmitField

from comarketing.core.csv_export import csv_response
from comarketing.core.forms import commit_or_show
from comarketing.core.time import utcnow
from comarketing.core.urls import public_url
from comarketing.extensions import db
from comarketing.links.queries import links_by_webinar
from comarketing.links.urls import short_url
from comarketing.portal.access import partner
from comarketing.portal.blueprint import bp
from comarketing.webinars.consent_followups import (
    FollowUpLink,
    audience_query,
    send_follow_up,
    sent_follow_ups,
)
from comarketing.webinars.consent_models import FollowUpAudience
from comarketing.webinars.consents import registrants
from comarketing.webinars.models import Webinar
from comarketing.webinars.queries import registration_counts, webinars_by_time, webinars_query
from comarketing.webinars.services.webinars import has_ended, ics_url

MAX_PAST = 100  # two or three webinars a month: years of them


@bp.get("/webinars")
def webinars() -> str:
    now = utcnow()
    upcoming = webinars_by_time(current_user, past=False, now=now)
    past = webinars_by_time(current_user, past=True, now=now, limit=MAX_PAST)
    ids = [webinar.id for webinar in upcoming + past]
    links = links_by_webinar(current_user, ids)
    feed_url = public_url(url_for("webinars_public.partner_feed", token=partner().feed_token))
    return render_template(
        "portal/webinars.html",
        upcoming=upcoming,
        past=past,
        max_past=MAX_PAST,
        links=links,
        short_urls={link.id: short_url(link.code) for found in links.values() for link in found},
        counts=registration_counts(current_user, ids),
        ics_urls={webinar.id: ics_url(webinar) for webinar in upcoming + past},
        feed_url=feed_url,
        webcal_url="webcal://" + feed_url.split("://", 1)[1],
    )


MAX_ID = 2147483647
REGISTRANT_COLUMNS = ("email", "name", "company", "phone", "registered_at", "attended", "minutes")


class FollowUpForm(FlaskForm):
    """A follow-up's button (its audience is in the URL)."""

    submit = SubmitField(_l("Send"))


def _cohosted(webinar_id: int) -> Webinar:
    """A webinar the partner co-hosts; 404 for any other (nothing tells it exists)."""
    found = db.session.scalar(webinars_query(current_user).where(Webinar.id == webinar_id))
    if found is None:
        abort(404)
    return found


def _registrants_page(
    webinar: Webinar, status: int = 200, form: FollowUpForm | None = None
) -> tuple[str, int]:
    now = utcnow()
    rows = registrants(current_user, webinar.id)
    audiences = {
        audience: len(db.session.scalars(audience_query(webinar, partner().id, audience)).all())
        for audience in FollowUpAudience
    }
    return render_template(
        "portal/webinar_registrants.html",
        webinar=webinar,
        registrants=rows,
        ended=has_ended(webinar, now),
        sent=sent_follow_ups(webinar.id, partner().id),
        audiences=audiences,
        form=form or FollowUpForm(formdata=None),
    ), status


@bp.get(f"/webinars/<int(max={MAX_ID}):webinar_id>/registrants")
def webinar_registrants(webinar_id: int) -> tuple[str, int]:
    """The registrants of a co-hosted webinar who agreed to share their contact with the
    partner (and have not withdrawn), with attendance and minutes."""
    return _registrants_page(_cohosted(webinar_id))


@bp.get(f"/webinars/<int(max={MAX_ID}):webinar_id>/registrants.csv")
def webinar_registrants_csv(webinar_id: int) -> Response:
    webinar = _cohosted(webinar_id)
    rows = [
        (r.email, r.name, r.company, r.phone, r.registered_at, r.attended, r.attended_minutes)
        for r in registrants(current_user, webinar.id)
    ]
    return csv_response(REGISTRANT_COLUMNS, rows, f"{webinar.slug}-registrants.csv")


@bp.post(f"/webinars/<int(max={MAX_ID}):webinar_id>/follow-ups/<any(no_shows, attendees):audience>")
def send_webinar_follow_up(webinar_id: int, audience: str) -> BaseResponse | tuple[str, int]:
    """Send the partner's follow-up to one audience, with its own tracked link to the
    webinar; once (a second press changes nothing)."""
    webinar = _cohosted(webinar_id)
    form = FollowUpForm()
    own_links = [
        link
        for link in links_by_webinar(current_user, [webinar.id]).get(webinar.id, [])
        if link.partner_id == partner().id
    ]
    if not own_links:
        flash(_("You have no tracked link to this webinar: ask the vendor's marketer."), "danger")
        return _registrants_page(webinar, 409)
    link = own_links[0]
    outcome = commit_or_show(
        form,
        lambda: send_follow_up(
            webinar,
            partner().id,
            FollowUpAudience(audience),
            FollowUpLink(link.id, short_url(link.code)),
            sent_by_id=current_user.id,
        ),
        lambda result: (
            _("The follow-up is on its way.") if result[1] else _("This follow-up was sent before.")
        ),
    )
    if outcome.done:
        return redirect(url_for("portal.webinar_registrants", webinar_id=webinar.id))
    return _registrants_page(webinar, outcome.status, form)
