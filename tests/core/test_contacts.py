"""Contact normalisation: one person is one e-mail or one E.164 phone (contract §4)."""

import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from comarketing.core.contacts import InvalidContact, normalize_email, normalize_phone


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" Anna@Example.COM ", "anna@example.com"),
        ("ANNA.Petrova+Tag@Mail.RU", "anna.petrova+tag@mail.ru"),
        ("\tivan@example.org\n", "ivan@example.org"),
    ],
)
def test_normalize_email(raw, expected):
    assert normalize_email(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "   ", "anna", "anna@", "@example.com", "a@@example.com", "an na@example.com"]
)
def test_invalid_email(raw):
    with pytest.raises(InvalidContact):
        normalize_email(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("8 (916) 123-45-67", "+79161234567"),
        ("+7 916 123 45 67", "+79161234567"),
        (" 89161234567 ", "+79161234567"),
        ("9161234567", "+79161234567"),
        ("8 800 555-35-35", "+78005553535"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_normalize_phone(raw, expected):
    assert normalize_phone(raw) == expected


def test_normalize_phone_other_region():
    assert normalize_phone("020 7946 0958", default_region="GB") == "+442079460958"


@pytest.mark.parametrize("raw", ["", "abc", "123", "+7 916 123", "8 (916) 123-45-67-89", "+999 1"])
def test_invalid_phone(raw):
    with pytest.raises(InvalidContact):
        normalize_phone(raw)


@given(st.emails(), st.sampled_from([str.upper, str.lower, str.title]), st.sampled_from(["", " "]))
def test_email_normalisation_is_idempotent(email, case, pad):
    try:
        once = normalize_email(pad + case(email) + pad)
    except InvalidContact:
        assume(False)
    assert once == once.strip().lower()
    assert normalize_email(once) == once


@given(
    st.sampled_from(["+7", "8", "7", ""]),
    # Mobile, Moscow and St Petersburg codes: ten national digits are then (nearly) always a
    # valid number, so few examples are thrown away (too many fail the filter health check).
    st.sampled_from(["9", "495", "812"]),
    st.text(alphabet="0123456789", min_size=9, max_size=9),
    st.sampled_from(["", " ", "-"]),
)
def test_phone_normalisation_is_idempotent(prefix, code, digits, sep):
    national = (code + digits)[:10]
    try:
        once = normalize_phone(prefix + sep + national[:3] + sep + national[3:])
    except InvalidContact:
        assume(False)
    assert re.fullmatch(r"\+7\d{10}", once)
    assert normalize_phone(once) == once
