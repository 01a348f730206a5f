"""The one outbound HTTP session: every call to a CRM or webhook goes through here.

Why one place: timeouts are never forgotten, the User-Agent is ours, and the guard that keeps
calls off loopback and private networks (a stored URL is user input, so a forged one must not
reach the metadata service or the database) cannot be bypassed.

Nothing here runs at import: the session is built on first use in each process (a gunicorn or
worker process forked after that builds its own, so no socket is shared across a fork).
urllib3 retries only connection failures (nothing was sent yet); a POST that reached the other
side is never repeated here — the outbox is the retry mechanism, with its backoff and its record.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import threading
from importlib import metadata
from urllib.parse import urlsplit

import requests
from flask import current_app
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

ALLOWED_SCHEMES = frozenset({"http", "https"})

_lock = threading.Lock()
_session: requests.Session | None = None
_session_pid: int | None = None


class OutboundError(Exception):
    """An outbound call was not made (the target is refused or cannot be resolved)."""


class TargetRefused(OutboundError):
    """The URL is not one we call: not http(s), no host, or a private/loopback address while
    ``OUTBOUND_ALLOW_PRIVATE`` is off. Retrying cannot help."""


class TargetUnresolvable(OutboundError):
    """The host name does not resolve now; DNS failures are often temporary."""


def user_agent() -> str:
    try:
        version = metadata.version("comarketing")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        version = "dev"
    return f"comarketing/{version} python-requests/{requests.__version__}"


def _build_session() -> requests.Session:
    session = requests.Session()
    retry = Retry(
        total=None,
        connect=1,  # a refused or reset connect sent nothing: safe to try once more at once
        read=0,
        status=0,
        other=0,
        redirect=0,
        backoff_factor=0,
        allowed_methods=frozenset({"GET", "HEAD", "OPTIONS"}),
        raise_on_status=False,
    )
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = user_agent()
    return session


def session() -> requests.Session:
    """This process's session (built on first use; rebuilt after a fork)."""
    global _session, _session_pid
    with _lock:
        if _session is None or _session_pid != os.getpid():
            _session = _build_session()
            _session_pid = os.getpid()
        return _session


NAT64_WELL_KNOWN = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052: IPv4 in the last 32 bits
NAT64_LOCAL_USE = ipaddress.IPv6Network("64:ff9b:1::/48")  # RFC 8215: a private translator's


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one leads to: IPv4-mapped, IPv4-compatible (``::a.b.c.d``),
    NAT64 (``64:ff9b::a.b.c.d``), 6to4 or Teredo; None for a plain IPv6 address."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in NAT64_WELL_KNOWN or int(address) >> 32 == 0:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    return None


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    # is_global is False for private, loopback, link-local, shared (100.64/10), reserved and
    # documentation ranges; multicast is never a CRM. An IPv6 address that carries an IPv4
    # one (a translator would connect to it) is judged by that one too.
    if isinstance(address, ipaddress.IPv6Address):
        if address in NAT64_LOCAL_USE:
            return False
        inner = embedded_ipv4(address)
        if inner is not None and not _is_public(inner):
            return False
    return address.is_global and not address.is_multicast


def private_targets_allowed() -> bool:
    """``OUTBOUND_ALLOW_PRIVATE``; a string from the environment that JSON could not parse
    (``False``, ``no``) must not count as true just because it is not empty."""
    value = current_app.config["OUTBOUND_ALLOW_PRIVATE"]
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


def check_target(url: str, *, allow_private: bool | None = None) -> None:
    """Refuse ``url`` unless it is http(s) with a host and, when private targets are not
    allowed, every address the host resolves to (``socket.getaddrinfo``) is public.

    ``allow_private`` defaults to the app's ``OUTBOUND_ALLOW_PRIVATE``. Checked when a
    destination is added and again before every call (DNS may change in between); the
    connection resolves the name once more, so a DNS server that answers differently within
    milliseconds could still slip through — acceptable for admin-entered CRM addresses.
    """
    parts = urlsplit(url)
    if parts.scheme not in ALLOWED_SCHEMES or not parts.hostname:
        raise TargetRefused("The address must be an http:// or https:// URL with a host.")
    if allow_private is None:
        allow_private = private_targets_allowed()
    if allow_private:
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise TargetRefused("The port of the address is not a number.") from None
    try:
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as error:
        raise TargetUnresolvable(f"{parts.hostname} does not resolve ({error}).") from None
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if not _is_public(address):
            raise TargetRefused(
                f"{parts.hostname} resolves to a private or local address ({address}); "
                "such targets are refused unless OUTBOUND_ALLOW_PRIVATE is on."
            )


def post(
    url: str, *, data: bytes, headers: dict[str, str], timeout: float | None = None
) -> requests.Response:
    """POST ``data`` to ``url`` after checking the target; redirects are not followed (a
    redirect could lead past the guard). ``timeout`` in seconds, default OUTBOUND_TIMEOUT,
    for connecting and again for reading. Raises ``OutboundError`` or ``requests`` errors."""
    check_target(url)
    seconds = float(timeout if timeout is not None else current_app.config["OUTBOUND_TIMEOUT"])
    return session().post(
        url, data=data, headers=headers, timeout=(seconds, seconds), allow_redirects=False
    )


def get(
    url: str,
    *,
    params: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    timeout: float | None = None,
) -> requests.Response:
    """GET ``url`` (with query ``params``) under the same guard, timeout and no-redirect rule
    as ``post``: reads of a CRM's objects."""
    check_target(url)
    seconds = float(timeout if timeout is not None else current_app.config["OUTBOUND_TIMEOUT"])
    return session().get(
        url, params=params, headers=headers, timeout=(seconds, seconds), allow_redirects=False
    )
