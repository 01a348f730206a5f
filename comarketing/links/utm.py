"""UTM tagging of destination URLs: pure functions, no app, no database.

The tagged URL of a link is built once, when the link is issued, and stored; the redirect
serves the stored URL and never builds one from the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import quote, unquote_plus, urlencode, urlsplit, urlunsplit

from furl import furl
from slugify import slugify

MAX_UTM_LENGTH = 100
_UTM_DISALLOWED = r"[^-a-z0-9_.]+"
_URI_SAFE = "!#$%&'()*+,/:;=?@[]~"


class Medium(StrEnum):
    """The fixed vocabulary of ``utm_medium``."""

    PARTNER = "partner"
    WEBINAR = "webinar"
    CPC = "cpc"
    EMAIL = "email"
    SOCIAL = "social"
    EVENT = "event"


@dataclass(frozen=True)
class Utm:
    """The UTM values of one link, already normalised."""

    source: str
    medium: str
    campaign: str
    id: str
    content: str | None = None
    term: str | None = None

    def as_params(self) -> list[tuple[str, str]]:
        params = [
            ("utm_source", self.source),
            ("utm_medium", self.medium),
            ("utm_campaign", self.campaign),
        ]
        if self.content:
            params.append(("utm_content", self.content))
        if self.term:
            params.append(("utm_term", self.term))
        params.append(("utm_id", self.id))
        return params


def utm_value(raw: str) -> str:
    """A UTM value as lower-case ASCII: ``"Баннер №1"`` → ``"banner-no1"``.

    Cyrillic is transliterated; anything but ``a-z 0-9 - _ .`` becomes a dash.
    """
    value = slugify(raw, regex_pattern=_UTM_DISALLOWED, max_length=MAX_UTM_LENGTH)
    return value


def tag_url(destination: str, utm: Utm) -> str:
    """``destination`` with the UTM parameters set.

    Every other query parameter and the fragment are kept byte for byte (a landing page may
    use ``;``, legacy cp1251 escapes or a ``#:~:text=`` fragment); any ``utm_*`` parameter
    already there is dropped so that only this link's values remain.
    """
    parts = urlsplit(destination)
    kept = [
        segment
        for segment in parts.query.split("&")
        if segment and not unquote_plus(segment.split("=", 1)[0]).lower().startswith("utm_")
    ]
    query = "&".join([*kept, urlencode(utm.as_params())])
    return urlunsplit(
        (
            parts.scheme,
            furl(destination).netloc,  # an internationalised host in its IDNA (ASCII) form
            _ascii(parts.path or "/"),
            _ascii(query),
            _ascii(parts.fragment),
        )
    )


def _ascii(component: str) -> str:
    """Percent-encode what is not ASCII (as UTF-8), leaving escapes and delimiters as they
    are: a ``Location`` header must be ASCII."""
    return quote(component, safe=_URI_SAFE)


def build_utm(
    *,
    partner_slug: str,
    campaign_slug: str,
    target_id: int,
    medium: str = Medium.PARTNER,
    content: str | None = None,
    term: str | None = None,
) -> Utm:
    """The UTM values of a partner's link to a campaign or webinar (``target_id`` is the
    campaign's or webinar's id, carried as ``utm_id``)."""
    if medium not in set(Medium):
        allowed = ", ".join(m.value for m in Medium)
        raise ValueError(f"unknown medium {medium!r}; use one of {allowed}")
    return Utm(
        source=utm_value(partner_slug),
        medium=str(medium),
        campaign=utm_value(campaign_slug),
        id=str(target_id),
        content=_optional_value(content),
        term=_optional_value(term),
    )


def _optional_value(raw: str | None) -> str | None:
    return (utm_value(raw) or None) if raw else None
