"""Build the site strictly and publish it only when the build succeeds.

Sphinx writes into a staging folder that persists between runs (so rebuilds
stay incremental); the published folder is replaced in one rename once every
builder has passed. A failed or interrupted build leaves the last good site
where it was.

    python -m macrohard_docs.build [--jobs N] [--out docs/_build]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import sphinx.locale
from sphinx.cmd.build import build_main

DOCS = Path("docs")  # relative to the project root, where nox runs
STRICT = ["-W", "--keep-going", "-n", "-q"]


@dataclass(frozen=True)
class Edition:
    """One Sphinx run: a builder in a language, published under `target`."""

    builder: str
    language: str
    target: str  # path below the output root, e.g. "html" or "html/fr"


# English at html/, French beside it at html/fr/ (the paths site_editions in
# docs/conf.py links between; tests/i18n checks that the two lists agree).
EDITIONS = [Edition("html", "en", "html"), Edition("html", "fr", "html/fr")]


def run_sphinx(edition: Edition, staging: Path, doctrees: Path, jobs: str, docs: Path) -> int:
    args = [
        "-b", edition.builder, "-c", str(docs), "-d", str(doctrees / edition.target),
        "-j", jobs, "-D", f"language={edition.language}", *STRICT,
        str(docs / "source"), str(staging / edition.target),
    ]
    # Sphinx caches message catalogs per process: start each language afresh.
    sphinx.locale.translators.clear()
    return build_main(args)


def publish(staging: Path, out: Path, top: str) -> None:
    """Copy the staged tree next to the live one, then swap them by renames."""
    live = out / top
    fresh = out / f".{top}.new"
    old = out / f".{top}.old"
    for leftover in (fresh, old):
        shutil.rmtree(leftover, ignore_errors=True)
    shutil.copytree(staging / top, fresh)
    if live.exists():
        live.rename(old)
    fresh.rename(live)
    shutil.rmtree(old, ignore_errors=True)


def check_writable(out: Path) -> str | None:
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".write-probe"
        probe.write_bytes(b"x" * 4096)
        probe.unlink()
    except OSError as exc:
        return f"{out}: cannot write the output folder ({exc.strerror}). Fix: free space or make it writable."
    return None


def build(out: Path, jobs: str = "auto", docs: Path = DOCS, editions: list[Edition] = EDITIONS) -> int:
    problem = check_writable(out)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    staging = out / ".staging"
    doctrees = out / ".doctrees"
    started = time.perf_counter()
    for edition in editions:
        status = run_sphinx(edition, staging, doctrees, jobs, docs)
        if status:
            print(
                f"error: the {edition.builder} build ({edition.language}) failed; "
                f"the last good site in {out} is unchanged.",
                file=sys.stderr,
            )
            return status
    for top in sorted({edition.target.split("/")[0] for edition in editions}):
        publish(staging, out, top)
    print(f"built {', '.join(e.target for e in editions)} in {time.perf_counter() - started:.1f}s "
          f"-> {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DOCS / "_build")
    parser.add_argument("--jobs", default=os.environ.get("DOCS_JOBS", "auto"))
    parser.add_argument("--docs", type=Path, default=DOCS)
    args = parser.parse_args(argv)
    return build(args.out.resolve(), args.jobs, args.docs.resolve())


if __name__ == "__main__":
    sys.exit(main())
