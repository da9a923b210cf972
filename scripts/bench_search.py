"""Benchmark: search results and glossary filtering, in Chromium from file://.

    python scripts/bench_search.py [--site docs/_build/html] [--runs 9]

Reports, per query, the median time from opening search.html?q=... (navigation
start) to the first result shown and to the search finished, and, for the
glossary filter, the median and worst time per keystroke (the input handler
plus the style and layout it causes). Bars: 100 ms and 16 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path
from urllib.parse import quote_plus

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
QUERIES = ["Colossus", "megawatt", "H100", "550000", "550 000", "1.55 GW", "$7 billion",
           "2025", "memory bandwidth"]
TYPED = ["colossus", "550000", "megawatt", "1,55 gw", "grok"]
SEARCH_BAR_MS = 100
KEY_BAR_MS = 16

# Records, relative to navigation start, when the first result and the
# "Search finished" summary appear.
WATCH = """
window.__bench = {};
new MutationObserver(() => {
  const b = window.__bench;
  if (b.first === undefined && document.querySelector('ul.search > li')) b.first = performance.now();
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "docs" / "_build" / "html")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    site = args.site.resolve()
    if not (site / "search.html").exists():
        print(f"error: no built site in {site}. Fix: run `nox -s docs` first.", file=sys.stderr)
        return 2
    failures = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(bypass_csp=True)  # wait_for_function needs eval
        context.add_init_script(WATCH)
        page = context.new_page()
        sphinx_only = browser.new_context(bypass_csp=True)
        sphinx_only.add_init_script(WATCH)
        # Sphinx's search page without this project's layer, for comparison.
        sphinx_only.route("**/glossary-search.js",
                          lambda route: route.fulfill(body="", content_type="text/javascript"))
        plain = sphinx_only.new_page()
        print(f"{'search.html?q=':<20}{'page ready':>11}{'1st result':>11}{'search':>9}"
              f"{'finished':>10}{'Sphinx alone':>13}{'results':>8}  bar {SEARCH_BAR_MS} ms")
        for query in QUERIES:
            url = f"{(site / 'search.html').as_uri()}?q={quote_plus(query)}"
            ready, firsts, dones, alone, count = [], [], [], [], 0
            for _ in range(args.runs):
                for tab, sink in ((page, None), (plain, alone)):
                    tab.goto(url)
                    tab.wait_for_function("window.__bench.done !== undefined")
                    bench = tab.evaluate(NAV)
                    if sink is not None:
                        sink.append(bench.get("first", bench["done"]))
                        continue
                    ready.append(bench["ready"])
                    firsts.append(bench.get("first", bench["done"]))
                    dones.append(bench["done"])
                count = page.locator("ul.search > li").count()
            first = statistics.median(firsts)
            work = statistics.median(f - r for f, r in zip(firsts, ready, strict=True))
            ok = "ok" if first <= SEARCH_BAR_MS else "SLOW"
            failures += ok != "ok"
            print(f"{query!r:<20}{statistics.median(ready):>8.0f} ms{first:>8.0f} ms{work:>6.0f} ms"
                  f"{statistics.median(dones):>7.0f} ms{statistics.median(alone):>10.0f} ms"
                  f"{count:>8}  {ok}")
        print("page ready: DOMContentLoaded starts, when Sphinx starts the search; search: 1st result minus page ready; "
              "finished: Sphinx's summary line shown.")
        print()
        page.goto((site / "glossary.html").as_uri())
        page.wait_for_selector("#glossary-filter-input")
        print(f"{'glossary filter, typed':<26}{'median/key':>12}{'worst/key':>12}  bar {KEY_BAR_MS} ms")
        for text in TYPED:
            times: list[float] = []
            for _ in range(args.runs):
                times.extend(page.evaluate(KEYSTROKES, text))
            median, worst = statistics.median(times), max(times)
            ok = "ok" if median <= KEY_BAR_MS else "SLOW"
            failures += ok != "ok"
            print(f"{text!r:<26}{median:>9.2f} ms{worst:>9.2f} ms  {ok}")
        browser.close()
    load = os.getloadavg()[0]
    print(f"\n{args.runs} runs each; medians; Chromium headless from file://; "
          f"{os.cpu_count()} CPUs, load average {load:.1f}.")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
