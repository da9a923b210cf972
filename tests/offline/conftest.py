"""A small Playwright fixture for the offline tests, and the editions to test.

Every page opened through `open_page` is watched: each request, console
error, uncaught error and Content-Security-Policy violation is recorded, so a
test can assert that a page from disk asked nothing of the network and broke
nothing.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} in ${e.sourceFile}`));
"""
NOT_PAGES = {"_static", "_editions", "_images", "_sources"}


@dataclass
class Watch:
    """What a page did while it was open."""

    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def csp(self, page) -> list[str]:  # noqa: ANN001
        return page.evaluate("window.__cspViolations || []")

    def problems(self, page) -> list[str]:  # noqa: ANN001
        return ([f"network: {u}" for u in self.requests if not u.startswith("file://")]
                + [f"failed: {u}" for u in self.failed]
                + [f"console: {m}" for m in self.console_errors]
                + [f"error: {m}" for m in self.page_errors]
                + [f"csp: {v}" for v in self.csp(page)])


# `browser`: the session's one Chromium, from tests/conftest.py.


@pytest.fixture
def open_page(browser):  # noqa: ANN001, ANN201
    """open_page(path_or_url) -> (page, watch); one fresh context per test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(WATCH_CSP)

    def opener(target: Path | str):  # noqa: ANN202
        page = context.new_page()
        watch = Watch()
        page.on("request", lambda r: watch.requests.append(r.url))
        page.on("requestfailed", lambda r: watch.failed.append(f"{r.url} {r.failure}"))
        page.on("console", lambda m: watch.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: watch.page_errors.append(str(e)))
        page.goto(target.resolve().as_uri() if isinstance(target, Path) else target, wait_until="load")
        return page, watch

    yield opener
    context.close()


@dataclass(frozen=True)
class Edition:
    """One language's HTML edition: its root and its offline files."""

    root: Path
    language: str

    @property
    def manifest_files(self) -> list[Path]:
        return sorted((self.root / "_editions").iterdir())


def html_language(path: Path) -> str:
    match = re.search(r'<html[^>]*\slang="([^"]+)"', path.read_text(encoding="utf-8"))
    assert match, f"{path}: no lang on <html>"
    return match.group(1)


@pytest.fixture(scope="session")
def editions(html_dir: Path) -> list[Edition]:
    """Every HTML edition: html/ and any edition nested in it (html/fr, ...)."""
    roots = sorted(p.parent for p in html_dir.rglob("searchindex.js") if "_editions" not in p.parts)
    assert roots, f"no HTML edition under {html_dir}"
    return [Edition(root, html_language(root / "index.html")) for root in roots]


@pytest.fixture(scope="session")
def site_pages(html_dir: Path) -> list[Path]:
    """Every page of every HTML edition, the single pages included."""
    return sorted(p for p in html_dir.rglob("*.html")
                  if not NOT_PAGES.intersection(p.relative_to(html_dir).parts))
