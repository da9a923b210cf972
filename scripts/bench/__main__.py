"""`python -m scripts.bench` (from the repository root; `nox -s bench` runs it)."""

from __future__ import annotations

import argparse
import datetime as dt
import signal
import sys
import tempfile
from pathlib import Path

from . import ROOT, __doc__ as DESCRIPTION, log, uptime
from .browser import bench_bytes, bench_lighthouse, bench_search, free_port
from .builds import bench_builds, bench_instructions
from .report import PARTS, report
from .scale import bench_scale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.bench", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="rounds of builds, and runs in Chromium (medians)")
    parser.add_argument("--jobs", default="1", help="sphinx -j of every build")
    parser.add_argument("--quick", action="store_true", help="one round; no valgrind; scale at 10x only")
    parser.add_argument("--only", action="append", choices=PARTS, help="this part only (repeatable)")
    parser.add_argument("--scale", action="append", type=int, help="scale factors (default 10 and 100)")
    parser.add_argument("--notes", type=Path, help="where to write the tables (default: see above)")
    args = parser.parse_args(argv)
    args.parts = set(args.only or PARTS) - ({"instructions"} if args.quick and not args.only else set())
    args.rounds = 1 if args.quick else args.rounds
    args.scale = args.scale or ([10] if args.quick else [10, 100])
    args.notes = args.notes or ROOT / ("docs/_build/bench-notes.md" if args.quick or args.only else "BENCHMARKS.md")
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))  # as Ctrl-C: each `finally` runs
    started, load_before = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), uptime()
    measured, errors = {}, []
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work, port = Path(tmp), free_port()  # the port our site is built for, and served at
        site = bare_site = None
        if args.parts & {"builds", "bytes", "lighthouse", "search"}:  # the last three measure its site
            log("builds: ours against bare")
            measured["builds"], site, bare_site = bench_builds(work, args.rounds, args.jobs, f"http://127.0.0.1:{port}/")
        steps = {"instructions": lambda: bench_instructions(work, args.jobs),
                 "bytes": lambda: bench_bytes(site, bare_site, port),
                 "lighthouse": lambda: bench_lighthouse(site, args.rounds, port),
                 "search": lambda: bench_search(site, args.rounds),
                 "scale": lambda: bench_scale(work, args.scale, args.rounds, args.jobs)}
        for part, measure in steps.items():
            if part in args.parts:
                log(part)
                try:
                    measured[part] = measure()
                except (Exception, SystemExit) as exc:  # noqa: BLE001 - one part's failure is reported, not fatal
                    log(errors.append(f"{part} failed: {str(exc).strip()[:2000]}") or errors[-1])
    text, missed = report(args, started, load_before, uptime(), measured, errors)
    print(text)
    args.notes.parent.mkdir(parents=True, exist_ok=True)
    args.notes.write_text(text, encoding="utf-8")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
