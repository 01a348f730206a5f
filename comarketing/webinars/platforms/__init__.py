"""Webinar platforms (Zoom, MTS Link) read through their APIs: who registered there and who
watched, for how long. The clients return plain data; ``sync`` turns it into attendance."""

from __future__ import annotations

from dataclasses import dataclass, field


class PlatformError(Exception):
    """The platform could not be read (not configured, refused, down, or an unexpected
    answer); the message says which, in words a person can act on."""


@dataclass(frozen=True)
class PlatformAttendance:
    """What a platform knows of one event. ``registrants``: e-mails of people registered on
    the platform; ``watched``: seconds watched per e-mail of everyone who attended (a person
    who joined twice has the sum of both visits; None: attended, time unknown). E-mails are
    as the platform gives them, trimmed and lower-cased."""

    registrants: frozenset[str] = field(default_factory=frozenset)
    watched: dict[str, int | None] = field(default_factory=dict)


def clean_email(value: object) -> str:
    return str(value or "").strip().lower()
