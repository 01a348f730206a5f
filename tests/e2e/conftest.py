"""End-to-end fixtures: Debian's chromium driven by Playwright, the app on a live server, a
real SMTP server and a landing page of the vendor's site, each on its own local socket.

Playwright never downloads a browser here: it launches ``/usr/bin/chromium`` (the Debian
package ``.ci/run`` installs). Without it the tests skip, except in CI (``CI`` set), where
they fail.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.live import LiveServer, free_port, live_server

CHROMIUM = Path("/usr/bin/chromium")
# A browser of a person: headless chromium announces itself as HeadlessChrome, which the
# bot filter rightly counts as a bot.
DESKTOP_USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36"
)
TIMEOUT_MS = 10_000


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One headless chromium for these tests; Playwright's event loop ends with them, before
    the rest of the suite runs."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium package")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); CI runs these tests")
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox"], headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """``new_page(**context_options)``: a page in a fresh browser context (its own cookies,
    as another person's browser), in Russian; every context is closed after the test."""
    contexts: list[BrowserContext] = []

    def open_page(**options: object) -> Page:
        context = browser.new_context(locale="ru-RU", **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


class Inbox:
    """What the SMTP server at ``url`` received, as parsed messages."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.url = ""

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[Inbox]:
    """A real SMTP server on a local port."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.url = f"smtp://127.0.0.1:{controller.port}"
    try:
        yield inbox
    finally:
        controller.stop()


class LandingPage(BaseHTTPRequestHandler):
    """The vendor's landing page: any GET answers a small HTML page."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's hook name
        body = "<!doctype html><title>Landing</title><h1>Коллтрекинг для вашей CRM</h1>"
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        """Quiet: the test reads the URL the browser ended at, not the log."""


@pytest.fixture
def landing() -> Iterator[str]:
    """The origin of a landing page served on a real socket."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), LandingPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def live(tmp_path: Path, smtp: Inbox) -> Iterator[LiveServer]:
    """The app on a live server with CSRF on (as in production), e-mail through ``smtp``
    and short links on its own origin."""
    with live_server(tmp_path, WTF_CSRF_ENABLED=True, SMTP_URL=smtp.url) as server:
        # Read per request; the port is known only now.
        server.app.config["BASE_URL"] = server.url
        yield server
