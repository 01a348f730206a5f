"""QR codes of short links (segno), for print and slides.

The QR encodes the short link with ``qr=1``, so scans are counted apart from clicks.
"""

from __future__ import annotations

import io
from typing import Literal

import segno
from werkzeug.wrappers import Response

QR_SCALE = {"svg": 8, "png": 10}  # pixels per module: crisp when printed at A6 and larger


def qr_url(short_url: str) -> str:
    """The short link as a QR code carries it."""
    return f"{short_url}?qr=1"


def qr_image(url: str, kind: Literal["svg", "png"]) -> bytes:
    """The QR code of ``url`` as an SVG or PNG file (error correction M, quiet zone 4)."""
    code = segno.make(url, error="m", micro=False)
    buffer = io.BytesIO()
    if kind == "svg":
        code.save(buffer, kind="svg", scale=QR_SCALE["svg"], border=4, xmldecl=True, svgns=True)
    else:
        code.save(buffer, kind="png", scale=QR_SCALE["png"], border=4)
    return buffer.getvalue()


def qr_download(short_url: str, code: str, kind: str, *, inline: bool) -> Response:
    """The QR code of a link (``code``, its ``short_url``) as an SVG file (``kind="svg"``) or a
    PNG, to download or to show in a page (``inline``); browsers keep it a day (a link's code
    never changes)."""
    svg = kind == "svg"
    image = qr_image(qr_url(short_url), "svg" if svg else "png")
    response = Response(image, mimetype="image/svg+xml" if svg else "image/png")
    if not inline:
        response.headers["Content-Disposition"] = f'attachment; filename="qr-{code}.{kind}"'
    response.headers["Cache-Control"] = "private, max-age=86400"
    return response
