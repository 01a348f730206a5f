"""Screenshots for the README: serve the demo on a temporary SQLite database and photograph
pages in Debian's chromium (``/usr/bin/chromium``) through Playwright.

Run with ``make screenshots``; the pictures land in ``docs/screenshots/``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PASSWORD = "demo-password"
# The demo and the server run on 4 December 2026, 12:00 UTC (tests.clock): the portal's home
# early in a month shows the month so far against the same days of last month.
CLOCK = os.environ.get("SCREENSHOTS_CLOCK", "2026-12-04T12:00:00Z")
DESKTOP, LAPTOP = 1360, 1366
PAGES = (  # (file, login e-mail, path, language, element to photograph alone or None, width)
    ("dashboard.png", "marketer@demo.comarketing.example", "/", "ru", None, DESKTOP),
    ("dashboard-en.png", "marketer@demo.comarketing.example", "/", "en", None, DESKTOP),
    ("portal.png", "partner@demo.comarketing.example", "/portal", "ru", None, DESKTOP),
    ("portal-en.png", "partner@demo.comarketing.example", "/portal", "en", None, DESKTOP),
    (
        "portal-tier.png",
        "partner-silver@demo.comarketing.example",
        "/portal",
        "en",
        "[data-testid=tier]",
        DESKTOP,
    ),
    ("reports.png", "manager@demo.comarketing.example", "/reports?period=last_90_days", "ru",
     None, DESKTOP),
    ("reports-1366-ru.png", "admin@demo.comarketing.example", "/reports?period=this_month",
     "ru", None, LAPTOP),
    ("portal-links.png", "partner@demo.comarketing.example", "/portal/links", "ru", None, DESKTOP),
    ("portal-leads.png", "partner@demo.comarketing.example", "/portal/leads", "en", None, DESKTOP),
)  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(instance: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "COMARKETING_INSTANCE_PATH": str(instance),
        "COMARKETING_ENV": "development",
    }
    env.pop("DATABASE_URL", None)
    flask = [sys.executable, "-m", "tests.clock", CLOCK, "flask", "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([*flask, "demo"], cwd=ROOT, env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [*flask, "run", "--port", str(port)], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError("the app did not start")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    port = free_port()
    with tempfile.TemporaryDirectory() as instance:
        server = serve(Path(instance), port)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM,
                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
                )
                for name, email, path, language, element, width in PAGES:
                    page = browser.new_page(
                        viewport={"width": width, "height": 860}, locale=language
                    )
                    page.goto(f"http://127.0.0.1:{port}/login")
                    page.fill("input[name=email]", email)
                    page.fill("input[name=password]", PASSWORD)
                    page.click("main form [type=submit]")
                    page.wait_for_load_state("networkidle")
                    page.goto(f"http://127.0.0.1:{port}{path}")
                    # The language buttons in the navigation bar (a CSRF-protected form).
                    page.click(f"button[name=locale][value={language}]")
                    page.wait_for_load_state("networkidle")
                    if element:
                        page.locator(element).screenshot(path=str(OUT / name))
                    else:
                        page.screenshot(path=str(OUT / name), full_page=False)
                    print(f"wrote {OUT / name}")
                    page.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
