"""``/calls`` (staff): the tracking numbers — the dynamic pool with how often an exhausted pool
had to reuse a held number (marketers add numbers then), the partners' static numbers — and
the recent calls with what each was credited to."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import select

from comarketing.calls.models import Call, CallNumber, NumberKind
from comarketing.calls.queries import calls_query, numbers_query, pool_figures
from comarketing.campaigns.models import Campaign
from comarketing.core.auth import staff_required
from comarketing.core.paging import paginate
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.partners.models import Partner
from comarketing.webinars.models import Webinar

bp = Blueprint("calls", __name__, url_prefix="/calls")

PER_PAGE = 50


@bp.get("")
@staff_required()
def index() -> str:
    numbers = db.session.scalars(
        numbers_query(current_user).order_by(CallNumber.kind, CallNumber.number)
    ).all()
    page = paginate(
        calls_query(current_user).order_by(Call.started_at.desc(), Call.id.desc()), PER_PAGE
    )
    return render_template(
        "calls/index.html",
        pool=[n for n in numbers if n.kind is NumberKind.POOL],
        static=[n for n in numbers if n.kind is NumberKind.STATIC],
        figures=pool_figures(utcnow()),
        now=utcnow(),
        calls=page,
        partners=dict(db.session.execute(select(Partner.id, Partner.name)).all()),
        campaigns=dict(db.session.execute(select(Campaign.id, Campaign.name)).all()),
        webinars=dict(db.session.execute(select(Webinar.id, Webinar.title)).all()),
    )
