"""Segments are CRM ecosystems; codes are stored, brand names are shown."""

SEGMENT_LABELS = {
    "amocrm": "amoCRM",
    "bitrix24": "Bitrix24",
    "megaplan": "Мегаплан",
    "retailcrm": "RetailCRM",
    "hubspot": "HubSpot",
    "salesforce": "Salesforce",
}


def segment_label(code: str) -> str:
    """The brand name of a segment code (``"amocrm"`` → ``"amoCRM"``); unknown codes as is."""
    return SEGMENT_LABELS.get(code, code)
