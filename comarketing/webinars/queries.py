"""Read queries over webinars."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select

from comarketing.core.auth import scope_to_partner, scope_to_partner_via
from comarketing.core.db import AnySelect
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.users.models import User
from comarketing.webinars.models import Registration, Webinar, WebinarHost, WebinarStatus


def upcoming_webinars(*, limit: int = 10, partner_id: int | None = None) -> AnySelect:
    """Scheduled webinars that have not started yet, soonest first (optionally one
    partner's co-hosted ones)."""
    stmt = (
        select(Webinar)
        .where(Webinar.starts_at >= utcnow(), Webinar.status == WebinarStatus.SCHEDULED)
        .order_by(Webinar.starts_at)
        .limit(limit)
    )
    if partner_id is not None:
        stmt = stmt.join(WebinarHost).where(WebinarHost.partner_id == partner_id)
    return stmt


def webinars_query(
    user: User,
    *,
    partner_id: int | None = None,
    campaign_id: int | None = None,
    starts_from: datetime | None = None,
    starts_before: datetime | None = None,
) -> AnySelect:
    """Webinars the user may see (a partner: those it co-hosts), filtered by start (UTC)."""
    stmt = scope_to_partner_via(
        select(Webinar), Webinar.id, WebinarHost.webinar_id, WebinarHost.partner_id, user
    )
    if partner_id is not None:
        hosts = select(WebinarHost.webinar_id).where(WebinarHost.partner_id == partner_id)
        stmt = stmt.where(Webinar.id.in_(hosts))
    if campaign_id is not None:
        stmt = stmt.where(Webinar.campaign_id == campaign_id)
    if starts_from is not None:
        stmt = stmt.where(Webinar.starts_at >= starts_from)
    if starts_before is not None:
        stmt = stmt.where(Webinar.starts_at < starts_before)
    return stmt


def webinars_by_time(
    user: User, *, past: bool, now: datetime | None = None, limit: int | None = None
) -> list[Webinar]:
    """The webinars ``user`` may see that are still to start, soonest first, or that have
    started (``past``), latest first; at most ``limit`` of them."""
    now = now or utcnow()
    stmt = webinars_query(user)
    stmt = (
        stmt.where(Webinar.starts_at < now).order_by(Webinar.starts_at.desc())
        if past
        else stmt.where(Webinar.starts_at >= now).order_by(Webinar.starts_at)
    )
    return list(db.session.scalars(stmt if limit is None else stmt.limit(limit)))


def registration_counts(user: User, webinar_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """``{webinar_id: (registered, attended)}`` in one GROUP BY: every registration for staff;
    for a partner user only those its partner brought (``Registration.partner_id``: its link
    or its ``utm_source``), so a co-host never learns what another co-host brought."""
    if not webinar_ids:
        return {}
    stmt = scope_to_partner(
        select(
            Registration.webinar_id,
            func.count(Registration.id),
            func.count(Registration.id).filter(Registration.attended.is_(True)),
        )
        .where(Registration.webinar_id.in_(webinar_ids))
        .group_by(Registration.webinar_id),
        Registration.partner_id,
        user,
    )
    rows = db.session.execute(stmt)
    return {webinar_id: (registered, attended) for webinar_id, registered, attended in rows}
