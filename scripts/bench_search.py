"""Benchmark: search results and glossary filtering, in Chromium.

    python scripts/bench_search.py [--site docs/_build/html] [--runs 9]

For each query, the median time from opening search.html?q=... (navigation
start) to:

- *page ready*: DOMContentLoaded, when Sphinx starts the search;
- *in page*: the first result is in the document;
- *shown*: the first frame drawn with it (the next animation frame has run
  its style, layout and paint; a message posted from it marks the end);
- *finished*: Sphinx's summary line ("Search finished, found ...").

Measured from file:// (the offline reader: no cache, every file read anew)
and over http:// from a local server that sends GitHub Pages' cache header
(the hosted reader, who comes from another page of the site: style sheets
and scripts are cached). *Sphinx alone* is the same page without this
project's search layer (glossary-search.js answers nothing). A *blank page*
row gives the floor: how long this Chromium on this machine takes to show a
page that has nothing in it. For the glossary filter: the median and worst
time per keystroke (the input handler plus the style and layout it causes).
*Article page* rows: the article page's own first paint (the frame after
DOMContentLoaded, as for the blank page), measured in the same run.

The search-as-you-type panel (both editions, file://): for each of more than
20 queries typed character by character into the sidebar's box of an article
page, the time from the key event to the frame that paints the panel's
results (the next animation frame has run; a message posted from it marks
the end). The first keystroke of a page, which also loads the index (the
box's first focus comes just before it), is reported on its own line.

Bars: search.html's first result shown, from file://, at most the article
page's first paint + 30 ms (and over http at most 100 ms); the panel, median
at most 16 ms and worst at most 50 ms per keystroke; the glossary filter 16 ms
per keystroke. Exits 1 when a bar is not met.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import os
import statistics
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote_plus

from playwright.sync_api import Browser, BrowserContext, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
QUERIES = ["Colossus", "megawatt", "H100", "550000", "550 000", "1.55 GW", "$7 billion",
           "2025", "memory bandwidth"]
TYPED = ["colossus", "550000", "megawatt", "1,55 gw", "grok", "tenesee"]
SEARCH_BAR_MS = 100  # over http
ARTICLE_MARGIN_MS = 30  # file://: at most the article page's first paint + this
KEY_BAR_MS = 16
PANEL_WORST_MS = 50
ARTICLE = "article/colossus.html"
# Typed into the panel, character by character, per edition: figures in the
# forms people type, names, words, phrases, and misspellings (corrected as typed).
PANEL_QUERIES = {
    "en": ["colossus", "550000", "550 000", "550,000", "1.55 gw", "$7 billion", "122 days",
           "200,000", "megawatt", "grok", "memphis", "h100", "nvidia", "xai valuation",
           "gas turbines", "2025", "elon musk", "memory bandwidth", "azure", "power per gpu",
           "microsoft", "exabyte", "colosus", "tenesee memphis"],
    "fr": ["colossus", "550000", "550 000", "1,55 gw", "7 milliards", "122 jours", "200 000",
           "mégawatt", "grok", "memphis", "h100", "nvidia", "valorisation", "turbines à gaz",
           "2025", "elon musk", "bande passante", "azure", "puissance par gpu", "microsoft",
           "exaoctet", "energie", "colosus", "tenesee"],
}
BLANK = "<!doctype html><html lang=en><title>Blank</title><p>Blank.</p></html>"

# Records, relative to navigation start, when the first result is in the
# page, when the frame that draws it is done, and when the "Search finished"
# summary appears. (A blank page has no results: its frame is the first.)
WATCH = """
window.__bench = {};
const framed = (key) => requestAnimationFrame(() => {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => { window.__bench[key] = performance.now(); };
  channel.port2.postMessage(null);
});
// A page without search results (the blank page, the article): its first frame.
addEventListener("DOMContentLoaded", () => {
  if (!document.getElementById("search-results")) framed("shown");
});
new MutationObserver(() => {
  const b = window.__bench;
  if (b.first === undefined && document.querySelector('ul.search > li')) {
    b.first = performance.now();
    framed("shown");
  }
  const s = document.querySelector('#search-results .search-summary');
  if (b.done === undefined && s && s.textContent) b.done = performance.now();
}).observe(document, {childList: true, subtree: true, characterData: true});
"""

NAV = """() => ({...window.__bench,
  ready: performance.getEntriesByType('navigation')[0].domContentLoadedEventStart})"""

KEYSTROKES = """text => {
  const input = document.getElementById('glossary-filter-input');
  const times = [];
  input.value = '';
  input.dispatchEvent(new Event('input'));
  for (const ch of text) {
    const t0 = performance.now();
    input.value += ch;
    input.dispatchEvent(new Event('input'));
    void document.body.offsetHeight;  // style and layout for the new state
    times.push(performance.now() - t0);
  }
  return times;
}"""


# In the panel: from each keydown to the frame that paints the panel's answer
# (search-panel-ui.js refills its listbox on every input; the observer sees it).
PANEL_WATCH = """() => {
  window.__keys = [];
  let pending = null;
  addEventListener('keydown', () => { pending = performance.now(); }, true);
  // Characters off the keyboard layout ("é") arrive as text input, without a keydown.
  addEventListener('beforeinput', () => { if (pending === null) pending = performance.now(); }, true);
  new MutationObserver(() => {
    if (pending === null || !document.querySelector('.search-panel [role=option]')) return;
    const t0 = pending;
    pending = null;
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => { window.__keys.push(performance.now() - t0); };
      channel.port2.postMessage(null);
    });
  }).observe(document.querySelector('form.sidebar-search-container'), {childList: true, subtree: true});
}"""


@dataclass
class PanelRow:
    edition: str
    queries: int
    keystrokes: int
    median: float
    worst: float
    first_median: float  # the first keystroke of a page (it loads the index)
    first_worst: float

    @property
    def ok(self) -> bool:
        return self.median <= KEY_BAR_MS and self.worst <= PANEL_WORST_MS


@dataclass
class SearchRow:
    query: str
    results: int
    ready: float  # file://
    first: float  # file://, in the page
    shown: float  # file://
    done: float  # file://
    shown_http: float
    alone: float  # Sphinx alone, shown, file://
    bar: float = SEARCH_BAR_MS  # file://: the article page's first paint + ARTICLE_MARGIN_MS

    @property
    def ok(self) -> bool:
        return self.shown <= self.bar and self.shown_http <= SEARCH_BAR_MS


@dataclass
class FilterRow:
    typed: str
    median: float
    worst: float

    @property
    def ok(self) -> bool:
        return self.median <= KEY_BAR_MS


@dataclass
class Report:
    blank: SearchRow
    searches: list[SearchRow]
    filters: list[FilterRow]
    runs: int
    article: SearchRow | None = None
    panels: list[PanelRow] | None = None

    @property
    def ok(self) -> bool:
        return all(row.ok for row in [*self.searches, *self.filters, *(self.panels or [])])


class CachingHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with GitHub Pages' Cache-Control, so a reader's cache is used."""

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def served(folder: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(CachingHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def watched(browser: Browser, sphinx_alone: bool = False) -> BrowserContext:
    context = browser.new_context(bypass_csp=True)  # wait_for_function needs eval
    context.add_init_script(WATCH)
    if sphinx_alone:
        context.route("**/glossary-search.js",
                      lambda route: route.fulfill(body="", content_type="text/javascript"))
    return context


def open_and_time(context: BrowserContext, url: str) -> dict[str, float]:
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(url)
    page.wait_for_function("window.__bench.shown !== undefined"
                           " && (!document.getElementById('search-results') || window.__bench.done !== undefined)")
    return page.evaluate(NAV)


def median(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def type_timed(page, text: str) -> None:
    """Type *text* key by key, each key once the panel has painted the last one's answer."""
    for char in text:
        count = page.evaluate("window.__keys.length")
        page.keyboard.type(char)
        page.wait_for_function("n => window.__keys.length > n", arg=count, timeout=10_000)


def measure_panel(browser: Browser, html_dir: Path, edition: str, runs: int) -> PanelRow:
    """Each run: a fresh article page, its box focused, every query typed key by key."""
    queries = PANEL_QUERIES[edition]
    keys: list[float] = []
    first: list[float] = []
    for _ in range(runs):
        context = browser.new_context(bypass_csp=True)
        page = context.new_page()
        page.goto((html_dir / ARTICLE).as_uri())
        page.wait_for_load_state("load")
        page.evaluate(PANEL_WATCH)
        page.focus("input.sidebar-search")  # the first focus starts loading the index
        for number, query in enumerate(queries):
            if number:  # clearing the box is no keystroke of the query
                page.evaluate("""() => { const box = document.querySelector('input.sidebar-search');
                    box.value = ''; box.dispatchEvent(new Event('input')); window.__keys = []; }""")
            type_timed(page, query)
            times = page.evaluate("window.__keys")
            if number == 0:
                first.append(times[0])
                times = times[1:]
            keys.extend(times)
        context.close()
    return PanelRow(edition, len(queries), len(keys), statistics.median(keys), max(keys),
                    statistics.median(first), max(first))


def measure(site: Path, runs: int) -> Report:
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as tmp, served(site) as http:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        ours, alone, hosted = watched(browser), watched(browser, sphinx_alone=True), watched(browser)
        blank_file = Path(tmp) / "blank.html"
        blank_file.write_text(BLANK, encoding="utf-8")
        # Over http, the reader comes from another page of the site: its cache is warm.
        hosted.new_page().goto(http + "glossary.html")
        blank, article = [], []
        for _ in range(runs):  # interleaved, as below
            blank.append(open_and_time(ours, blank_file.as_uri()))
            article.append(open_and_time(ours, (site / ARTICLE).as_uri()))
        blank_row = SearchRow("(blank page)", 0, median(blank, "ready"), 0, median(blank, "shown"), 0,
                              0, 0)
        article_row = SearchRow("(article page)", 0, median(article, "ready"), 0,
                                median(article, "shown"), 0, 0, 0)
        bar = article_row.shown + ARTICLE_MARGIN_MS
        searches = []
        for query in QUERIES:
            rel = f"search.html?q={quote_plus(query)}"
            timings: dict[str, list[dict[str, float]]] = {"ours": [], "alone": [], "http": []}
            for _ in range(runs):  # interleaved, so a busy moment hits every column alike
                timings["ours"].append(open_and_time(ours, f"{(site / 'search.html').as_uri()}?q={quote_plus(query)}"))
                timings["alone"].append(open_and_time(alone, f"{(site / 'search.html').as_uri()}?q={quote_plus(query)}"))
                timings["http"].append(open_and_time(hosted, http + rel))
            count = ours.pages[0].locator("ul.search > li").count()
            runs_ = timings["ours"]
            searches.append(SearchRow(query, count, median(runs_, "ready"), median(runs_, "first"),
                                      median(runs_, "shown"), median(runs_, "done"),
                                      median(timings["http"], "shown"), median(timings["alone"], "shown"),
                                      bar))
        # The article page once more, after the searches: the bar holds if the machine slowed.
        article_after = [open_and_time(ours, (site / ARTICLE).as_uri()) for _ in range(runs)]
        article_row.first = median(article_after, "shown")
        page = ours.pages[0]
        page.goto((site / "glossary.html").as_uri())
        page.wait_for_selector("#glossary-filter-input")
        filters = []
        for text in TYPED:
            times: list[float] = []
            for _ in range(runs):
                times.extend(page.evaluate(KEYSTROKES, text))
            filters.append(FilterRow(text, statistics.median(times), max(times)))
        panels = [measure_panel(browser, site / path, edition, runs)
                  for edition, path in (("en", ""), ("fr", "fr")) if (site / path / ARTICLE).exists()]
        browser.close()
    return Report(blank_row, searches, filters, runs, article_row, panels)


def print_report(report: Report) -> None:
    article = report.article
    bar = f"article + {ARTICLE_MARGIN_MS} ms" if article else f"{SEARCH_BAR_MS} ms"
    print(f"{'search.html?q=':<20}{'ready':>7}{'in page':>9}{'shown':>7}{'finished':>10}"
          f"{'http shown':>12}{'Sphinx alone':>14}{'results':>8}  bar: shown ≤ {bar}, http ≤ {SEARCH_BAR_MS} ms")
    blank = report.blank
    print(f"{blank.query:<20}{blank.ready:>7.0f}{'':>9}{blank.shown:>7.0f}")
    if article:
        print(f"{article.query:<20}{article.ready:>7.0f}{'':>9}{article.shown:>7.0f}"
              f"   (first paint; {article.first:.0f} ms when measured again after the searches)")
    for row in report.searches:
        print(f"{row.query!r:<20}{row.ready:>7.0f}{row.first:>9.0f}{row.shown:>7.0f}{row.done:>10.0f}"
              f"{row.shown_http:>12.0f}{row.alone:>14.0f}{row.results:>8}  {'ok' if row.ok else 'SLOW'}")
    print("ms from navigation start, file:// unless marked http; see the docstring for each column.")
    print()
    print(f"{'glossary filter, typed':<26}{'median/key':>12}{'worst/key':>12}  bar {KEY_BAR_MS} ms")
    for f in report.filters:
        print(f"{f.typed!r:<26}{f.median:>9.2f} ms{f.worst:>9.2f} ms  {'ok' if f.ok else 'SLOW'}")
    if report.panels:
        print()
        print(f"{'search as you type (panel)':<28}{'queries':>8}{'keys':>6}{'median/key':>12}{'worst/key':>11}"
              f"  bar median ≤ {KEY_BAR_MS} ms, worst ≤ {PANEL_WORST_MS} ms")
        for row in report.panels:
            print(f"{row.edition + ', file://':<28}{row.queries:>8}{row.keystrokes:>6}{row.median:>9.2f} ms"
                  f"{row.worst:>8.2f} ms  {'ok' if row.ok else 'SLOW'}")
            print(f"{'  first key (loads index)':<28}{'':>8}{report.runs:>6}{row.first_median:>9.2f} ms"
                  f"{row.first_worst:>8.2f} ms  (no bar)")
        print("ms from the keydown to the frame that paints the panel's results.")
    print(f"\n{report.runs} runs each; medians; Chromium headless; {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "docs" / "_build" / "html")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    site = args.site.resolve()
    if not (site / "search.html").exists():
        print(f"error: no built site in {site}. Fix: run `nox -s docs` first.", file=sys.stderr)
        return 2
    report = measure(site, args.runs)
    print_report(report)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
