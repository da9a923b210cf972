"""The dossier's benchmark: builds, page weight, Lighthouse, search; its tables in BENCHMARKS.md.

    nox -s bench                          (or, from the repository root: python -m scripts.bench)
    python -m scripts.bench --quick       (one round, one Lighthouse run, no valgrind: a smoke test)
    python -m scripts.bench --only builds (the build timings alone; --only may be repeated)
    python -m scripts.bench [--rounds 5] [--jobs 1] [--notes BENCHMARKS.md]

Measures, in one run on this machine, the median of --rounds runs of each:

- builds (`builds.py`), ours side by side with a *bare* project (`bare.py`:
  Sphinx + furo + MyST + sphinx-copybutton, without our extension) holding
  the same pages, with what our roles and directives show written out in
  plain MyST (links, glossary, charts as SVG; see `bare.bare_markdown`), so
  the ratio is the cost of our code rather than of Sphinx rendering more
  content: a cold HTML build of each edition (en, fr); a no-op rebuild and
  an incremental rebuild after one page is edited (en); and everything
  `nox -s docs` makes (`python -m macrohard_docs.publish`: both editions,
  EPUB, single page, PDF, zip) against the bare project's HTML, EPUB and
  single page in both languages (it has no PDF or zip). Builds run from a
  snapshot of docs/ in a temporary folder, each in a fresh process, strict
  (-W --keep-going -n). CPU seconds (user + system of the build and its
  children) are printed with wall seconds: on a machine shared with other
  work, wall time mostly measures the others. CPU seconds still vary by a
  third from run to run on this virtual machine, so when valgrind is
  installed the cold build of each edition is also run under callgrind,
  whose instruction count does not vary, and the bar is judged on that
  count (on CPU seconds without valgrind); a text-only bare project
  (mentions as plain text, no charts, glossary links or citation) is
  counted too, for comparison.
  Bar: ours / bare, cold build of one edition, at most 1.10; when over, the
  script profiles our build (cProfile) and lists where our extension spends
  its time. Our package is byte-compiled first, as any installed package is.
- the edit-build loop as a writer runs it (`builds.bench_nox`):
  `python -m nox -s docs` with nothing changed (its second run) against a
  no-op `sphinx-build -b html` of the same project, and after one page is
  edited against that page's incremental `sphinx-build -b html`, side by
  side in each round. Bars: at most 2x, in wall seconds (what the writer
  waits for).
- bytes each page type loads in Chromium (`browser.py`; landing, article,
  glossary, search.html?q=Colossus) over http://127.0.0.1 (http.server,
  which does not compress; the site is built with --base-url at that
  address, as deployed): the body bytes of every response, the document
  included, until the network is idle. Bar: the article page at most 150 KB
  (153,600 B).
- Lighthouse 12.2.3 (tests/node_modules, `npm ci --prefix tests`), mobile
  (its default), over the same server: performance, accessibility, best
  practices, SEO, and the cumulative layout shift. Bars: 100 for the last
  three, at least 95 for performance, CLS under 0.1 on the search page.
- search and filter latency: scripts/bench_search.py over the built site
  (from file:// and over http, with a blank page as the floor).

Prints the tables (`report.py`) and writes them, with the date and the
machine's load, to --notes: by default BENCHMARKS.md at the repository root,
or docs/_build/bench-notes.md for a --quick or --only run (not the tables to
commit). Exits 1 when a bar is not met (the tables say which).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
# bench_search.py sits beside this package and is run on its own too; our
# extension is read from the source tree, as the build in nox reads it.
for path in (ROOT / "src", ROOT / "scripts"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

STRICT = ["-W", "--keep-going", "-n", "-q"]
LANGUAGES = ["en", "fr"]
EDITED_PAGE = "article/colossus.md"
# No digits: page prose never types one (a test enforces it on the real pages).
EDIT = "\n\nThis sentence was added by the benchmark and is removed after it.\n"
PAGES = {  # page type -> URL path below the English root
    "landing": "index.html",
    "article": "article/colossus.html",
    "glossary": "glossary.html",
    "search": "search.html?q=Colossus",
}


def sphinx(conf: Path, out: Path, builder: str, language: str, jobs: str, name: str = "") -> list[str]:
    """A strict sphinx-build of the project whose conf.py is in *conf* (pages in conf/source)."""
    name = name or f"{builder}-{language}"
    return [sys.executable, "-m", "sphinx", "-b", builder, "-c", str(conf), "-d", str(out / "doctrees" / name),
            "-j", jobs, "-D", f"language={language}", *STRICT, str(conf / "source"), str(out / name)]


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())
