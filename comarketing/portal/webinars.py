"""``/portal/webinars``: the joint webinars the partner co-hosts, upcoming first, each with the
partner's own registration links and the registrations and attendance it brought (never
another co-host's), the webinar's ``.ics`` file, and the partner's calendar feed on top.

The reads are the domains', scoped to the partner (the staff list's too)."""

from __future__ import annotations

from flask import render_template, url_for
from flask_login import current_user

from comarketing.core.time import utcnow
from comarketing.core.urls import public_url
from comarketing.links.queries import links_by_webinar
from comarketing.links.urls import short_url
from comarketing.portal.access import partner
from comarketing.portal.blueprint import bp
from comarketing.webinars.queries import registration_counts, webinars_by_time
from comarketing.webinars.services.webinars import ics_url

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
