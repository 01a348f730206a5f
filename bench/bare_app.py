"""The baseline of ``bench/redirect.py``: a bare Flask app that answers the same 302 with no
work (no database, no cookie, no classification). ``BENCH_TARGET`` is the Location."""

from __future__ import annotations

import os

from flask import Flask, redirect
from werkzeug.wrappers import Response

TARGET = os.environ.get("BENCH_TARGET", "https://vendor.example/landing?utm_source=partner")

app = Flask(__name__)


@app.get("/r/<code>")
def follow(code: str) -> Response:
    return redirect(TARGET, 302)
