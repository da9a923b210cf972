"""`python -m scripts.bench` (from the repository root; `nox -s bench` runs it):
the arguments, and each part measured in turn (see the package's docstring)."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import shutil
import sys
import tempfile
from pathlib import Path

from . import LANGUAGES, ROOT, __doc__ as DESCRIPTION, log, uptime
from .browser import bench_bytes, bench_lighthouse, bench_searching, free_port
from .builds import BUILD_ROWS, bench_builds, bench_instructions, bench_nox, profile_builds
from .report import RATIO_BAR, report

PARTS = ["builds", "nox", "instructions", "bytes", "lighthouse", "search"]
# Parts that measure the site, the bare projects or the snapshot the builds part makes.
NEED_BUILDS = {"instructions", "bytes", "lighthouse", "search"}


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m scripts.bench", description=DESCRIPTION.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="rounds of builds (median taken)")
    parser.add_argument("--lighthouse-runs", type=int, default=3)
    parser.add_argument("--search-runs", type=int, default=5)
    parser.add_argument("--jobs", default="1", help="sphinx -j for every build (both projects)")
    parser.add_argument("--quick", action="store_true", help="one round, one Lighthouse run, 3 search runs")
    parser.add_argument("--profile", choices=["auto", "always", "never"], default="auto",
                        help="profile our build: when the ratio is over its bar (auto)")
    parser.add_argument("--gzip", action="store_true",
                        help="Lighthouse over a server that gzips text files, as static hosts do")
    parser.add_argument("--skip", action="append", default=[], choices=["lighthouse", "search", "instructions"])
    parser.add_argument("--only", action="append", default=[], choices=PARTS,
                        help="measure only this part (repeatable); the builds part also runs when "
                             "another part needs its site")
    parser.add_argument("--notes", type=Path,
                        help="where the tables are written, besides stdout (default: BENCHMARKS.md at the "
                             "repository root; docs/_build/bench-notes.md for a --quick or --only run, "
                             "whose tables are not the ones to commit)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds, args.lighthouse_runs, args.search_runs = 1, 1, 3
        args.skip.append("instructions")
    if args.notes is None:
        partial = args.quick or args.only
        args.notes = ROOT / "docs" / "_build" / "bench-notes.md" if partial else ROOT / "BENCHMARKS.md"
    wanted = set(args.only or PARTS) - set(args.skip)
    if wanted & NEED_BUILDS:
        wanted.add("builds")
    args.parts = wanted
    return args


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    started = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    load_before = uptime()
    errors: list[str] = []

    def attempt(what: str, part: str, measure):
        """One part's failure is reported in the table, not lost with the others."""
        if part not in args.parts:
            return None
        log(what)
        try:
            return measure()
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - reported, and fails the run
            errors.append(f"{what} failed: {str(exc).strip()[:2000]}")
            log(errors[-1])
            return None

    with contextlib.ExitStack() as stack:
        if args.keep:
            shutil.rmtree(args.keep, ignore_errors=True)
            args.keep.mkdir(parents=True)
            work = args.keep
        else:
            work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-")))
        rows = profile = None
        if "builds" in args.parts:
            port = free_port()  # where our site will be served, known to its build
            rows, site, bare_site = bench_builds(work, args.rounds, args.jobs, log, f"http://127.0.0.1:{port}/")
            ratio = max(rows[name][0].median_cpu() / rows[name][1].median_cpu()
                        for name, barred in BUILD_ROWS if barred)
            if args.profile == "always" or (args.profile == "auto" and ratio > RATIO_BAR):
                log("profiling our build")
                profile = profile_builds(work / "docs", {lang: work / f"bare-{lang}" for lang in LANGUAGES}, work)
        loop = attempt("nox -s docs against sphinx-build", "nox",
                       lambda: bench_nox(work, args.rounds, args.jobs, log))
        counts = attempt("instructions (valgrind)", "instructions", lambda: bench_instructions(work, args.jobs))
        bytes_ = attempt("bytes in Chromium", "bytes", lambda: bench_bytes(site, bare_site, port))
        lh = attempt("Lighthouse", "lighthouse",
                     lambda: bench_lighthouse(site, args.lighthouse_runs, log, args.gzip, port))
        search = attempt("search and filter latency", "search", lambda: bench_searching(site, args.search_runs))
        text, misses = report(args, started, load_before, rows, counts, bytes_, lh, search, profile, errors, loop)
    print(text)
    args.notes.parent.mkdir(parents=True, exist_ok=True)
    args.notes.write_text(text, encoding="utf-8")
    log(f"written to {args.notes}")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
