"""make_slug: ASCII, lower-case, transliterated (unique_slug needs the database)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from comarketing.core.slugs import MAX_SLUG_LENGTH, SLUG_PATTERN, make_slug


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ООО «Ромашка»", "ooo-romashka"),
        ("Ёжик в тумане", "ezhik-v-tumane"),
        ("Spring Sale 2026!", "spring-sale-2026"),
        ("Über Café", "uber-cafe"),
        ("«»", "item"),
        ("   ", "item"),
        ("word " * 30, "-".join(["word"] * 12)),
    ],
)
def test_make_slug(text, expected):
    assert make_slug(text) == expected


def test_make_slug_fallback():
    assert make_slug("!!!", fallback="partner") == "partner"


@given(st.text())
def test_make_slug_is_always_a_valid_slug(text):
    slug = make_slug(text)
    assert slug
    assert SLUG_PATTERN.fullmatch(slug)
    assert len(slug) <= MAX_SLUG_LENGTH
