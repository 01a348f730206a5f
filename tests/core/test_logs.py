"""What access logs keep of a request target (comarketing.core.logs)."""

import pytest

from comarketing.core.logs import scrub_target


@pytest.mark.parametrize(
    ("target", "logged"),
    [
        ("/healthz", "/healthz"),
        ("/invite/AbC-123_x", "/invite/redacted"),
        ("/password/reset/tok3n?lang=ru", "/password/reset/redacted?lang=ru"),
        ("/calendar/feed/s3cret.ics", "/calendar/feed/redacted.ics"),
        ("/calendar/partner/s3cret.ics", "/calendar/partner/redacted.ics"),
        ("/leads?q=anna%40client.example&page=2", "/leads?q=redacted&page=2"),
        ("/portal/leads?status=new", "/portal/leads?status=new"),
        ("/login?next=%2Fleads%3Fq%3Danna", "/login?next=/leads%3Fq%3Dredacted"),
        ("/r/AbCdEfGh", "/r/AbCdEfGh"),  # a link code is public by design
    ],
)
def test_secrets_and_search_text_never_reach_the_log(target, logged):
    assert scrub_target(target) == logged
