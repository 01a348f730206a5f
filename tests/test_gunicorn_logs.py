"""The production server's access log holds no client address (gunicorn.conf.py), even
behind a proxy that forwards one."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.live import free_port

ROOT = Path(__file__).resolve().parent.parent


def test_access_lines_have_no_ip(tmp_path):
    port, log = free_port(), tmp_path / "access.log"
    env = {
        **os.environ,
        "COMARKETING_ENV": "development",
        "COMARKETING_INSTANCE_PATH": str(tmp_path / "instance"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'app.sqlite3'}",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "--access-logfile", str(log), "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/healthz", headers={"X-Forwarded-For": "203.0.113.77"}
        )
        for _ in range(100):
            try:
                urllib.request.urlopen(request, timeout=2).close()  # noqa: S310 - a local URL
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("gunicorn did not answer")
        for path in ("/invite/SECRET-INVITE-TOKEN", "/leads?q=anna%40client.example&page=2"):
            # Answered (a 404, or the login page after a redirect): logged all the same.
            with contextlib.suppress(urllib.error.HTTPError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5).close()  # noqa: S310
    finally:
        server.terminate()
        server.wait(timeout=10)
    lines = log.read_text(encoding="utf-8")
    assert "GET /healthz" in lines
    assert "GET /invite/redacted " in lines
    assert "SECRET-INVITE-TOKEN" not in lines
    assert "GET /leads?q=redacted&page=2 " in lines
    assert "anna" not in lines
    assert "127.0.0.1" not in lines
    assert "203.0.113.77" not in lines
