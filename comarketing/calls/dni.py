"""Dynamic number insertion (contract §10): a pool number is held for the click of a landing
page's visitor for ``DNI_HOLD_MINUTES`` after the last request, so a call to it in that time is
that click's (its partner, link and campaign). Services flush; callers commit.

A click keeps the number it holds while it asks again. A new click takes a free number, the
least recently used first; when every number is held, the least recently used one is handed
out anyway, *shared*: it is then held for nobody (calls to it are credited to no one) and the
pool counts the reuse, so marketers know to add numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import Select, or_, select

from comarketing.calls.models import CallNumber, NumberKind
from comarketing.campaigns.models import Campaign
from comarketing.extensions import db
from comarketing.links.clickid import click_id_key, decode_click_id
from comarketing.links.models import Click, TrackedLink


@dataclass(frozen=True)
class HeldNumber:
    number: str  # E.164
    held_until: datetime  # UTC
    shared: bool  # the pool was exhausted: calls to it are credited to nobody


def hold_minutes() -> timedelta:
    return timedelta(minutes=int(current_app.config["DNI_HOLD_MINUTES"]))


def click_of(cmclid: str) -> Click | None:
    """The click a ``cmclid`` names (signed: a forged one names none), if it still exists."""
    click_id = decode_click_id(cmclid, click_id_key(current_app.config["SECRET_KEY"]))
    return db.session.get(Click, click_id) if click_id is not None else None


def landing_origins(click: Click) -> set[str]:
    """Origins a landing page of this click may call from (CORS): its link's destination and
    its campaign's landing page."""
    link = db.session.get(TrackedLink, click.link_id)
    urls = [link.destination_url] if link else []
    if link is not None and link.campaign_id is not None:
        campaign = db.session.get(Campaign, link.campaign_id)
        if campaign is not None and campaign.landing_url:
            urls.append(campaign.landing_url)
    origins = set()
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.netloc:
            origins.add(f"{parts.scheme}://{parts.netloc}".lower())
    return origins


def _locked(stmt: Select[CallNumber]) -> Select[CallNumber]:
    """``FOR UPDATE SKIP LOCKED`` on PostgreSQL (two visitors never take one free number);
    SQLite serialises writers anyway."""
    if db.session.get_bind().dialect.name == "postgresql":
        return stmt.with_for_update(skip_locked=True)
    return stmt


def hold_number(click: Click, now: datetime) -> HeldNumber | None:
    """The pool number for ``click``: the one it holds (the hold renewed), else a free one,
    else the least recently used one, shared. None when the pool has no number at all."""
    until = now + hold_minutes()
    pool = select(CallNumber).where(CallNumber.kind == NumberKind.POOL, CallNumber.active.is_(True))
    held = db.session.scalar(
        _locked(
            pool.where(CallNumber.held_click_id == click.id, CallNumber.held_until >= now).limit(1)
        )
    )
    if held is not None:
        held.held_until = until
        held.last_assigned_at = now
        db.session.flush()
        return HeldNumber(held.number, until, shared=False)
    free = db.session.scalar(
        _locked(
            pool.where(or_(CallNumber.held_until.is_(None), CallNumber.held_until < now))
            .order_by(CallNumber.last_assigned_at.asc().nulls_first(), CallNumber.id)
            .limit(1)
        )
    )
    if free is not None:
        free.held_click_id, free.held_until, free.last_assigned_at = click.id, until, now
        db.session.flush()
        return HeldNumber(free.number, until, shared=False)
    oldest = db.session.scalar(  # LIMIT 1: lock one row, not the whole pool
        _locked(
            pool.order_by(CallNumber.last_assigned_at.asc().nulls_first(), CallNumber.id).limit(1)
        )
    )
    if oldest is None:
        return None
    oldest.held_click_id, oldest.held_until, oldest.last_assigned_at = None, until, now
    oldest.reused_count += 1
    db.session.flush()
    return HeldNumber(oldest.number, until, shared=True)
