"""UTM tagging and destination checks (contract §4)."""

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from comarketing.core.urls import InvalidDestination, validate_destination
from comarketing.links.utm import Medium, build_utm, tag_url, utm_value

UTM = build_utm(partner_slug="romashka", campaign_slug="vesna-2026", target_id=7)
UTM_PARAMS = [
    ("utm_source", "romashka"),
    ("utm_medium", "partner"),
    ("utm_campaign", "vesna-2026"),
    ("utm_id", "7"),
]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Ромашка", "romashka"),
        ("Ёлка Зима", "elka-zima"),
        ("Spring Sale 2026!", "spring-sale-2026"),
        ("a_b.c", "a_b.c"),
        ("  ", ""),
    ],
)
def test_utm_value(raw, expected):
    assert utm_value(raw) == expected


@given(st.text())
def test_utm_value_is_lower_case_ascii(raw):
    assert re.fullmatch(r"[a-z0-9._-]*", utm_value(raw))


def test_build_utm_values_and_mediums():
    utm = build_utm(
        partner_slug="ООО Ромашка", campaign_slug="Вебинар", target_id=3,
        medium=Medium.WEBINAR, content="Баннер Верх", term="  ",
    )  # fmt: skip
    assert utm.as_params() == [
        ("utm_source", "ooo-romashka"),
        ("utm_medium", "webinar"),
        ("utm_campaign", "vebinar"),
        ("utm_content", "banner-verkh"),
        ("utm_id", "3"),
    ]
    assert UTM.medium == "partner"
    with pytest.raises(ValueError, match="unknown medium"):
        build_utm(partner_slug="p", campaign_slug="c", target_id=1, medium="tv")


def _parts(url):
    """A URL with its query as a multiset: parameter order is not part of the contract."""
    p = urlsplit(url)
    return (
        p.scheme,
        p.netloc,
        p.path,
        sorted(parse_qsl(p.query, keep_blank_values=True)),
        p.fragment,
    )


_TAGS = urlencode(UTM_PARAMS)


@pytest.mark.parametrize(
    ("destination", "expected"),
    [
        ("https://example.com", f"https://example.com/?{_TAGS}"),
        ("https://example.com/p?a=1&a=2&b=#top", f"https://example.com/p?a=1&a=2&b=&{_TAGS}#top"),
        ("https://example.com/?utm_source=old&utm_id=99&k=v", f"https://example.com/?k=v&{_TAGS}"),
        ("https://example.com/#/route?x=1", f"https://example.com/?{_TAGS}#/route?x=1"),
        ("https://пример.рф/?q=да", f"https://xn--e1afmkfd.xn--p1ai/?q=%D0%B4%D0%B0&{_TAGS}"),
    ],
)
def test_tag_url(destination, expected):
    assert _parts(tag_url(destination, UTM)) == _parts(expected)


def test_tag_url_keeps_windows_1251_query_bytes():
    tagged = tag_url("https://example.ru/search?q=%CF%F0%E8%E2%E5%F2", UTM)
    assert urlsplit(tagged).query.startswith("q=%CF%F0%E8%E2%E5%F2&")


@pytest.mark.parametrize("fragment", [":~:text=hello", "/route?t=a:b", "k=v/w"])
def test_tag_url_keeps_fragment_verbatim(fragment):
    assert tag_url(f"https://example.com/#{fragment}", UTM).endswith(f"#{fragment}")


_keys = st.text(min_size=1).filter(lambda k: not k.lower().startswith("utm_"))
_fragment = st.text(alphabet="abcXYZ019-._~/?!:@&", max_size=20)


@given(st.lists(st.tuples(_keys, st.text())), _fragment)
def test_tag_url_keeps_query_and_fragment(params, fragment):
    destination = f"https://example.com/page?{urlencode(params)}" + (
        f"#{fragment}" if fragment else ""
    )
    tagged = tag_url(destination, UTM)
    parts = urlsplit(tagged)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    assert [p for p in pairs if not p[0].startswith("utm_")] == params
    assert [p for p in pairs if p[0].startswith("utm_")] == UTM_PARAMS
    assert parts.fragment == fragment
    assert tag_url(tagged, UTM) == tagged


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/landing?x=1#f",
        "  http://example.com/  ",
        "https://пример.рф/путь",
        "https://example.com:8443/",
    ],
)
def test_valid_destination(url):
    assert validate_destination(url) == url.strip()


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("", "empty"),
        ("javascript:alert(1)", "http and https"),
        ("ftp://example.com/file", "http and https"),
        ("data:text/html,<b>hi</b>", "http and https"),
        ("//example.com/", "http and https"),
        ("example.com/landing", "http and https"),
        ("http:///landing", "no host"),
        ("https://user:pw@example.com/", "user name or password"),
        ("https://user@example.com/", "user name or password"),
        ("https://example.com/a b", "spaces or control"),
        ("https://example.com/a\nb", "spaces or control"),
        ("https://example.com/\x00", "spaces or control"),
        ("https://example.com/" + "a" * 2029, "longer than 2048"),
    ],
)
def test_invalid_destination(url, reason):
    with pytest.raises(InvalidDestination, match=reason):
        validate_destination(url)


@pytest.mark.parametrize("char", ["\x85", "\x9b"])
def test_c1_control_characters_refused(char):
    with pytest.raises(InvalidDestination):
        validate_destination(f"https://example.com/a{char}b")


def test_destination_length_limit_is_inclusive():
    url = "https://example.com/" + "a" * 2028
    assert len(url) == 2048
    assert validate_destination(url) == url


def test_allowed_hosts():
    allowed = frozenset({"example.com"})
    assert validate_destination("https://EXAMPLE.com/x", allowed)
    for url in (
        "https://evil.com/",
        "https://example.com.evil.com/",
        "https://evil.com#@example.com",
    ):
        with pytest.raises(InvalidDestination, match="not an allowed"):
            validate_destination(url, allowed)
