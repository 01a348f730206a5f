"""The ``cmclid`` carried from a click to the landing page and back with the lead.

It is the click's id with a short HMAC, so a submitted ``cmclid`` can only name a click that
really happened: nobody can claim someone else's click by guessing ids. Pure functions.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

SIGNATURE_BYTES = 9  # 72 bits, 12 URL-safe characters


def click_id_key(secret_key: str) -> bytes:
    """The signing key of click ids, derived from the app's ``SECRET_KEY``."""
    return hashlib.sha256(b"comarketing.cmclid\x00" + secret_key.encode()).digest()


def _signature(click_id: int, key: bytes) -> str:
    digest = hmac.new(key, str(click_id).encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:SIGNATURE_BYTES]).decode()


def encode_click_id(click_id: int, key: bytes) -> str:
    """``cmclid`` of a click: ``<id in base 36>.<signature>`` (e.g. ``"2n9c.x3Zq…"``)."""
    return f"{_base36(click_id)}.{_signature(click_id, key)}"


def decode_click_id(cmclid: str, key: bytes) -> int | None:
    """The click id inside a ``cmclid``, or None when it is malformed or not ours."""
    if len(cmclid) > 64:
        return None
    number, dot, signature = cmclid.strip().partition(".")
    if not dot or not number or not number.isalnum() or not number.isascii():
        return None
    try:
        click_id = int(number, 36)
    except ValueError:
        return None
    if not hmac.compare_digest(signature, _signature(click_id, key)):
        return None
    return click_id


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    if number == 0:
        return "0"
    out = []
    while number:
        number, remainder = divmod(number, 36)
        out.append(digits[remainder])
    return "".join(reversed(out))
