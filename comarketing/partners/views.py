"""``/partners``: the partner list for staff."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from comarketing.core.auth import staff_required
from comarketing.extensions import db
from comarketing.partners.forms import PartnerFilterForm
from comarketing.partners.models import Partner
from comarketing.partners.queries import partners_query, segments
from comarketing.partners.segments import segment_label

bp = Blueprint("partners", __name__, url_prefix="/partners")


@bp.get("")
@staff_required()
def index() -> str:
    form = PartnerFilterForm(request.args)
    segment_rows = db.session.execute(segments()).all()
    form.segment.choices = [SelectChoice("", _("All segments"))] + [
        SelectChoice(row.segment, segment_label(row.segment)) for row in segment_rows
    ]
    stmt = partners_query(
        current_user,
        segment=form.segment.data or None,
        search=form.q.data if form.validate() else None,
    ).order_by(Partner.segment, Partner.name)
    return render_template(
        "partners/index.html", form=form, partners=db.session.scalars(stmt).all()
    )
