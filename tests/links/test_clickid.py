"""cmclid: a click id that cannot be forged."""

from hypothesis import given
from hypothesis import strategies as st

from comarketing.links.clickid import click_id_key, decode_click_id, encode_click_id

KEY = click_id_key("secret")


@given(st.integers(min_value=0, max_value=2**63 - 1))
def test_round_trip(click_id):
    assert decode_click_id(encode_click_id(click_id, KEY), KEY) == click_id


def test_token_is_url_safe_and_short():
    token = encode_click_id(123_456_789, KEY)
    assert len(token) <= 26
    assert all(c.isalnum() or c in "-_." for c in token)


def test_another_key_or_a_changed_id_is_refused():
    token = encode_click_id(42, KEY)
    assert decode_click_id(token, click_id_key("other")) is None
    number, _, signature = token.partition(".")
    assert decode_click_id(f"{int(number, 36) + 1:x}.{signature}", KEY) is None


def test_garbage_is_refused():
    for junk in ("", "42", ".", "abc.", "-1.x", "zz.zz", "٤٢.abc", "1." + "a" * 100):
        assert decode_click_id(junk, KEY) is None
