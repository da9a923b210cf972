"""Budgets of the charts: page weight and build time, with charts and without.

    python scripts/bench_charts.py [--rounds N] [--jobs J]

Builds the English HTML twice per round into a temporary folder, from scratch each time and side by
side: once as published, once with ``-D figures_charts=0`` (the same pages, the charts left out).
Prints, for every page that holds a chart, its total transfer (the page plus every local
stylesheet, script and image it loads) in both builds, and the build times. Exits non-zero when a
budget is broken:

- each chart page weighs at most 25 KB (25,600 bytes) more than without charts;
- the build with charts takes at most 20 % longer than without, in CPU time (the fastest
  of the rounds of each, against a shared machine's noise; wall times are printed too).

The byte measurements are functions that tests/charts/ reuse; timings are only reported here.
"""

from __future__ import annotations

import argparse
import gzip
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SIZE_BUDGET = 25 * 1024  # bytes more per chart page
TIME_BUDGET = 0.20  # fraction more build time


class _Resources(HTMLParser):
    """Local URLs a browser fetches to show the page (not links it may follow)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "link" and a.get("href") and set((a.get("rel") or "").split()) & {
                "stylesheet", "icon", "preload", "modulepreload"}:
            self.urls.append(a["href"])  # type: ignore[arg-type]
        elif tag in ("script", "img", "source", "video", "audio", "iframe", "embed") and a.get("src"):
            self.urls.append(a["src"])  # type: ignore[arg-type]


CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")


def _local(base: Path, url: str) -> Path | None:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    return (base.parent / unquote(parts.path)).resolve()


def page_resources(page: Path) -> list[Path]:
    """The page and every local file it loads, CSS url()s included, each once."""
    parser = _Resources()
    parser.feed(page.read_text(encoding="utf-8"))
    seen: list[Path] = [page.resolve()]
    queue = [p for url in parser.urls if (p := _local(page, url))]
    while queue:
        path = queue.pop(0)
        if path in seen or not path.is_file():
            continue
        seen.append(path)
        if path.suffix == ".css":
            queue += [p for url in CSS_URL.findall(path.read_text(encoding="utf-8"))
                      if (p := _local(path, url))]
    return seen


def page_transfer(page: Path) -> int:
    """Total bytes a reader's browser loads for *page* (uncompressed)."""
    return sum(path.stat().st_size for path in page_resources(page))


def page_transfer_gzip(page: Path) -> int:
    return sum(len(gzip.compress(path.read_bytes(), 6)) for path in page_resources(page))


def chart_pages(html_dir: Path) -> list[str]:
    """Pages (relative paths) that hold at least one chart."""
    return sorted(str(p.relative_to(html_dir)) for p in html_dir.rglob("*.html")
                  if 'class="chart-svg' in p.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class PageWeight:
    page: str
    with_charts: int
    without: int

    @property
    def extra(self) -> int:
        return self.with_charts - self.without

    @property
    def within_budget(self) -> bool:
        return self.extra <= SIZE_BUDGET


def compare_pages(charts_html: Path, plain_html: Path, pages: list[str] | None = None) -> list[PageWeight]:
    return [PageWeight(page, page_transfer(charts_html / page), page_transfer(plain_html / page))
            for page in (chart_pages(charts_html) if pages is None else pages)]


def build(out: Path, charts: bool, jobs: str = "1") -> tuple[float, float]:
    """A from-scratch strict build in a fresh process: (wall, CPU) seconds.

    CPU time (user + system of the build process) is what the budget judges:
    on a machine shared with other work, wall time mostly measures the others.
    """
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-c", str(DOCS), "-d", str(out / "doctrees"),
               "-j", jobs, "-W", "--keep-going", "-n", "-q", "-D", f"figures_charts={int(charts)}",
               str(DOCS / "source"), str(out / "html")]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="alternating builds of each kind")
    parser.add_argument("--jobs", default="1")
    args = parser.parse_args(argv)

    times: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
    with tempfile.TemporaryDirectory(prefix="bench-charts-") as tmp:
        for round_ in range(args.rounds):
            for charts in (False, True):
                times[charts].append(build(Path(tmp, f"{round_}-{int(charts)}"), charts, args.jobs))
        weights = compare_pages(Path(tmp, "0-1", "html"), Path(tmp, "0-0", "html"))
        gz = {w.page: (page_transfer_gzip(Path(tmp, "0-1", "html", w.page)),
                       page_transfer_gzip(Path(tmp, "0-0", "html", w.page))) for w in weights}

    ok = True
    print(f"{'page':28} {'with charts':>12} {'without':>10} {'extra':>8} {'extra gz':>9}  budget +{SIZE_BUDGET} B")
    for w in weights:
        ok &= w.within_budget
        print(f"{w.page:28} {w.with_charts:>12,} {w.without:>10,} {w.extra:>8,} "
              f"{gz[w.page][0] - gz[w.page][1]:>9,}  {'ok' if w.within_budget else 'OVER'}")
    cpu = {kind: [t[1] for t in runs] for kind, runs in times.items()}
    wall = {kind: [t[0] for t in runs] for kind, runs in times.items()}
    best_with, best_without = min(cpu[True]), min(cpu[False])
    ratio = best_with / best_without - 1
    ok &= ratio <= TIME_BUDGET
    print()
    print(f"{'build, CPU s (wall s)':28} {'with charts':>14} {'without':>14} {'extra CPU':>10}")
    for index in range(len(cpu[True])):
        a, b = cpu[True][index], cpu[False][index]
        print(f"{'round ' + str(index + 1):28} {a:>6.2f} ({wall[True][index]:>5.2f}) "
              f"{b:>6.2f} ({wall[False][index]:>5.2f}) {a / b - 1:>+10.0%}")
    print(f"{'median':28} {statistics.median(cpu[True]):>6.2f} ({statistics.median(wall[True]):>5.2f}) "
          f"{statistics.median(cpu[False]):>6.2f} ({statistics.median(wall[False]):>5.2f}) "
          f"{statistics.median(cpu[True]) / statistics.median(cpu[False]) - 1:>+10.0%}")
    print(f"{'fastest of each (judged)':28} {best_with:>6.2f} {'':7} {best_without:>6.2f} {'':7} "
          f"{ratio:>+10.0%}  budget +{TIME_BUDGET:.0%}: {'ok' if ratio <= TIME_BUDGET else 'OVER'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
