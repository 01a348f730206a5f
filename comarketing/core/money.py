"""Money is ``Decimal`` with two places (roubles and kopecks), never float.

What an amount may be is said here once: finite, at most two decimal places (a fraction of a
kopeck is refused, never rounded away) and no larger than the money columns hold. The API's
``MoneyField`` (``core.schemas``), the forms' ``money_field`` (``core.forms``) and the CSV
imports all ask ``money_problem``; the imports read what people type with ``parse_amount``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

CENT = Decimal("0.01")
MAX_MONEY = Decimal("999999999999.99")  # the money columns are Numeric(14, 2)


class MoneyProblem(StrEnum):
    """Why a number is not an amount; the values are the API field's error keys."""

    INVALID = "invalid"  # not a number, NaN or an infinity
    TOO_LARGE = "too_large"  # more than 12 digits before the decimal point
    PLACES = "places"  # a fraction of a kopeck


class InvalidAmount(ValueError):
    """``parse_amount`` refused the text; ``problem`` says why."""

    def __init__(self, problem: MoneyProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def money(value: Decimal | int | str) -> Decimal:
    """Round a monetary amount to kopecks, half up, as accountants expect."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def money_str(value: Decimal | int | str) -> str:
    """The API's form of an amount: a decimal string with two places (``"12500.00"``)."""
    return str(money(value))


def money_problem(value: Decimal) -> MoneyProblem | None:
    """What keeps ``value`` from being stored as it is in a money column, or None. Trailing
    zeros are fine (``2.340``); the sign is the caller's rule (refunds are negative)."""
    if not value.is_finite():
        return MoneyProblem.INVALID
    if value.copy_abs() > MAX_MONEY:  # exact, where abs() would round to 28 digits
        return MoneyProblem.TOO_LARGE
    if value != value.quantize(CENT):  # exact here: at most 14 digits
        return MoneyProblem.PLACES
    return None


def parse_amount(text: str) -> Decimal:
    """An amount as people write it in files: ``12500.00``, ``12500,00``, ``12 500,00`` with
    any spaces between the digits (Excel's no-break space, the narrow one), a sign for
    refunds. Returns it with two places; raises ``InvalidAmount`` for anything else."""
    try:
        value = Decimal("".join(text.split()).replace(",", "."))
    except InvalidOperation:
        raise InvalidAmount(MoneyProblem.INVALID) from None
    problem = money_problem(value)
    if problem is not None:
        raise InvalidAmount(problem)
    return money(value)
