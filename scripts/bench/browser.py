"""The built site in Chromium: bytes each page loads, Lighthouse scores, and the
glossary filter's and search panel's milliseconds per key."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import socket
import subprocess
import threading
from pathlib import Path

from . import ROOT, log

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
LIGHTHOUSE = ROOT / "tests" / "node_modules" / ".bin" / "lighthouse"
PAGES = {"landing": "index.html", "article": "article/colossus.html", "glossary": "glossary.html",
         "search": "search.html?q=Colossus"}
FILTER_TYPED = ["colossus", "550000", "megawatt", "1,55 gw", "grok", "tenesee"]
# Typed into the panel of an article page, per edition: figures as typed, names, words, misspellings.
PANEL_TYPED = {"en": ["colossus", "550000", "550 000", "550,000", "1.55 gw", "$7 billion", "122 days", "200,000",
                      "megawatt", "grok", "memphis", "h100", "nvidia", "xai valuation", "gas turbines", "2025",
                      "elon musk", "memory bandwidth", "azure", "power per gpu", "microsoft", "exabyte", "colosus", "tenesee memphis"],
               "fr": ["colossus", "550000", "550 000", "1,55 gw", "7 milliards", "122 jours", "200 000", "mégawatt",
                      "grok", "memphis", "h100", "nvidia", "valorisation", "turbines à gaz", "2025", "elon musk",
                      "bande passante", "azure", "puissance par gpu", "microsoft", "exaoctet", "energie", "colosus", "tenesee"]}
KEYS_JS = (Path(__file__).parent / "keys.js").read_text(encoding="utf-8")


def in_page(page, function: str, argument: object = None) -> object:
    return page.evaluate(f"argument => ({KEYS_JS}).{function}(argument)", argument)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None: ...


def free_port() -> int:
    with socket.socket() as probe:
        return probe.bind(("127.0.0.1", 0)) or probe.getsockname()[1]


@contextlib.contextmanager
def served(folder: Path, port: int = 0):
    """*folder* over http://127.0.0.1, uncompressed."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port),
                                             functools.partial(QuietHandler, directory=str(folder)))
    with server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()


@contextlib.contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:  # its end closes the browser
        yield playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)


def page_bytes(browser, url: str) -> tuple[int, int, list[str]]:
    """Body bytes of every response the page loads (fresh cache), requests, failures."""
    page = browser.new_page()  # in a context of its own, closed with it
    sizes, failures = [], []
    page.on("requestfinished", lambda request: sizes.append(request.sizes()["responseBodySize"]))
    page.on("response", lambda response: response.status >= 400 and failures.append(f"{response.status} {response.url}"))
    page.on("requestfailed", lambda request: failures.append(f"failed {request.url}"))
    page.goto(url, wait_until="load")
    if "search.html" in url:
        page.wait_for_selector("#search-results .search-summary:not(:empty)")
    page.wait_for_load_state("networkidle")
    page.close()
    return sum(sizes), len(sizes), failures


def bench_bytes(site: Path, bare_site: Path, port: int) -> dict[str, tuple[int, int, list[str]]]:
    with chromium() as browser, served(site, port) as base, served(bare_site) as bare:
        results = {name: page_bytes(browser, f"{base}/{path}") for name, path in PAGES.items()}
        results["article, bare build"] = page_bytes(browser, f"{bare}/{PAGES['article']}")
    return results


def bench_lighthouse(site: Path, runs: int, port: int) -> dict[str, dict[str, list[float]]]:
    """Per page: each category's scores (0-100) and the cumulative layout shift ("cls"), a list per run."""
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"error: no {LIGHTHOUSE}. Fix: npm ci --prefix tests")
    results = {name: {} for name in PAGES}
    with served(site, port) as base:
        for run in range(runs):
            for name, path in PAGES.items():
                log(f"Lighthouse: {name}, run {run + 1} of {runs}")
                done = subprocess.run([str(LIGHTHOUSE), f"{base}/{path}", "--output=json", "--output-path=stdout",
                                       "--quiet", f"--chrome-flags={' '.join(ARGS)}"], capture_output=True,
                                      text=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=300)
                report = json.loads(done.stdout or "{}")
                if done.returncode or report.get("runtimeError"):
                    raise SystemExit(f"error: Lighthouse on {path}: {report.get('runtimeError') or done.stderr[-2000:]}")
                for category, values in report["categories"].items():
                    results[name].setdefault(category, []).append(round(values["score"] * 100))
                results[name].setdefault("cls", []).append(report["audits"]["cumulative-layout-shift"]["numericValue"])
    return results


def filter_keys(browser, glossary: Path, typed: list[str], runs: int) -> dict[str, list[float]]:
    """Milliseconds of each key typed into the filter of the glossary page *glossary*, by text typed."""
    page = browser.new_page()
    page.goto(glossary.as_uri())
    page.wait_for_selector("#glossary-filter-input")
    times = {text: [t for _ in range(runs) for t in in_page(page, "filterKeys", text)] for text in typed}
    page.close()
    return times


def panel_keys(browser, html_dir: Path, typed: list[str], runs: int) -> tuple[list[float], list[float]]:
    """Milliseconds from each key to the panel's painted answer; apart, each page's first key (it loads the index)."""
    keys, first = [], []
    for _ in range(runs):
        page = browser.new_page(bypass_csp=True)  # wait_for_function evaluates
        page.goto((html_dir / PAGES["article"]).as_uri())
        page.wait_for_load_state("load")
        in_page(page, "watchPanel")
        page.focus("input.sidebar-search")
        for number, query in enumerate(typed):
            if number:
                in_page(page, "clearPanel")
            for char in query:  # each key once the panel has painted the last one's answer
                count = page.evaluate("window.__keys.length")
                page.keyboard.type(char)
                page.wait_for_function("n => window.__keys.length > n", arg=count, timeout=10_000)
            times = page.evaluate("window.__keys")
            first += times[:1] if number == 0 else []
            keys += times[1:] if number == 0 else times
        page.close()
    return keys, first


def bench_search(site: Path, runs: int) -> dict[str, object]:
    """{"filter": {typed: ms}, "panel": {edition: (ms, first keys' ms)}} on the built site, file://."""
    with chromium() as browser:
        return {"filter": filter_keys(browser, site / PAGES["glossary"], FILTER_TYPED, runs),
                "panel": {lang: panel_keys(browser, site / path, PANEL_TYPED[lang], runs)
                          for lang, path in (("en", ""), ("fr", "fr")) if (site / path / PAGES["article"]).exists()}}
