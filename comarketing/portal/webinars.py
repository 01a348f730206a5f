"""``/portal/webinars``: the joint webinars the partner co-hosts, upcoming first, each with the
partner's own registration links and the registrations and attendance it brought (never
another co-host's), the webinar's ``.ics`` file, and the partner's calendar feed on top."""

from __future__ import annotations

from flask import render_template, url_for

from comarketing.core.time import utcnow
from comarketing.core.urls import public_url
from comarketing.links.urls import short_url
from comarketing.portal.access import partner
from comarketing.portal.blueprint import bp
from comarketing.portal.queries_webinars import (
    MAX_PAST,
    cohosted_webinars,
    own_links_by_webinar,
    own_registration_counts,
)
from comarketing.webinars.services.webinars import ics_url


@bp.get("/webinars")
def webinars() -> str:
    now = utcnow()
    upcoming = cohosted_webinars(past=False, now=now)
    past = cohosted_webinars(past=True, now=now)
    ids = [webinar.id for webinar in upcoming + past]
    links = own_links_by_webinar(ids)
    feed_url = public_url(url_for("webinars_public.partner_feed", token=partner().feed_token))
    return render_template(
        "portal/webinars.html",
        upcoming=upcoming,
        past=past,
        max_past=MAX_PAST,
        links=links,
        short_urls={link.id: short_url(link.code) for found in links.values() for link in found},
        counts=own_registration_counts(ids),
        ics_urls={webinar.id: ics_url(webinar) for webinar in upcoming + past},
        feed_url=feed_url,
        webcal_url="webcal://" + feed_url.split("://", 1)[1],
    )
