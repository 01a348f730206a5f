"""Normalised contacts: one person is one e-mail or one E.164 phone, however it was typed."""

from __future__ import annotations

import phonenumbers
from email_validator import EmailNotValidError, validate_email


class InvalidContact(ValueError):
    """The value cannot be an e-mail address or a phone number."""


def normalize_email(raw: str) -> str:
    """Trim, validate the syntax and lower-case an address (no DNS lookups: intake must not
    wait on the network). Raises ``InvalidContact`` with a human reason."""
    candidate = raw.strip()
    try:
        result = validate_email(candidate, check_deliverability=False)
    except EmailNotValidError as error:
        raise InvalidContact(str(error)) from None
    return result.normalized.lower()


def normalize_phone(raw: str, default_region: str = "RU") -> str:
    """The phone number in E.164 (``+79161234567``); local numbers are read in
    ``default_region``. Raises ``InvalidContact`` when it is not a possible number."""
    try:
        number = phonenumbers.parse(raw.strip(), default_region)
    except phonenumbers.NumberParseException as error:
        raise InvalidContact(str(error)) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidContact("not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
