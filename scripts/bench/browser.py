"""The built site in Chromium: bytes each page loads, Lighthouse scores, and
search latency (scripts/bench_search.py)."""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import json
import os
import socket
import statistics
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path

import bench_search

from . import PAGES, ROOT

CHROME_FLAGS = " ".join(bench_search.ARGS)
LIGHTHOUSE = ROOT / "tests" / "node_modules" / ".bin" / "lighthouse"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class GzipHandler(QuietHandler):
    """Text files gzip-compressed, as static hosts (GitHub Pages, Read the Docs) serve them."""

    def send_head(self):  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file() or \
                path.suffix not in (".html", ".css", ".js", ".svg", ".json", ".txt"):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serve(folder: Path, compress: bool = False, port: int = 0):
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(GzipHandler if compress else QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def page_bytes(browser, url: str) -> tuple[int, int, list[str]]:
    """Body bytes of every response the page loads (fresh cache), requests, failures."""
    context = browser.new_context()
    page = context.new_page()
    sizes: list[int] = []
    failures: list[str] = []
    page.on("requestfinished", lambda request: sizes.append(request.sizes()["responseBodySize"]))
    page.on("response", lambda response: response.status >= 400 and failures.append(
        f"{response.status} {response.url}"))
    page.on("requestfailed", lambda request: failures.append(f"failed {request.url}"))
    page.goto(url, wait_until="load")
    if "search.html" in url:
        page.wait_for_selector("#search-results .search-summary:not(:empty)")
    page.wait_for_load_state("networkidle")
    context.close()
    return sum(sizes), len(sizes), failures


def bench_bytes(site: Path, bare_site: Path, port: int = 0) -> dict[str, tuple[int, int, list[str]]]:
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=bench_search.CHROMIUM, args=bench_search.ARGS)
        with serve(site, port=port) as base:
            for name, path in PAGES.items():
                results[name] = page_bytes(browser, f"{base}/{path}")
        with serve(bare_site) as base:
            results["article, bare build"] = page_bytes(browser, f"{base}/{PAGES['article']}")
        browser.close()
    return results


@dataclass
class LighthouseResult:
    scores: dict[str, list[float]] = field(default_factory=dict)
    cls: list[float] = field(default_factory=list)
    failing: dict[str, str] = field(default_factory=dict)  # audit id -> "category: title"
    shown: dict[str, list[str]] = field(default_factory=dict)  # audit id -> display values

    def median(self, category: str) -> float:
        return statistics.median(self.scores[category])


def lighthouse(url: str, result: LighthouseResult) -> None:
    command = [str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
               f"--chrome-flags={CHROME_FLAGS}"]
    done = subprocess.run(command, capture_output=True, text=True,
                          env={**os.environ, "CHROME_PATH": bench_search.CHROMIUM}, timeout=300)
    if done.returncode:
        raise SystemExit(f"error: Lighthouse failed on {url}:\n{done.stderr[-3000:]}")
    report = json.loads(done.stdout)
    if report.get("runtimeError"):
        raise SystemExit(f"error: Lighthouse on {url}: {report['runtimeError']}")
    for category, values in report["categories"].items():
        result.scores.setdefault(category, []).append(round(values["score"] * 100))
        if category == "performance":
            continue  # its score is the metrics'; the opportunities are in the report
        for ref in values["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref.get("weight") and audit.get("score") is not None and audit["score"] < 1:
                result.failing[ref["id"]] = f"{category}: {audit['title']}"
                if audit.get("displayValue"):
                    result.shown.setdefault(ref["id"], []).append(audit["displayValue"])
    metrics = report["audits"]
    result.cls.append(metrics["cumulative-layout-shift"]["numericValue"])
    for metric in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "speed-index"):
        audit = metrics[metric]
        if audit.get("score") is not None and audit["score"] < 0.9:
            result.failing[metric] = f"performance: {audit['title']} (score under 0.9)"
            result.shown.setdefault(metric, []).append(audit.get("displayValue", ""))


def bench_lighthouse(site: Path, runs: int, log, compress: bool = False,
                     port: int = 0) -> dict[str, LighthouseResult]:
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"error: no {LIGHTHOUSE}. Fix: npm ci --prefix tests")
    results = {name: LighthouseResult() for name in PAGES}
    with serve(site, compress, port) as base:
        for run in range(runs):
            for name, path in PAGES.items():
                log(f"Lighthouse: {name}, run {run + 1} of {runs}")
                lighthouse(f"{base}/{path}", results[name])
    return results


# --- search (scripts/bench_search.py) ----------------------------------------

def bench_searching(site: Path, runs: int) -> bench_search.Report:
    return bench_search.measure(site, runs)

