"""Points 1 and 2: every page from file://, with no network, under a strict CSP."""

from __future__ import annotations

import base64
import hashlib
import html
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import DESKTOP, settle
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def policy_of(soup: BeautifulSoup) -> dict[str, list[str]]:
    meta = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert meta is not None, "no Content-Security-Policy meta tag"
    directives = [d.split() for d in meta["content"].split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


def sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_every_page_opens_from_disk_with_zero_network_and_zero_errors(
        html_dir: Path, html_pages: list[Path], tabs) -> None:
    pages = html_pages
    # The article, the glossary, the single page: a short list would hide a bug.
    assert len(pages) >= 12 and any(p.parent.name == "single" for p in pages)
    problems, seen = {}, 0
    tab = tabs(viewport=DESKTOP)  # one page, each file loaded into it afresh
    for path in pages:
        tab.open(path)
        settle(tab.page)  # deferred scripts, images, fonts: whatever the page does by itself
        seen += len(tab.watch.requests)
        if found := tab.watch.problems(tab.page):
            problems[str(path.relative_to(html_dir))] = found
    # The search page with a query: its results load the index and the snippets.
    page = tab.open(html_dir / "search.html", "?q=Colossus")
    page.locator("#search-results .search-summary").wait_for()
    page.wait_for_load_state("networkidle")
    if found := tab.watch.problems(page):
        problems["search.html?q=Colossus"] = found
    assert not problems
    # Requests were recorded (stylesheets, scripts): the log is not empty by accident.
    assert seen >= len(pages) * 5


def test_every_page_has_a_strict_policy_before_any_script_or_style(
        html_dir: Path, html_pages: list[Path]) -> None:
    for path in html_pages:
        source = path.read_text(encoding="utf-8")
        soup = BeautifulSoup(source, "html.parser")
        policy = policy_of(soup)
        where = path.relative_to(html_dir)
        assert policy["default-src"] == ["'none'"], where
        every = " ".join(s for sources in policy.values() for s in sources)
        assert "unsafe-eval" not in every and "'unsafe-inline'" not in every, where
        assert not re.search(r"https?:|\*", every), f"{where}: a remote source is allowed"
        assert source.find("Content-Security-Policy") < min(
            i for i in (source.find("<script"), source.find("<style")) if i >= 0), where
        # Each inline block on the page is allowed by its own hash, nothing else.
        for script in soup.find_all("script", src=False):
            assert sha(script.string or "") in policy["script-src"], f"{where}: inline script not hashed"
        for style in soup.find_all("style"):
            assert sha(style.string or "") in policy["style-src"], f"{where}: inline style not hashed"
        for tag in soup.find_all(style=True):
            assert sha(html.unescape(tag["style"])) in policy["style-src"], f"{where}: style attribute not hashed"


def test_the_policy_is_enforced_from_disk(html_dir: Path, open_page) -> None:
    """An inline script the page did not ship is refused and reported."""
    page, watch = open_page(html_dir / "index.html")
    page.evaluate("""() => { const s = document.createElement("script");
                             s.textContent = "window.__injected = true"; document.body.append(s); }""")
    # Refused: the policy reports it (the report comes as an event, after the insertion).
    page.wait_for_function("() => window.__cspViolations.some(v => v.includes('script-src'))")
    assert page.evaluate("window.__injected === undefined")
    assert any("script-src" in v for v in watch.csp(page))


def test_search_works_from_disk_under_the_policy(editions, open_page) -> None:
    for edition in editions:
        page, watch = open_page(edition.html_dir / "search.html")
        page.goto((edition.html_dir / "search.html").as_uri() + "?q=Colossus")
        page.wait_for_selector("#search-results ul.search li")
        titles = page.locator("#search-results ul.search li a").all_inner_texts()
        assert any("Colossus" in t for t in titles), titles
        assert not watch.problems(page)


def test_theme_toggle_works_under_the_policy(html_dir: Path, open_page) -> None:
    page, watch = open_page(html_dir / "glossary.html")
    before = page.evaluate("document.body.dataset.theme")
    assert before == "auto"  # set by furo's inline script: it ran, so its hash matched
    page.locator(".theme-toggle:visible").first.click()
    after = page.evaluate("document.body.dataset.theme")
    assert after != before
    page.reload()
    assert page.evaluate("document.body.dataset.theme") == after  # kept in localStorage
    assert not watch.problems(page)


def test_copy_button_works_under_the_policy(html_dir: Path, open_page) -> None:
    page, watch = open_page(html_dir / "downloads.html")
    block = page.locator("div.highlight").first
    block.hover()
    button = block.locator("button.copybtn")
    button.click()
    page.wait_for_function("document.querySelector('button.copybtn').classList.contains('success')")
    assert not watch.problems(page)


def test_hide_search_matches_works_under_the_policy(html_dir: Path, open_page) -> None:
    """A page opened from a search result highlights the words; Sphinx's link to
    hide them (a javascript: URL, which the policy refuses) still hides them."""
    page, watch = open_page(html_dir / "article" / "colossus.html")
    page.goto((html_dir / "article" / "colossus.html").as_uri() + "?highlight=memphis")
    page.wait_for_selector("span.highlighted")
    link = page.get_by_role("link", name=re.compile("hide search matches", re.IGNORECASE))
    link.click()
    expect(page.locator("span.highlighted")).to_have_count(0)  # (evaluating JS: refused by the policy)
    expect(link).to_have_count(0)  # the link goes with the highlights
    assert not watch.problems(page), watch.problems(page)
