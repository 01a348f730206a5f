"""Money rounding and the API's field conventions (decimal strings, UTC with ``Z``)."""

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import marshmallow as ma
import pytest

from comarketing.core.money import money, money_str
from comarketing.core.schemas import MoneyField, RateField, UTCDateTimeField


class _Schema(ma.Schema):
    amount = MoneyField(allow_none=True)
    rate = RateField(allow_none=True)
    at = UTCDateTimeField(allow_none=True)


SCHEMA = _Schema()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2.345", "2.35"),
        ("2.344", "2.34"),
        ("-2.345", "-2.35"),
        ("0.005", "0.01"),
        (Decimal("2.125"), "2.13"),
        (12500, "12500.00"),
        ("1e3", "1000.00"),
    ],
)
def test_money_rounds_half_up(value, expected):
    assert money(value) == Decimal(expected)
    assert money_str(value) == expected


@pytest.mark.parametrize(
    ("rate", "expected"),
    [("0.5", "0.50"), ("0.125", "0.125"), ("0", "0.00"), ("1", "1.00"), ("0.5000", "0.50")],
)
def test_rate_dump(rate, expected):
    assert SCHEMA.dump({"rate": Decimal(rate)}) == {"rate": expected}


def test_dump_values_and_nones():
    at = datetime(2026, 12, 3, 11, 0, tzinfo=timezone(timedelta(hours=3)))
    assert SCHEMA.dump({"amount": Decimal("12500"), "at": at}) == {
        "amount": "12500.00",
        "at": "2026-12-03T08:00:00Z",
    }
    assert SCHEMA.dump({"amount": None, "rate": None, "at": None}) == dict.fromkeys(
        ("amount", "rate", "at")
    )


@pytest.mark.parametrize("value", ["2026-12-03T11:00:00+03:00", "2026-12-03T08:00:00Z"])
def test_aware_datetime_loads_as_utc(value):
    loaded = SCHEMA.load({"at": value})["at"]
    assert loaded == datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
    assert loaded.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "data",
    [
        {"at": "2026-12-03T11:00:00"},
        {"at": "tomorrow"},
        {"amount": "NaN"},
        {"amount": "Infinity"},
        {"rate": "1.5"},
        {"rate": "-0.1"},
    ],
)
def test_load_refuses(data):
    with pytest.raises(ma.ValidationError) as caught:
        SCHEMA.load(data)
    assert set(caught.value.messages) == set(data)


def test_load_numbers():
    assert SCHEMA.load({"amount": 12500, "rate": "0.125"}) == {
        "amount": Decimal("12500.00"),
        "rate": Decimal("0.125"),
    }


@pytest.mark.parametrize("value", ["2.345", "0.125", "0.001"])
def test_money_field_refuses_fractions_of_a_kopeck(value):
    with pytest.raises(ma.ValidationError, match="At most 2 decimal places"):
        SCHEMA.load({"amount": value})


@pytest.mark.parametrize(("value", "expected"), [("2.340", "2.34"), (12500.1, "12500.10")])
def test_money_field_accepts_exact_amounts(value, expected):
    assert SCHEMA.load({"amount": value})["amount"] == Decimal(expected)
