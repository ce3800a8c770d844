"""Fixtures for the browser tests: the real site, served locally, in Chromium.

One build, one HTTP server, one browser and one page for the whole package: the
suite visits ~25 pages several times, and reusing the page keeps that fast. The
fixtures are package-scoped (tests/browser/__init__.py), so Playwright stops after
the last browser test and other tests can start their own sync Playwright.

- ``built_site``: builds the real bilingual site (both languages at once + the JSON
  API) into a tmp dir with the same sphinx-build commands as ``make html``. Set
  ``POLICY_BROWSER_SITE=_build/html`` to test an existing build instead (quick
  iteration on the tests; CI always builds).
- ``server``: serves it with http.server on 127.0.0.1 on a free port, in a thread.
- ``browser``: Debian's Chromium through Playwright's sync API.
- ``site``: the shared page; ``site.visit(path)`` navigates it and returns a
  ``Visit`` that collects console errors, uncaught exceptions and failed requests
  for that page only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .pagecheck import DESKTOP, ROOT
from .sitebuild import LocalServer, build_site, site_pages

ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="package")
def built_site(tmp_path_factory) -> Path:
    existing = os.environ.get("POLICY_BROWSER_SITE")
    if existing:
        path = (ROOT / existing).resolve()
        assert (path / "ja" / "index.html").is_file(), f"POLICY_BROWSER_SITE={existing}: no ja/index.html"
        return path
    base = tmp_path_factory.mktemp("site")
    build_site(base / "html", base / "doctrees")
    return base / "html"


@pytest.fixture(scope="package")
def server(built_site):
    local = LocalServer(built_site)
    yield local.url
    local.stop()


@pytest.fixture(scope="package")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `.venv/bin/python tests/browser_setup.py` as root", pytrace=False)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Visit:
    """What happened while one page loaded."""

    url: str
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return self.console_errors + self.failed_requests


class SharedPage:
    """One Playwright page reused by every browser test, with per-visit event logs."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.current = Visit(url="")
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.current.console_errors.append(f"uncaught: {exc.message}\n{exc.stack}"))
        page.on("requestfailed", self._on_request_failed)
        page.on("response", self._on_response)

    def _on_console(self, msg):
        if msg.type == "error":
            self.current.console_errors.append(f"console.error: {msg.text} at {msg.location.get('url', '')}")

    def _on_request_failed(self, request):
        # ERR_ABORTED is the test navigating away while a page still loads something
        # (search result summaries, for instance), not the site failing.
        if request.failure != "net::ERR_ABORTED":
            self.current.failed_requests.append(f"{request.url} ({request.failure})")

    def _on_response(self, response):
        if response.status >= 400:
            self.current.failed_requests.append(f"{response.url} (HTTP {response.status})")

    def url(self, path: str) -> str:
        return self.base_url + path.lstrip("/")

    def visit(self, path: str, *, viewport: dict | None = None) -> Visit:
        self.page.set_viewport_size(viewport or DESKTOP)
        self.current = Visit(url=path)
        self.page.goto(self.url(path), wait_until="load")
        return self.current

    def path(self) -> str:
        """The current URL relative to the site root (no fragment or query)."""
        url = self.page.url.split("#", 1)[0].split("?", 1)[0]
        assert url.startswith(self.base_url), url
        return url[len(self.base_url) :]

    def screenshot(self, name: str, *, full_page: bool = True) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path


@pytest.fixture(scope="package")
def shared_page(browser, server) -> SharedPage:
    # A fresh context: no stored tab choice (sphinx-design keeps it in localStorage).
    context = browser.new_context(viewport=DESKTOP, locale="ja-JP")
    yield SharedPage(context.new_page(), server)
    context.close()


@pytest.fixture
def site(shared_page) -> SharedPage:
    """The shared page, with storage cleared so one test's tab choice doesn't leak into the next."""
    if shared_page.page.url.startswith(shared_page.base_url):
        shared_page.page.evaluate("() => { try { localStorage.clear(); } catch (e) {} }")
    return shared_page


@pytest.fixture(scope="package")
def pages(built_site) -> list[str]:
    return site_pages(built_site)
