"""Setting KPI targets and switching them off. Services flush; the caller commits.

The rules of a target are checked here, for the API and the page alike: a metric we count,
a segment that exists, a first day of a month to start on, a positive multiple, a horizon of
1 to 120 months and a baseline of at least one whole month.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from comarketing.core.errors import ValidationFailed
from comarketing.core.schemas import FIRST_DAY, LAST_DAY
from comarketing.extensions import db
from comarketing.goals.models import MAX_HORIZON_MONTHS, KpiMetric, KpiTarget
from comarketing.goals.months import whole_months
from comarketing.partners.models import Partner
from comarketing.partners.segments import SEGMENT_LABELS

MAX_MULTIPLE = Decimal(1000)
MULTIPLE_PLACES = 4
MAX_BASELINE_MONTHS = MAX_HORIZON_MONTHS


def known_segments() -> list[str]:
    """Segments a target may name: those with partners and the well-known ecosystems."""
    with_partners = db.session.scalars(select(Partner.segment).distinct())
    return sorted({*SEGMENT_LABELS, *with_partners})


def multiple_problem(multiple: Decimal) -> str | None:
    """Why ``multiple`` cannot be a target's, or None."""
    if not multiple.is_finite() or not 0 < multiple <= MAX_MULTIPLE:
        return _("Give a multiple above 0 and at most %(max)s.", max=MAX_MULTIPLE)
    if multiple != multiple.quantize(Decimal(1).scaleb(-MULTIPLE_PLACES)):
        return _("At most %(places)s decimal places.", places=MULTIPLE_PLACES)
    return None


def _problems(
    *,
    metric: str,
    segment: str | None,
    baseline_from: date,
    baseline_to: date,
    multiple: Decimal,
    horizon_months: int,
    starts_on: date,
) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    if metric not in set(KpiMetric):
        add("metric", _("Choose leads, customers, revenue or active partners."))
    if segment is not None and segment not in known_segments():
        add("segment", _("No partner is in this segment."))
    for field, day in (
        ("baseline_from", baseline_from),
        ("baseline_to", baseline_to),
        ("starts_on", starts_on),
    ):
        if not FIRST_DAY <= day <= LAST_DAY:
            add(
                field, _("Choose a day from %(first)s to %(last)s.", first=FIRST_DAY, last=LAST_DAY)
            )
    if starts_on.day != 1:
        add("starts_on", _("A target starts on the first day of a month."))
    if (problem := multiple_problem(multiple)) is not None:
        add("multiple", problem)
    if not 1 <= horizon_months <= MAX_HORIZON_MONTHS:
        add("horizon_months", _("From 1 to %(max)s months.", max=MAX_HORIZON_MONTHS))
    if baseline_to < baseline_from:
        add("baseline_to", _("The baseline cannot end before it starts."))
    elif not {"baseline_from", "baseline_to"} & problems.keys():
        months = len(whole_months(baseline_from, baseline_to))
        if months == 0:
            add("baseline_to", _("The baseline must hold at least one whole month."))
        elif months > MAX_BASELINE_MONTHS:
            add("baseline_to", _("A baseline of at most %(max)s months.", max=MAX_BASELINE_MONTHS))
    return problems


def create_target(
    *,
    metric: str,
    segment: str | None,
    baseline_from: date,
    baseline_to: date,
    multiple: Decimal,
    horizon_months: int,
    starts_on: date,
    name: str = "",
    created_by_id: int | None = None,
) -> KpiTarget:
    """Set a target: ``multiple`` times the baseline (the monthly average of ``metric`` over
    the whole months of ``baseline_from``…``baseline_to``) in ``horizon_months`` months from
    ``starts_on``, for ``segment``'s partners (all partners when None). Refused with the
    problem of each field (422)."""
    segment = (segment or "").strip().lower() or None
    problems = _problems(
        metric=metric,
        segment=segment,
        baseline_from=baseline_from,
        baseline_to=baseline_to,
        multiple=multiple,
        horizon_months=horizon_months,
        starts_on=starts_on,
    )
    if problems:
        raise ValidationFailed(_("The target cannot be set as it is."), fields=problems)
    target = KpiTarget(
        name=name.strip(),
        metric=KpiMetric(metric),
        segment=segment,
        baseline_from=baseline_from,
        baseline_to=baseline_to,
        multiple=multiple,
        horizon_months=horizon_months,
        starts_on=starts_on,
        created_by_id=created_by_id,
    )
    db.session.add(target)
    db.session.flush()
    return target


def set_target_active(target: KpiTarget, active: bool) -> KpiTarget:
    """Switch a target on or off: an inactive one leaves the dashboard and stays listed."""
    target.active = active
    db.session.flush()
    return target
