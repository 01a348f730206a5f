"""Portal reads of joint webinars: the partner's own links to them and the registrations that
came through this partner (``Registration.partner_id``: its link or its ``utm_source``).

Counts are grouped in SQL and always filtered to the current partner: a co-host never sees
how many people another co-host brought, nor who they are."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from flask_login import current_user
from sqlalchemy import func, select

from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.links.models import TrackedLink
from comarketing.portal.access import own
from comarketing.webinars.models import Registration, Webinar
from comarketing.webinars.queries import webinars_query

MAX_PAST = 100  # two or three webinars a month: years of them


def cohosted_webinars(*, past: bool, now: datetime | None = None) -> list[Webinar]:
    """The webinars the current partner co-hosts: upcoming soonest first, or the most recent
    ``MAX_PAST`` past ones, latest first."""
    now = now or utcnow()
    stmt = webinars_query(current_user)
    stmt = (
        stmt.where(Webinar.starts_at < now).order_by(Webinar.starts_at.desc()).limit(MAX_PAST)
        if past
        else stmt.where(Webinar.starts_at >= now).order_by(Webinar.starts_at)
    )
    return list(db.session.scalars(stmt))


def own_links_by_webinar(webinar_ids: Sequence[int]) -> dict[int, list[TrackedLink]]:
    """The current partner's links to each of the webinars (one query)."""
    if not webinar_ids:
        return {}
    stmt = own(
        select(TrackedLink)
        .where(TrackedLink.webinar_id.in_(webinar_ids))
        .order_by(TrackedLink.created_at, TrackedLink.id),
        TrackedLink.partner_id,
    )
    found: dict[int, list[TrackedLink]] = defaultdict(list)
    for link in db.session.scalars(stmt):
        assert link.webinar_id is not None
        found[link.webinar_id].append(link)
    return found


def own_registration_counts(webinar_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """``{webinar_id: (registered, attended)}`` of the registrations this partner brought."""
    if not webinar_ids:
        return {}
    stmt = own(
        select(
            Registration.webinar_id,
            func.count(Registration.id),
            func.count(Registration.id).filter(Registration.attended.is_(True)),
        )
        .where(Registration.webinar_id.in_(webinar_ids))
        .group_by(Registration.webinar_id),
        Registration.partner_id,
    )
    return {row[0]: (row[1], row[2]) for row in db.session.execute(stmt)}
