"""URL slugs: ASCII, lower-case, transliterated from any script, unique per table."""

from __future__ import annotations

import re
from typing import Any

from slugify import slugify
from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute

from comarketing.extensions import db

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SLUG_LENGTH = 60


def make_slug(text: str, fallback: str = "item") -> str:
    """``"ООО «Ромашка»"`` → ``"ooo-romashka"``; an empty result falls back to ``fallback``."""
    return slugify(text, max_length=MAX_SLUG_LENGTH, word_boundary=True) or fallback


def unique_slug(column: InstrumentedAttribute[Any], text: str, fallback: str = "item") -> str:
    """A slug of ``text`` not yet used in ``column``: ``base``, else ``base-2``, ``base-3`` …"""
    base = make_slug(text, fallback)
    taken = set(
        db.session.scalars(select(column).where((column == base) | column.like(f"{base}-%"))).all()
    )
    if base not in taken:
        return base
    suffix = 2
    while f"{base}-{suffix}" in taken:
        suffix += 1
    return f"{base}-{suffix}"
