"""One rule for amounts (``core.money``): the CSV parser, the forms' validator and the API's
field accept the same amounts and refuse the rest for the same reason."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import marshmallow as ma
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from wtforms import Form
from wtforms.validators import ValidationError

from comarketing.core.forms import money_amount, money_field
from comarketing.core.money import (
    CENT,
    MAX_MONEY,
    InvalidAmount,
    MoneyProblem,
    money_problem,
    parse_amount,
)
from comarketing.core.schemas import MoneyField

# Whatever stands between the digit groups in files: a space, Excel's no-break space (U+00A0),
# the narrow no-break space of newer locales (U+202F), a thin space (U+2009).
GROUP_SEPARATORS = st.sampled_from([" ", "\u00a0", "\u202f", "\u2009"])
# Amounts the money columns hold: whole kopecks, at most 12 digits before the point.
KOPECKS = st.integers(min_value=-int(MAX_MONEY * 100), max_value=int(MAX_MONEY * 100))
AMOUNTS = KOPECKS.map(lambda kopecks: Decimal(kopecks) / 100)
# Any finite decimal, with more places and more digits than money allows.
DECIMALS = st.decimals(allow_nan=False, allow_infinity=False, places=None).filter(
    lambda value: abs(value.adjusted()) < 40
)


def grouped(amount: Decimal, separator: str, point: str) -> str:
    """``amount`` as a person writes it: thousands grouped, ``point`` before the kopecks."""
    sign = "-" if amount < 0 else ""
    whole, _, kopecks = f"{abs(amount):.2f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{separator.join(groups)}{point}{kopecks}"


class _Schema(ma.Schema):
    amount = MoneyField()


class _Form(Form):
    amount = money_field("Amount")


def api_problem(text: str) -> str | None:
    try:
        _Schema().load({"amount": text})
    except ma.ValidationError as error:
        return " ".join(error.messages["amount"])  # type: ignore[call-overload,index]
    return None


def form_problem(text: str) -> str | None:
    form = _Form(MultiDict({"amount": text}))
    return None if form.validate() else " ".join(form.amount.errors)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12500.00", "12500.00"),
        ("12500,00", "12500.00"),
        ("12 500,00", "12500.00"),
        ("12\u00a0500,00", "12500.00"),
        ("1\u202f234\u202f567,8", "1234567.80"),
        (" 12 500 ", "12500.00"),
        ("-5 000,00", "-5000.00"),
        ("2.340", "2.34"),
        ("999 999 999 999,99", "999999999999.99"),
        ("0", "0.00"),
    ],
)
def test_parse_amount_reads_what_people_write(text, expected):
    parsed = parse_amount(text)
    assert str(parsed) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", MoneyProblem.INVALID),
        ("abc", MoneyProblem.INVALID),
        ("12,500.00", MoneyProblem.INVALID),  # two separators: which one is the point?
        ("12.500,00", MoneyProblem.INVALID),
        ("NaN", MoneyProblem.INVALID),
        ("-Infinity", MoneyProblem.INVALID),
        ("sNaN", MoneyProblem.INVALID),
        ("1 000 000 000 000", MoneyProblem.TOO_LARGE),
        ("1e30", MoneyProblem.TOO_LARGE),
        ("-999999999999.995", MoneyProblem.TOO_LARGE),
        ("100,005", MoneyProblem.PLACES),
        ("0.001", MoneyProblem.PLACES),
    ],
)
def test_parse_amount_refuses_with_the_reason(text, problem):
    with pytest.raises(InvalidAmount) as refused:
        parse_amount(text)
    assert refused.value.problem is problem


@given(KOPECKS, GROUP_SEPARATORS, st.sampled_from([".", ","]))
def test_every_amount_written_with_groups_reads_back_exactly(kopecks, separator, point):
    amount = Decimal(kopecks) / 100
    parsed = parse_amount(grouped(amount, separator, point))
    assert parsed == amount
    assert parsed.as_tuple().exponent == -2


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=30))
@example("1_000")
@example("١٢٣")
def test_parse_amount_returns_an_amount_or_says_why_not(text):
    """Any text: an amount in kopecks, or ``InvalidAmount`` (never another exception)."""
    try:
        parsed = parse_amount(text)
    except InvalidAmount:
        return
    assert money_problem(parsed) is None
    assert parsed.as_tuple().exponent == -2


@given(DECIMALS)
@example(MAX_MONEY)
@example(MAX_MONEY + CENT)
@example(-MAX_MONEY - CENT)
@example(Decimal("1E-1000"))
@example(Decimal("0E-1000"))
@example(Decimal("999999999999.990000000000000000001"))
@example(Decimal("1.00000000000000000000000000001"))
def test_money_problem_is_the_definition(value):
    problem = money_problem(value)
    if Fraction(value) > MAX_MONEY or Fraction(value) < -MAX_MONEY:
        assert problem is MoneyProblem.TOO_LARGE
    elif (Fraction(value) * 100).denominator != 1:
        assert problem is MoneyProblem.PLACES
    else:
        assert problem is None


@given(DECIMALS | AMOUNTS | st.sampled_from([Decimal("NaN"), Decimal("-Infinity")]))
def test_the_parser_the_form_and_the_api_agree(value):
    """Whatever one of them accepts, the others accept as the same amount; what one refuses,
    the others refuse with a message of the same reason."""
    text = str(value)
    problem = money_problem(value)
    try:
        parsed: Decimal | MoneyProblem = parse_amount(text)
    except InvalidAmount as refused:
        parsed = refused.problem
    in_api, in_form = api_problem(text), form_problem(text)
    if problem is None:
        assert (in_api, in_form) == (None, None)
        assert parsed == value
        assert _Schema().load({"amount": text})["amount"] == value
        return
    assert parsed is problem
    expected_api = {
        MoneyProblem.INVALID: "Special numeric values (nan or infinity) are not permitted.",
        MoneyProblem.TOO_LARGE: "At most 12 digits before the decimal point.",
        MoneyProblem.PLACES: "At most 2 decimal places.",
    }
    expected_form = {
        MoneyProblem.INVALID: "Give an amount in roubles with at most two decimal places.",
        MoneyProblem.TOO_LARGE: "The amount is too large.",
        MoneyProblem.PLACES: "Give an amount in roubles with at most two decimal places.",
    }
    assert (in_api, in_form) == (expected_api[problem], expected_form[problem])


def test_the_validator_leaves_an_empty_field_to_the_other_validators():
    form = _Form(MultiDict())
    assert form.validate()
    assert form.amount.data is None
    form = _Form(MultiDict({"amount": "много"}))
    assert not form.validate()
    assert form.amount.errors == ["Not a valid decimal value."]


def test_the_validator_is_a_wtforms_validator():
    form = _Form(MultiDict({"amount": "1e13"}))
    with pytest.raises(ValidationError, match="too large"):
        money_amount(form, form.amount)
