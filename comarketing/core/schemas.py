"""marshmallow fields in the API's conventions: decimal strings, UTC times with ``Z``."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import marshmallow as ma

from comarketing.core.money import CENT, money
from comarketing.core.time import as_utc


def not_blank(value: str) -> None:
    """Refuse a string of only white space (``Length(min=1)`` lets ``"   "`` through)."""
    if not value.strip():
        raise ma.ValidationError("Must not be blank.")


class MoneyField(ma.fields.Decimal):
    """Roubles as a decimal string with 2 places (``"12500.00"``). Numbers are accepted on
    input; more than two decimal places, NaN and infinities are refused, never rounded."""

    default_error_messages = {"places": "At most 2 decimal places."}  # noqa: RUF012

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(as_string=True, allow_nan=False, **kwargs)

    def _validated(self, value: Any) -> Decimal:
        number: Decimal = super()._validated(value)
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -2 and number != number.quantize(CENT):
            raise self.make_error("places")
        return money(number)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else str(money(value))


class RateField(ma.fields.Decimal):
    """A share between 0 and 1 as a decimal string: ``"0.50"``, ``"0.125"``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("validate", ma.validate.Range(min=0, max=1))
        super().__init__(as_string=True, allow_nan=False, **kwargs)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        normalized = Decimal(value).normalize()
        if -normalized.as_tuple().exponent < 2:  # type: ignore[operator]
            normalized = normalized.quantize(Decimal("0.01"))
        return f"{normalized:f}"


class UTCDateTimeField(ma.fields.AwareDateTime):
    """ISO 8601 with an offset on input (naive times are refused: whose 11:00?), UTC with
    ``Z`` on output."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="iso", default_timezone=None, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        parsed: datetime = super()._deserialize(value, attr, data, **kwargs)
        return as_utc(parsed)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        return as_utc(value).isoformat().replace("+00:00", "Z")


INT32_MAX = 2**31 - 1


class IdField(ma.fields.Integer):
    """The id of a stored object: a whole number from 1 to 2^31 − 1 (the key columns' range,
    so a huge number is a 422, never a database error). Strict (no "5") unless a query
    string carries it."""

    def __init__(self, *, strict: bool = True, **kwargs: Any) -> None:
        validators = list(kwargs.pop("validate", None) or [])
        validators.append(ma.validate.Range(min=1, max=INT32_MAX))
        super().__init__(strict=strict, validate=validators, **kwargs)
