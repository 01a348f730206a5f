"""marshmallow fields in the API's conventions: decimal strings, UTC times with ``Z``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import marshmallow as ma
from flask import current_app

from comarketing.core.money import CENT, money, money_problem, money_str
from comarketing.core.time import as_utc, period_problem, utcnow

# Decimal strings as the OpenAPI document describes them ([0-9], not \d: that is any digit).
MONEY_PATTERN = r"^-?[0-9]+(\.[0-9]{1,2})?$"
RATE_PATTERN = r"^[01](\.[0-9]+)?$"
# The days the API takes: wide for any real business date, narrow enough that period
# arithmetic (the day after the end, the period before the start) stays within Python's dates.
FIRST_DAY = date(1970, 1, 1)
LAST_DAY = date(2999, 12, 31)


def nul_paths(value: Any, path: str = "") -> list[str]:
    """Where U+0000 occurs in decoded JSON or query data (keys and string values)."""
    if isinstance(value, str):
        return [path or "_schema"] if "\x00" in value else []
    if isinstance(value, Mapping):
        found = []
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            found += [where] if "\x00" in str(key) else nul_paths(item, where)
        return found
    if isinstance(value, list | tuple):
        return [
            found
            for index, item in enumerate(value)
            for found in nul_paths(item, f"{path}.{index}" if path else str(index))
        ]
    return []


class InputSchema(ma.Schema):
    """Base of the API's request schemas: U+0000 is refused anywhere in the input (422).

    PostgreSQL's text cannot hold it (the driver refuses the statement, a 500); refusing it
    here gives the same answer on SQLite and PostgreSQL before any service runs."""

    @ma.pre_load(pass_collection=True)
    def refuse_nul(self, data: Any, **kwargs: Any) -> Any:
        paths = nul_paths(data)
        if paths:
            raise ma.ValidationError(
                {path: ["Must not contain the NUL character."] for path in paths}
            )
        return data


def not_blank(value: str) -> None:
    """Refuse a string of only white space (``Length(min=1)`` lets ``"   "`` through)."""
    if not value.strip():
        raise ma.ValidationError("Must not be blank.")


class MoneyField(ma.fields.Decimal):
    """Roubles as a decimal string with 2 places (``"12500.00"``). Numbers are accepted on
    input; more than two decimal places, NaN, infinities and amounts the money columns
    (``Numeric(14, 2)``) cannot hold are refused, never rounded."""

    default_error_messages = {  # noqa: RUF012
        "places": "At most 2 decimal places.",
        "too_large": "At most 12 digits before the decimal point.",
    }

    def __init__(self, **kwargs: Any) -> None:
        metadata = {"pattern": MONEY_PATTERN, "example": "12500.00", **kwargs.pop("metadata", {})}
        super().__init__(as_string=True, allow_nan=False, metadata=metadata, **kwargs)

    def _validated(self, value: Any) -> Decimal:
        number: Decimal = super()._validated(value)
        problem = money_problem(number)
        if problem is not None:
            raise self.make_error(problem.value)
        return money(number)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else money_str(value)


class RateField(ma.fields.Decimal):
    """A share between 0 and 1 as a decimal string: ``"0.50"``, ``"0.125"``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("validate", ma.validate.Range(min=0, max=1))
        kwargs["metadata"] = {
            "pattern": RATE_PATTERN,
            "example": "0.50",
            **kwargs.get("metadata", {}),
        }
        super().__init__(as_string=True, allow_nan=False, **kwargs)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        normalized = Decimal(value).normalize()
        if -normalized.as_tuple().exponent < 2:  # type: ignore[operator]
            normalized = normalized.quantize(CENT)
        return f"{normalized:f}"


class DayField(ma.fields.Date):
    """A calendar day ``YYYY-MM-DD`` from ``FIRST_DAY`` to ``LAST_DAY``."""

    def __init__(self, **kwargs: Any) -> None:
        validators = list(kwargs.pop("validate", None) or [])
        validators.append(ma.validate.Range(min=FIRST_DAY, max=LAST_DAY))
        super().__init__(validate=validators, **kwargs)


class UTCDateTimeField(ma.fields.AwareDateTime):
    """ISO 8601 with an offset on input (naive times are refused: whose 11:00?), UTC with
    ``Z`` on output. Moments outside ``FIRST_DAY``..``LAST_DAY`` (in UTC) are refused."""

    default_error_messages = {  # noqa: RUF012
        "out_of_range": f"Must be between {FIRST_DAY} and {LAST_DAY}.",
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="iso", default_timezone=None, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        parsed: datetime = super()._deserialize(value, attr, data, **kwargs)
        try:
            moment = as_utc(parsed)
        except OverflowError:  # 0001-01-01T00:00+01:00 has no UTC time
            raise self.make_error("out_of_range") from None
        if not FIRST_DAY <= moment.date() <= LAST_DAY:
            raise self.make_error("out_of_range")
        return moment

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


def check_period(start: date | None, end: date | None, field: str = "to") -> None:
    """422 on ``field`` for a period of days that cannot be shown (``core.time.period_problem``:
    ending before it starts, longer than ``MAX_PERIOD_DAYS``, or too far from today)."""
    problem = period_problem(start, end, utcnow().date(), current_app.config["MAX_PERIOD_DAYS"])
    if problem is not None:
        raise ma.ValidationError(str(problem), field)
