"""Helpers of the browser tests: log in, and open pages while collecting what went wrong."""

from __future__ import annotations

from playwright.sync_api import Page

from comarketing.demo.data import DEMO_PASSWORD
from tests.live import LiveServer

# Markup that only an escaping bug could put in a page: event handlers, inline scripts,
# frames, javascript: links, or a script that ran and set ``window.__xss``.
INJECTED_ELEMENTS = """() => {
  const found = [...document.querySelectorAll(
    '[onerror], [onload], [onclick], [onmouseover], [onfocus], script:not([src]), iframe, '
    + 'object, embed, a[href^="javascript:" i], form[action^="javascript:" i]')]
    .map((element) => element.outerHTML.slice(0, 80));
  if (window.__xss) { found.push('window.__xss = ' + window.__xss); }
  return found;
}"""


def log_in(page: Page, live: LiveServer, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{live.url}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("main form [type=submit]")
    page.wait_for_load_state("networkidle")


def problems_on(page: Page, live: LiveServer, paths: tuple[str, ...]) -> list[str]:
    """Console errors and script errors seen while opening each of ``paths``."""
    seen: list[str] = []
    current = [""]
    page.on(
        "console",
        lambda message: (
            seen.append(f"{current[0]}: {message.text}") if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: seen.append(f"{current[0]}: {error}"))
    for path in paths:
        current[0] = path
        response = page.goto(f"{live.url}{path}")
        assert response is not None
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
        injected = page.evaluate(INJECTED_ELEMENTS)
        if injected:
            seen.append(f"{path}: injected markup {injected}")
    return seen
