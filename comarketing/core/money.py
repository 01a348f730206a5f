"""Money is ``Decimal`` with two places (roubles and kopecks), never float."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def money(value: Decimal | int | str) -> Decimal:
    """Round a monetary amount to kopecks, half up, as accountants expect."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def money_str(value: Decimal | int | str) -> str:
    """The API's form of an amount: a decimal string with two places (``"12500.00"``)."""
    return str(money(value))
