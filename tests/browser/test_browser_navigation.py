"""A reader's paths through the site: from a figure to its glossary entry,
and from the search box to a page."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_figure_link_lands_on_its_glossary_entry(html_dir: Path, tab) -> None:
    tab.open(html_dir / "article" / "colossus.html")
    link = tab.page.locator('article[role=main] a[href^="../glossary.html#fig-"]').first
    expect(link).to_be_visible()
    href = link.get_attribute("href")
    assert href is not None
    entry_id = href.split("#", 1)[1]
    figure = link.inner_text().strip()
    link.click()
    tab.page.wait_for_url(f"**/glossary.html#{entry_id}")

    assert tab.page.evaluate("document.querySelector(':target')?.id") == entry_id
    entry = tab.page.locator(f"dt[id='{entry_id}']")
    expect(entry).to_have_count(1)
    expect(entry).to_be_visible()
    expect(entry).to_be_in_viewport()
    # The browser did scroll to it: the entry is not at the top of the glossary.
    assert tab.page.evaluate("window.scrollY") > 0
    # The figure reads the same in the article and in the glossary.
    assert entry.inner_text().strip() == figure
    assert not tab.watch.errors, tab.watch.errors


def test_search_finds_colossus_from_file_url(html_dir: Path, tab) -> None:
    tab.open(html_dir / "search.html", "?q=Colossus")
    results = tab.page.locator("#search-results ul.search li")
    # The summary counts pages and glossary entries apart once the search ends (issue 27).
    expect(tab.page.locator("#search-results .search-summary")).to_contain_text(
        re.compile(r"\d+ (pages?|glossary entr)"), timeout=30_000)
    assert results.count() >= 1, tab.page.locator("#search-results").inner_text()

    hrefs = [a.get_attribute("href") or "" for a in tab.page.locator("#search-results ul.search li > a").all()]
    assert any(href.startswith(("glossary.html#", "article/")) for href in hrefs), hrefs
    # Every result leads somewhere that exists: the page, and the anchor on it.
    broken = []
    for href in hrefs:
        parts = urlsplit(href)
        target = html_dir / unquote(parts.path)
        if not target.is_file():
            broken.append(f"{href}: no such page")
        elif parts.fragment and not anchor_exists(target, unquote(parts.fragment)):
            broken.append(f"{href}: no element with id {unquote(parts.fragment)!r}")
    assert not broken, "search results that lead nowhere:\n  " + "\n  ".join(broken)
    tab.page.wait_for_load_state("networkidle")  # the result summaries load after the list
    assert not tab.watch.errors, tab.watch.errors


def anchor_exists(page: Path, anchor: str) -> bool:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return soup.find(id=anchor) is not None


def test_a_request_past_this_machine_is_refused_and_seen(tabs) -> None:
    """The browser reaches nothing but file:// and the loopback (helpers.NO_NETWORK),
    and the page's Watch records what a page asked for all the same."""
    tab = tabs()
    tab.page.set_content('<img src="http://192.0.2.1/a.png"><img src="https://example.org/b.png">')
    tab.page.wait_for_function("() => [...document.images].every(i => i.complete)")
    assert tab.watch.remote() == ["http://192.0.2.1/a.png", "https://example.org/b.png"]
    assert [failure.split()[-1] for failure in tab.watch.failed] == ["net::ERR_PROXY_CONNECTION_FAILED"] * 2
