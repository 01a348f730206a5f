"""``/settings/integrations``: CRM destinations and the outbox — what waits, what died and
why, and a retry button — for managers and admins (``Permission.DECIDE``); ``…/events``: what
the CRMs sent back, the unmatched first, for all staff who read everything (marketers too);
``…/mail``: the e-mails the worker kept because no SMTP server is configured (development)."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from werkzeug.wrappers import Response

from comarketing.core.auth import Permission, staff_required
from comarketing.core.outbox import retry_dead
from comarketing.core.outbox.models import SentMail
from comarketing.core.paging import paginate
from comarketing.extensions import db
from comarketing.integrations import queries, services
from comarketing.integrations.forms import ActionForm
from comarketing.integrations.models import CrmDestination, EventState

bp = Blueprint("integrations", __name__, url_prefix="/settings/integrations")
EVENTS_PER_PAGE = 50
MAILS_PER_PAGE = 50


@bp.get("")
@staff_required(Permission.DECIDE)
def index() -> str:
    return render_template(
        "integrations/index.html",
        destinations=queries.destinations(),
        counts=queries.outbox_counts(),
        dead=queries.dead_messages(),
        inbound=queries.inbound(),
        form=ActionForm(),
        lead_pages="leads.detail" in current_app.view_functions,
    )


@bp.get("/events")
@staff_required(Permission.READ_ALL)
def events() -> str:
    """CRM events by state (default: unmatched — objects tied to no lead of ours)."""
    wanted = request.args.get("state", EventState.UNMATCHED.value)
    state = EventState(wanted) if wanted in set(EventState) else None
    return render_template(
        "integrations/events.html",
        events=paginate(queries.events_query(state), EVENTS_PER_PAGE),
        state=state.value if state else "",
        states=list(EventState),
        names=queries.destination_names(),
        lead_pages="leads.detail" in current_app.view_functions,
    )


@bp.get("/mail")
@staff_required(Permission.DECIDE)
def mail() -> str:
    """The newest kept e-mails first."""
    return render_template(
        "integrations/mail.html",
        mails=paginate(select(SentMail).order_by(SentMail.id.desc()), MAILS_PER_PAGE),
        smtp=bool(current_app.config.get("SMTP_URL")),
    )


def _checked_form() -> None:
    if not ActionForm().validate_on_submit():
        abort(400)


@bp.post("/outbox/<int:message_id>/retry")
@staff_required(Permission.DECIDE)
def retry(message_id: int) -> Response:
    _checked_form()
    if retry_dead([message_id]):
        db.session.commit()
        flash(_("The message will be sent again within a minute."), "success")
    else:
        flash(_("This message is not dead any more."), "info")
    return redirect(url_for(".index"))


@bp.post("/outbox/retry-dead")
@staff_required(Permission.DECIDE)
def retry_all() -> Response:
    _checked_form()
    count = retry_dead()
    db.session.commit()
    flash(
        ngettext(
            "%(num)d dead message will be sent again.",
            "%(num)d dead messages will be sent again.",
            count,
        ),
        "success",
    )
    return redirect(url_for(".index"))


@bp.post("/destinations/<int:destination_id>/active")
@staff_required(Permission.DECIDE)
def toggle(destination_id: int) -> Response:
    _checked_form()
    destination = db.get_or_404(CrmDestination, destination_id)
    active = not destination.active
    cancelled = services.set_destination_active(destination, active)
    db.session.commit()
    if active:
        flash(_("«%(name)s» receives new leads again.", name=destination.name), "success")
    else:
        flash(
            _(
                "«%(name)s» is switched off; %(count)d waiting messages were cancelled.",
                name=destination.name,
                count=cancelled,
            ),
            "warning",
        )
    return redirect(url_for(".index"))
