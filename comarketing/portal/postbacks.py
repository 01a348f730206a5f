"""``/portal/postbacks``: the partner's own endpoints for its leads' events (contract §8) —
listed, added (the signing secret is shown on the answer to the form, this once), deleted.

Every read goes through the portal's access rule (``endpoints_query(current_user)`` scopes to
the partner; another partner's endpoint is 404)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from comarketing.core.forms import commit_or_show
from comarketing.extensions import db
from comarketing.integrations.postbacks.models import PostbackEndpoint
from comarketing.integrations.postbacks.queries import endpoints_query, visible_endpoint_query
from comarketing.integrations.postbacks.services import (
    MAX_ENDPOINTS,
    add_endpoint,
    delete_endpoint,
)
from comarketing.portal.access import partner
from comarketing.portal.blueprint import bp
from comarketing.portal.forms import EVENT_LABELS, PostbackDeleteForm, PostbackForm


def _page(form: PostbackForm, *, created: PostbackEndpoint | None = None) -> str:
    endpoints = db.session.scalars(
        endpoints_query(current_user).order_by(PostbackEndpoint.id.desc())
    ).all()
    return render_template(
        "portal/postbacks.html",
        endpoints=endpoints,
        form=form,
        delete_form=PostbackDeleteForm(formdata=None),
        created=created,
        event_labels=EVENT_LABELS,
        max_endpoints=MAX_ENDPOINTS,
    )


@bp.get("/postbacks")
def postbacks() -> str:
    return _page(PostbackForm(formdata=None))


@bp.post("/postbacks")
def add_postback() -> tuple[str, int, dict[str, str]]:
    """Add an endpoint; the answer shows its signing secret, once, and is not cached. A
    refused form is shown again (422, or the service's 409) with nothing written."""
    form = PostbackForm()
    outcome = commit_or_show(
        form,
        lambda: add_endpoint(
            partner(), form.url.data or "", form.events.data, created_by_id=current_user.id
        ),
        _("The endpoint is added: copy its secret now, it is not shown again."),
    )
    no_store = {"Cache-Control": "no-store"}
    if not outcome.done:
        return _page(form), outcome.status, no_store
    return _page(PostbackForm(formdata=None), created=outcome.result), 201, no_store


@bp.post("/postbacks/<int:postback_id>/delete")
def delete_postback(postback_id: int) -> Response:
    endpoint = db.first_or_404(visible_endpoint_query(current_user, postback_id))
    outcome = commit_or_show(
        PostbackDeleteForm(),
        lambda: delete_endpoint(endpoint),
        _("The endpoint is deleted: nothing more is sent to it."),
    )
    if not outcome.done:
        flash(_("The endpoint was not deleted: reload the page and try again."), "warning")
    return redirect(url_for(".postbacks"))
