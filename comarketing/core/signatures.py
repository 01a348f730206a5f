"""Signed bodies: ``X-Comarketing-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>``.

We sign the webhooks we send over ``"t.body"``; landing pages sign the intake requests they
send us over ``"t.METHOD.path.body"`` (so a signed body cannot be replayed to another
endpoint). Pure functions; times in Unix seconds.
"""

from __future__ import annotations

import hashlib
import hmac
import time

HEADER = "X-Comarketing-Signature"
TOLERANCE_SECONDS = 300


def signed_bytes(timestamp: int, body: bytes, method: str | None, path: str | None) -> bytes:
    """What the HMAC covers: ``t.body``, or ``t.METHOD.path.body`` for a request."""
    if method is None or path is None:
        return f"{timestamp}.".encode() + body
    return f"{timestamp}.{method.upper()}.{path}.".encode() + body


def sign(
    secret: str,
    body: bytes,
    timestamp: int | None = None,
    *,
    method: str | None = None,
    path: str | None = None,
) -> str:
    """The header value for ``body`` signed now (or at ``timestamp``); with ``method`` and
    ``path``, for that request."""
    moment = int(time.time()) if timestamp is None else timestamp
    message = signed_bytes(moment, body, method, path)
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"t={moment},v1={digest}"


def verified_signature(
    secret: str,
    body: bytes,
    header: str | None,
    *,
    method: str | None = None,
    path: str | None = None,
    now: int | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> str | None:
    """The ``v1`` value of ``header`` that signs ``body`` (and the request, when ``method``
    and ``path`` are given) with ``secret`` within ``tolerance`` seconds of now, or None.
    Compared in constant time; several ``v1`` values (secret rotation) are accepted."""
    if not header:
        return None
    timestamp: int | None = None
    signatures: list[str] = []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1":
            signatures.append(value)
    if timestamp is None or not signatures:
        return None
    current = int(time.time()) if now is None else now
    if abs(current - timestamp) > tolerance:
        return None
    expected = sign(secret, body, timestamp, method=method, path=path).rpartition("v1=")[2]
    return next((c for c in signatures if hmac.compare_digest(expected, c)), None)


def verify(
    secret: str,
    body: bytes,
    header: str | None,
    *,
    now: int | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> bool:
    """Whether ``header`` signs ``body`` as ``"t.body"`` (the webhooks we send)."""
    found = verified_signature(secret, body, header, now=now, tolerance=tolerance)
    return found is not None
