"""Attribution models (contract §6): how one lead's credit is shared among its touches.

Pure functions: no app, no database. Times are aware UTC ``datetime``; credits are ``Decimal``
with ``CREDIT_SCALE`` (10) decimal places, the stored column's, and the credits of one lead
always sum to exactly 1 (the rounding remainder goes to the latest touch): they are stored as
computed, and a lead's stored credits sum to exactly 1 too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction

MODELS = ("first_touch", "last_touch", "linear", "time_decay", "position_based")
CREDIT_SCALE = 10  # decimal places of a credit, here and in ``attribution_credits.credit``
PLACES = Decimal(1).scaleb(-CREDIT_SCALE)


@dataclass(frozen=True)
class Touch:
    key: int  # the caller's id of the touch (a touchpoint row id)
    at: datetime  # aware, UTC
    partner_id: int | None = None


def eligible(touches: Sequence[Touch], created_at: datetime, lookback: timedelta) -> list[Touch]:
    """The touches that can earn credit: at or before the lead's creation T and not older
    than T − lookback; oldest first, ties by key, so input order never matters."""
    window = created_at - lookback
    return sorted(
        (touch for touch in touches if window <= touch.at <= created_at),
        key=lambda touch: (touch.at, touch.key),
    )


def _weights(
    model: str, touches: list[Touch], created_at: datetime, half_life: timedelta
) -> list[Fraction]:
    n = len(touches)
    if model == "first_touch":
        return [Fraction(1)] + [Fraction(0)] * (n - 1)
    if model == "last_touch":
        return [Fraction(0)] * (n - 1) + [Fraction(1)]
    if model == "linear":
        return [Fraction(1, n)] * n
    if model == "position_based":
        if n <= 2:
            return [Fraction(1, n)] * n
        middle = Fraction(1, 5) / (n - 2)
        return [Fraction(2, 5)] + [middle] * (n - 2) + [Fraction(2, 5)]
    if model == "time_decay":
        # 2^(-age / half_life): irrational in general, so computed with 40 digits.
        with localcontext() as context:
            context.prec = 40
            raw = [
                Decimal(2)
                ** (
                    -Decimal((created_at - t.at).total_seconds())
                    / Decimal(half_life.total_seconds())
                )
                for t in touches
            ]
            total = sum(raw, Decimal(0))
            return [Fraction(value / total) for value in raw]
    raise ValueError(f"unknown attribution model {model!r}; use one of {', '.join(MODELS)}")


def credits(
    model: str,
    touches: Sequence[Touch],
    created_at: datetime,
    *,
    lookback: timedelta = timedelta(days=90),
    half_life: timedelta = timedelta(days=7),
) -> dict[int, Decimal]:
    """Touch key → credit under ``model`` for the eligible touches; empty when none is
    eligible (the lead is unattributed). The credits sum to exactly 1."""
    if model not in MODELS:
        raise ValueError(f"unknown attribution model {model!r}; use one of {', '.join(MODELS)}")
    return _shares(model, eligible(touches, created_at, lookback), created_at, half_life)


def credits_by_model(
    touches: Sequence[Touch],
    created_at: datetime,
    *,
    lookback: timedelta = timedelta(days=90),
    half_life: timedelta = timedelta(days=7),
) -> dict[str, dict[int, Decimal]]:
    """``credits`` under every model at once: the eligible touches are chosen once, and a lead
    with a single eligible touch (most leads) gives it the whole credit under every model."""
    chosen = eligible(touches, created_at, lookback)
    if len(chosen) == 1:
        return {model: {chosen[0].key: Decimal(1).quantize(PLACES)} for model in MODELS}
    return {model: _shares(model, chosen, created_at, half_life) for model in MODELS}


def _shares(
    model: str, chosen: list[Touch], created_at: datetime, half_life: timedelta
) -> dict[int, Decimal]:
    if not chosen:
        return {}
    weights = _weights(model, chosen, created_at, half_life)
    shares = [
        (Decimal(w.numerator) / Decimal(w.denominator)).quantize(PLACES, rounding=ROUND_HALF_EVEN)
        for w in weights
    ]
    shares[-1] += Decimal(1) - sum(shares, Decimal(0))
    result: dict[int, Decimal] = {}
    for touch, share in zip(chosen, shares, strict=True):
        if share:  # first/last touch: the other touches get nothing, not a zero row
            result[touch.key] = result.get(touch.key, Decimal(0)) + share
    return result
