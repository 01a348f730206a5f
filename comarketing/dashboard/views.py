"""``/``: the staff dashboard; ``/healthz`` for load balancers."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, render_template
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from comarketing.core.auth import staff_required
from comarketing.core.outbox.backlog import backlog
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.goals.labels import STATUS_BORDERS, tile
from comarketing.goals.progress import target_progress
from comarketing.goals.queries import active_targets
from comarketing.leads.queries import leads_created_count
from comarketing.links.queries import clicks_count
from comarketing.reports.partners import partner_overview
from comarketing.webinars.queries import upcoming_webinars

bp = Blueprint("dashboard", __name__)


@bp.get("/")
@staff_required()
def index() -> str:
    since = utcnow() - timedelta(days=30)
    return render_template(
        "dashboard/index.html",
        partners=db.session.execute(partner_overview()).all(),
        webinars=db.session.execute(upcoming_webinars(limit=5)).scalars().all(),
        clicks_30d=clicks_count(since=since),
        leads_30d=leads_created_count(since=since),
        goal_tiles=[
            tile(target_progress(target)) for target in db.session.scalars(active_targets()).all()
        ],
        goal_borders=STATUS_BORDERS,
    )


@bp.get("/healthz")
def healthz() -> dict[str, str | int | None]:
    """200 while the database answers; the outbox backlog lets monitoring see a stalled
    worker (messages due and not sent, the oldest due this many seconds). Before the schema
    exists (``db upgrade`` not run yet) the backlog is unknown: null."""
    db.session.execute(text("SELECT 1"))
    try:
        waiting = backlog(count_dead=False)
    except SQLAlchemyError:
        db.session.rollback()
        return {"status": "ok", "outbox_due": None, "outbox_oldest_due_seconds": None}
    return {
        "status": "ok",
        "outbox_due": waiting.due,
        "outbox_oldest_due_seconds": waiting.oldest_due_seconds,
    }
