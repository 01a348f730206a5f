"""Brackets on a monthly total, as pure functions: the rate a total reaches, and what a month
earns. Amounts in RUB (Decimal), rates as shares."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from comarketing.core.money import money


@dataclass(frozen=True)
class Bracket:
    start: Decimal  # the total from which the rate applies (inclusive)
    rate: Decimal


def parse_brackets(raw: Sequence[dict[str, str]]) -> list[Bracket]:
    """``[{"from": "0", "rate": "0.10"}, …]`` as brackets, lowest first."""
    return sorted(
        (Bracket(Decimal(item["from"]), Decimal(item["rate"])) for item in raw),
        key=lambda bracket: bracket.start,
    )


def bracket_for(brackets: Sequence[Bracket], total: Decimal) -> Bracket:
    """The bracket a month's total falls in: the highest ``start`` not above it (the lowest
    bracket for a total below every start, a month of refunds included)."""
    ordered = sorted(brackets, key=lambda bracket: bracket.start)
    chosen = ordered[0]
    for bracket in ordered:
        if bracket.start <= total:
            chosen = bracket
    return chosen


def month_commission(brackets: Sequence[Bracket], total: Decimal) -> tuple[Bracket, Decimal]:
    """The bracket and the commission (RUB, to the kopeck) of a month whose total is ``total``:
    the bracket's rate on the whole total."""
    bracket = bracket_for(brackets, total)
    return bracket, money(total * bracket.rate)
