"""Segments are CRM ecosystems; codes are stored, brand names are shown (a brand with a name
of its own in each language is translated: Мегаплан is Megaplan in English)."""

from typing import Any

from flask_babel import lazy_gettext as _l

SEGMENT_LABELS: dict[str, Any] = {
    "amocrm": "amoCRM",
    "bitrix24": "Bitrix24",
    "megaplan": _l("Megaplan"),
    "retailcrm": "RetailCRM",
    "hubspot": "HubSpot",
    "salesforce": "Salesforce",
}


def segment_label(code: str) -> str:
    """The brand name of a segment code (``"amocrm"`` → ``"amoCRM"``); unknown codes as is."""
    return str(SEGMENT_LABELS.get(code, code))
