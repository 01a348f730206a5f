"""The arithmetic of a target, pure (no database, no Flask): the planned curve, the forecast
and the status (contract §9). ``Decimal`` throughout; figures are rounded once, by ``round2``,
where they are shown.

Month ``t`` counts from the target's first month (``t = 1``); ``t = 0`` is the baseline.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from enum import StrEnum

HUNDREDTH = Decimal("0.01")
PRECISION = 34  # digits of the intermediate powers: ample for 120 months of ×1000


class Status(StrEnum):
    ON_TRACK = "on_track"  # the last complete month's actual reached its plan
    BEHIND = "behind"  # it did not
    NOT_STARTED = "not_started"  # no month of the target is complete yet


def round2(value: Decimal) -> Decimal:
    """A figure as shown: two places, half up (as ``core.money`` rounds roubles), whatever
    its size (a forecast of steep growth can have hundreds of digits)."""
    digits = max(PRECISION, value.adjusted() + 3)
    return value.quantize(HUNDREDTH, rounding=ROUND_HALF_UP, context=Context(prec=digits))


def planned(baseline: Decimal, multiple: Decimal, horizon: int, t: int) -> Decimal:
    """The plan of month ``t``: ``baseline × multiple^(t / horizon)``, unrounded; month
    ``horizon`` plans ``baseline × multiple``."""
    if horizon < 1 or multiple <= 0:
        raise ValueError("a target needs a horizon of at least one month and a positive multiple")
    with localcontext() as context:
        context.prec = PRECISION
        if t == 0 or baseline == 0:
            return +baseline
        return baseline * multiple ** (Decimal(t) / Decimal(horizon))


def monthly_growth(values: Sequence[Decimal], window: int = 3) -> Decimal | None:
    """The compound monthly growth factor of the last ``window`` steps of ``values`` (fewer
    when there are fewer): ``(last / earlier)^(1 / steps)``. ``values[0]`` is the baseline.
    None when it has no meaning: no step yet, a start at or below zero, a negative end
    (refunds can make a month's revenue negative)."""
    steps = min(window, len(values) - 1)
    if steps < 1:
        return None
    start, end = values[-1 - steps], values[-1]
    if start <= 0 or end < 0:
        return None
    with localcontext() as context:
        context.prec = PRECISION
        if end == 0:
            return Decimal(0)
        return (end / start) ** (Decimal(1) / Decimal(steps))


def forecast(baseline: Decimal, actuals: Sequence[Decimal], horizon: int) -> Decimal | None:
    """The metric at month ``horizon`` if the compound growth of the last three complete
    months (``actuals``, months 1…n) went on: ``actual_n × growth^(horizon − n)``. While
    fewer than three months are complete, the growth is measured from the baseline (month 0).
    The horizon's own actual once it is complete; None before any month is, or when the
    growth has no meaning (see ``monthly_growth``). Unrounded."""
    if not actuals:
        return None
    done = min(len(actuals), horizon)
    values = [baseline, *actuals[:done]]
    if done == horizon:
        return values[-1]
    growth = monthly_growth(values)
    if growth is None:
        return None
    with localcontext() as context:
        context.prec = PRECISION
        return values[-1] * growth ** (horizon - done)


def status(planned_shown: Decimal | None, actual: Decimal | None) -> Status:
    """``on_track`` when the last complete month's actual is at least its plan as shown
    (rounded to 2 places, so that a gap shown as 0.00 is never ``behind``); ``behind``
    otherwise; ``not_started`` without a complete month (either is None)."""
    if planned_shown is None or actual is None:
        return Status.NOT_STARTED
    return Status.ON_TRACK if actual >= planned_shown else Status.BEHIND


def reached(baseline: Decimal, actual: Decimal | None) -> Decimal | None:
    """How many times the baseline the month's actual is (``1.30`` for ×1.30); None without
    a month or a baseline. Unrounded."""
    if actual is None or baseline <= 0:
        return None
    with localcontext() as context:
        context.prec = PRECISION
        return actual / baseline
