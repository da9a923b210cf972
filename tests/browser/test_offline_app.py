"""The site as an offline web app (issue 30), served from 127.0.0.1 as a host would.

A copy of the built site is served below a sub-path (/site/, as GitHub Pages
serves a project) by a small http.server thread; each test has its own
browser context, so that its service workers and caches are its own. After
one visit to each edition the browser goes offline: every page opens, the
search, the search panel and the glossary filter give what they gave online,
and the previews work. A second build with one page changed (the publish pass
that writes the workers, run again over the changed copy) is announced once
and, on the reader's word, replaces the cache.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import AXE_JS, DESKTOP, DOCS, PHONE, WATCH_CSP, describe_violations, run_axe

from macrohard_docs.publish.webapp import write_web_app

WAIT = 30_000
KEPT = "() => document.documentElement.dataset.offline === 'kept'"
PAGES_OF_BOTH = ["index.html", "fr/index.html"]


@pytest.fixture(scope="module")
def served(html_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """(address of the site, its folder): a copy of the built site, at /site/ on 127.0.0.1."""
    top = tmp_path_factory.mktemp("served")
    site = top / "site"
    shutil.copytree(html_dir, site)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(top)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/site/", site
    server.shutdown()
    server.server_close()


class Reader:
    """A browser context of its own (its workers and caches), and what its pages did."""

    def __init__(self, browser: Any, address: str, axe: bool = False, viewport: dict = DESKTOP) -> None:
        # With axe-core, the pages' policy is bypassed (it would refuse the script).
        self.context = browser.new_context(service_workers="allow", bypass_csp=axe, viewport=viewport)
        self.context.add_init_script(WATCH_CSP)
        if axe:
            self.context.add_init_script(path=AXE_JS)
        self.address = address
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context.on("request", lambda r: self.requests.append(r.url))
        self.context.on("page", self.watch)

    def watch(self, page: Any) -> None:
        page.on("console", lambda m: m.type == "error" and self.errors.append(f"{page.url}: {m.text}"))
        page.on("pageerror", lambda e: self.errors.append(f"{page.url}: {e}"))
        # A request the page's own navigation cut short (net::ERR_ABORTED: the test moves
        # on at DOMContentLoaded, while the control may still read offline.json) is no
        # failure; offline, a file missing from the copy fails otherwise (ERR_FAILED).
        page.on("requestfailed", lambda r: r.failure == "net::ERR_ABORTED"
                or self.errors.append(f"{page.url}: {r.url} {r.failure}"))

    def open(self, page: Any, path: str, until: str = "load") -> Any:
        response = page.goto(self.address + path, wait_until=until)
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        return page

    def visit_and_keep(self, page: Any, path: str) -> None:
        self.open(page, path)
        page.wait_for_function(KEPT, timeout=WAIT)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def reader(browser: Any, served: tuple[str, Path]) -> Iterator[Reader]:
    visitor = Reader(browser, served[0])
    yield visitor
    visitor.close()


def edition_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if not p.relative_to(site).parts[0].startswith("_"))


def search_results(reader: Reader, page: Any, edition: str, query: str) -> list[str]:
    reader.open(page, f"{edition}search.html?q={query}")
    page.wait_for_selector("#search-results .search-summary:not(:empty)", timeout=WAIT)
    return page.eval_on_selector_all("ul.search > li a", "links => links.map(a => a.getAttribute('href'))")


def panel_results(reader: Reader, page: Any, edition: str, query: str) -> list[str]:
    reader.open(page, f"{edition}article/colossus.html")
    box = page.locator("input.sidebar-search")
    box.focus()
    box.press_sequentially(query)
    page.wait_for_function(
        """text => { const box = document.querySelector('input.sidebar-search');
        const list = document.getElementById(box.getAttribute('aria-controls'));
        return box.value === text && box.getAttribute('aria-expanded') === 'true'
          && list.querySelector('[role=option]') !== null; }""", arg=query, timeout=WAIT)
    return page.eval_on_selector_all("[role=listbox] [role=option]", "os => os.map(o => o.innerText)")


def filtered_glossary(reader: Reader, page: Any, edition: str, query: str) -> tuple[str, list[str]]:
    reader.open(page, f"{edition}glossary.html")
    page.locator("#glossary-filter-input").press_sequentially(query)
    page.wait_for_function("() => !document.querySelector('#glossary-filter-count').textContent.startsWith("
                           "document.querySelectorAll('dl.figures-glossary > dt').length + ' ')")
    terms = page.eval_on_selector_all("dl.figures-glossary > dt", "ts => ts.filter(t => t.offsetParent).map(t => t.id)")
    return page.locator("#glossary-filter-count").text_content(), terms


def preview(reader: Reader, page: Any, edition: str) -> str:
    reader.open(page, f"{edition}article/colossus.html")
    page.locator("article a.reference.internal[href*='glossary.html#']").first.hover()
    tip = page.get_by_role("tooltip")
    tip.wait_for(state="visible", timeout=WAIT)
    return tip.text_content()


def what_a_reader_finds(reader: Reader, page: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for edition, query, filter_text in (("", "megawatt", "Colo"), ("fr/", "énergie", "Colo")):
        found[edition] = {
            "search": search_results(reader, page, edition, query),
            "panel": panel_results(reader, page, edition, "550 000"),
            "filter": filtered_glossary(reader, page, edition, filter_text),
            "preview": preview(reader, page, edition),
        }
    return found


def test_after_one_visit_every_page_of_both_editions_works_offline(reader: Reader, served: tuple[str, Path]) -> None:
    address, site = served
    page = reader.context.new_page()
    statuses = []
    for first in PAGES_OF_BOTH:
        reader.visit_and_keep(page, first)
        statuses.append(page.locator(".sidebar-drawer .offline-keep-status").text_content())
    status, statut = statuses
    assert re.search(r"^Kept for offline reading: \d\.\d\xa0MB on this device, complete\.", status), status
    assert re.search(r"^Gardé pour la lecture hors connexion\u202f: \d,\d\xa0Mo sur cet appareil, "
                     r"copie complète\.", statut), statut
    online = what_a_reader_finds(reader, page)
    assert all(online[e]["search"] and online[e]["panel"] and online[e]["filter"][1] for e in online), online

    reader.context.set_offline(True)
    opened = []
    for path in edition_pages(site):
        reader.open(page, path, until="domcontentloaded")  # the page is there: its text and title
        assert page.title() and page.locator("h1").count(), path
        opened.append(path)
    assert "single/index.html" in opened and "fr/single/index.html" in opened
    assert what_a_reader_finds(reader, page) == online
    assert reader.errors == []
    # The books and the zip come only on request: not in the offline copy.
    book = page.evaluate("url => fetch(url).then(r => r.status, () => 'no network')",
                         address + "_editions/macrohard-dossier-en.epub")
    assert book == "no network"
    reader.errors.clear()  # the browser logs that refused request, as asked
    reader.context.set_offline(False)

    # The control removes the copy as easily, and keeps it again.
    reader.open(page, "downloads.html")
    page.wait_for_function(KEPT, timeout=WAIT)
    on_the_page = page.locator("article .offline-keep")
    assert on_the_page.locator(".offline-keep-status").text_content() == status
    on_the_page.get_by_role("button", name="Remove the offline copy").click()
    page.wait_for_function("() => document.documentElement.dataset.offline === 'off'", timeout=WAIT)
    names = page.evaluate("caches.keys()")
    scopes = page.evaluate("navigator.serviceWorker.getRegistrations().then(rs => rs.map(r => r.scope))")
    assert [n for n in names if f" {address} " in n] == [] and address not in scopes, (names, scopes)
    reader.open(page, "index.html")  # stays removed on the next page
    page.wait_for_function("() => document.documentElement.dataset.offline === 'off'", timeout=WAIT)
    assert "Not kept" in page.locator(".offline-keep-status").text_content()
    page.locator(".sidebar-drawer .offline-keep-button").click()
    page.wait_for_function(KEPT, timeout=WAIT)

    assert reader.errors == []
    assert [u for u in reader.requests if not u.startswith(address)] == []
    assert page.evaluate("window.__cspViolations") == []


def page_text(page: Any) -> str:
    return page.locator("article").inner_text()


def test_a_new_build_is_told_once_and_replaces_the_cache(reader: Reader, served: tuple[str, Path]) -> None:
    address, site = served
    page = reader.context.new_page()
    reader.visit_and_keep(page, "about.html")
    old_text = page_text(page)
    old_version = json.loads((site / "offline.json").read_text())["version"]
    worker = (site / "sw.js").read_bytes()

    # The build's pass, run again over the same files, changes nothing...
    write_web_app(site.parent, {"en": "site", "fr": "site/fr"}, DOCS)
    assert (site / "sw.js").read_bytes() == worker
    # ...and over a site with one page changed, gives a new worker.
    about = site / "about.html"
    about.write_text(about.read_text(encoding="utf-8").replace("<h1>", "<h1>Revised: ", 1), encoding="utf-8")
    write_web_app(site.parent, {"en": "site", "fr": "site/fr"}, DOCS)
    new_version = json.loads((site / "offline.json").read_text())["version"]
    assert new_version != old_version

    reader.open(page, "about.html")  # the browser finds the new worker; the page stays as it was
    notice = page.locator(".offline-update")
    notice.wait_for(state="visible", timeout=WAIT)
    assert notice.text_content().startswith("A new edition of the dossier is online.")
    assert page_text(page) == old_text
    other = reader.context.new_page()  # told once: not again on the next page
    reader.open(other, "index.html")
    other.wait_for_function("() => document.documentElement.dataset.offlineUpdate === 'told'", timeout=WAIT)
    assert other.locator(".offline-update").count() == 0

    with page.expect_navigation(timeout=WAIT):
        notice.get_by_role("button", name="Reload").click()
    page.wait_for_function(KEPT, timeout=WAIT)
    assert page_text(page).startswith("Revised: ")
    ours = [n for n in page.evaluate("caches.keys()") if f" {address} " in n]
    assert ours == [f"macrohard-dossier {address} {new_version}"]
    # The other page, still the old build, now asks its later files of the new one: it is told.
    other.locator(".offline-update").wait_for(state="visible", timeout=WAIT)
    reader.context.set_offline(True)
    reader.open(other, "about.html")
    assert page_text(other).startswith("Revised: ")
    reader.context.set_offline(False)
    assert reader.errors == []


def test_the_control_reads_well_in_light_and_dark(browser: Any, served: tuple[str, Path]) -> None:
    """axe-core finds nothing in the control (menu and downloads page), on a phone, in both modes."""
    visitor = Reader(browser, served[0], axe=True, viewport=PHONE)
    try:
        page = visitor.context.new_page()
        report = []
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            visitor.visit_and_keep(page, "downloads.html")
            page.locator("label.nav-overlay-icon").click()  # the menu, on a phone
            page.locator(".sidebar-drawer .offline-keep-button").wait_for(state="visible", timeout=WAIT)
            results = run_axe(page, [[".offline-keep"]])
            assert results["passes"] > 3, results
            report += describe_violations(f"downloads.html ({scheme})", results["violations"])
        assert report == [], "\n".join(report)
        assert visitor.errors == []
    finally:
        visitor.close()


def test_from_disk_there_is_no_worker_and_no_error(tabs: Any, html_dir: Path) -> None:
    tab = tabs(html_dir)
    page = tab.open("article/colossus.html")
    page.wait_for_load_state("load")
    assert page.locator("script[data-root]").count() == 1  # the script is there, and does nothing
    assert page.evaluate("document.documentElement.dataset.offline") is None
    assert page.locator("link[rel=manifest]").count() == 0
    assert page.locator(".offline-keep").count() == 0
    assert tab.watch.problems(page) == []
