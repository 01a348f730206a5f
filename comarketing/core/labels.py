"""Shown names of the codes stored in the database (statuses, kinds, reasons).

Each domain names its own codes (``leads/labels.py``, …); ``create_app`` registers them on the
app, so this module knows none of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app

EXTENSION_KEY = "comarketing.labels"


def register_labels(app: Flask, labels: Mapping[str, Any]) -> None:
    """Add ``code → shown name`` entries (lazy strings); ``namespace:code`` keys win over a
    bare ``code`` where one code means two things."""
    app.extensions.setdefault(EXTENSION_KEY, {}).update(labels)


def label(code: object, namespace: str = "") -> str:
    """The shown name of a stored code (``namespace:code`` first); unknown codes as is."""
    labels: Mapping[str, Any] = current_app.extensions.get(EXTENSION_KEY, {})
    text = str(code)
    found = labels.get(f"{namespace}:{text}") if namespace else None
    return str(found or labels.get(text, text))
