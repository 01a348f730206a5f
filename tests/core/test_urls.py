"""is_local_path: only paths on this site may be ``next`` targets."""

from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from comarketing.core.urls import is_local_path


@pytest.mark.parametrize("target", ["/", "/partners?x=1", "/partners/5#links", "/a:b"])
def test_local_paths(target):
    assert is_local_path(target) is True


@pytest.mark.parametrize(
    "target",
    [
        "//evil.com",
        "/\\evil.com",
        "https://evil.com",
        "javascript:alert(1)",
        "partners",
        "",
        None,
        "/\x00x",
        "/\t/evil.com",
        "/\r\n/evil.com",
    ],
)
def test_foreign_targets(target):
    assert is_local_path(target) is False


@given(st.one_of(st.text(), st.text().map(lambda t: "/" + t), st.from_regex(r"\A[/\\:a-z.]+")))
def test_local_path_never_has_a_scheme_or_host(target):
    if is_local_path(target):
        parts = urlsplit(target)
        assert parts.netloc == ""
        assert parts.scheme == ""
        assert target.startswith("/")
        assert not target.startswith(("//", "/\\"))
