"""Build time of both editions against English alone, measured in one run.

    python scripts/bench_editions.py [--rounds 3] [--jobs 1]

Each round builds from scratch into a fresh temporary folder (no doctrees, no
staging: the cost a clean checkout or CI pays), English alone and then both
editions, through the same `macrohard_docs.publish.build.build` that `nox -s docs`
runs; a warm-up build first pays Python's imports. It also times a no-change
rebuild of both editions (the incremental case). Prints medians and minima
(the minimum is the least disturbed run on a shared machine).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from macrohard_docs.publish.build import build, editions_of  # noqa: E402

EDITIONS = editions_of(Path(__file__).resolve().parents[1] / "docs")  # as docs/conf.py declares them


def timed_build(out: Path, editions: list, jobs: str) -> float:
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        status = build(out, jobs=jobs, docs=ROOT / "docs", editions=editions)
    elapsed = time.perf_counter() - started
    if status:
        raise SystemExit(f"build failed ({status})")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", default="1")
    args = parser.parse_args()
    os.chdir(ROOT)
    english = [e for e in EDITIONS if e.language == "en"]
    both = [e for e in EDITIONS if e.builder == "html"]
    results: dict[str, list[float]] = {"English alone": [], "both editions": [],
                                       "both, no-change rebuild": []}
    with tempfile.TemporaryDirectory() as tmp:
        timed_build(Path(tmp, "warm-up"), english, args.jobs)
        for round_ in range(args.rounds):
            results["English alone"].append(timed_build(Path(tmp, f"en-{round_}"), english, args.jobs))
            out = Path(tmp, f"both-{round_}")
            results["both editions"].append(timed_build(out, both, args.jobs))
            results["both, no-change rebuild"].append(timed_build(out, both, args.jobs))
    print(f"clean builds, -j {args.jobs}, median of {args.rounds} rounds:")
    for name, times in results.items():
        print(f"  {name:<26} median {statistics.median(times):6.2f} s   min {min(times):6.2f} s   "
              f"({', '.join(f'{t:.2f}' for t in times)})")
    for stat in (statistics.median, min):
        ratio = stat(results["both editions"]) / stat(results["English alone"])
        print(f"  both / English alone ({stat.__name__}) {ratio:5.2f} x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
