"""Timed builds, ours (as `nox -s docs` makes them, for everything) against the bare
project, and their instruction counts under valgrind."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from . import DOCS, EDIT, EDITED_PAGE, LANGUAGES, ROOT, Timing, copy_docs, log, make_bare, sphinx, timed
from .browser import ARGS, CHROMIUM

BUILD_ROWS = ["cold build, en HTML", "cold build, fr HTML", "no-op rebuild, en HTML", "one page edited, en HTML (a `nox -s serve` rebuild)",
              "cold build, everything `nox -s docs` makes", "no-op rebuild, everything", "one page edited, everything"]
NOX_FILES = ["noxfile.py", "pyproject.toml", "README.md"]  # what `nox -s docs` reads besides docs/
# A writer's shell: without the bench session's virtualenv and nox settings (DOCS_JOBS: -j as compared).
WRITER_ENV = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV" and not key.startswith("NOX")}


@contextlib.contextmanager
def edited(page: Path):
    """One page with a sentence appended, restored afterwards (also on Ctrl-C or SIGTERM: see __main__)."""
    text = page.read_text(encoding="utf-8")
    try:
        page.write_text(text + EDIT, encoding="utf-8")
        yield
    finally:
        page.write_text(text, encoding="utf-8")


def projects(work: Path) -> dict[str, Path]:
    """Ours: a copy of the repository sharing its .nox, for `nox -s docs`; bare: docs/ for plain Sphinx.
    Our package is byte-compiled as an installed one is (else each build compiles it, without .pyc)."""
    repo = work / "repository"
    if not repo.exists():
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=True)
        timed([[sys.executable, "-m", "nox", "-s", "docs", "--install-only"]], Timing(), env={**WRITER_ENV, "DOCS_JOBS": "1"})
        repo.mkdir(parents=True)
        for name in NOX_FILES:
            shutil.copy2(ROOT / name, repo / name)
        (repo / ".nox").symlink_to(ROOT / ".nox", target_is_directory=True)
        copy_docs(DOCS, repo / "docs")
        make_bare(DOCS, work / "bare")
    return {"ours": repo / "docs", "bare": work / "bare"}


def everything(kind: str, project: Path, out: Path, jobs: str, base_url: str) -> list[list[str]]:
    """Ours: `nox -s docs`; bare: its formats as plain Sphinx, Chromium's --print-to-pdf and `python -m zipfile` make them."""
    if kind == "ours":  # addresses as served
        return [[sys.executable, "-m", "nox", "-s", "docs", "--", "--base-url", base_url]]
    builds = [sphinx(project, out, builder, lang, jobs) for lang in LANGUAGES for builder in ("html", "epub", "singlehtml")]
    pdfs = [[CHROMIUM, *ARGS, "--no-pdf-header-footer", f"--print-to-pdf={out}/{lang}.pdf", (out / f"singlehtml-{lang}/index.html").as_uri()]
            for lang in LANGUAGES]
    return [*builds, *pdfs, [sys.executable, "-m", "zipfile", "-c", str(out / "html.zip"), *(str(out / f"html-{lang}") for lang in LANGUAGES)]]


def bench_builds(work: Path, rounds: int, jobs: str, base_url: str) -> tuple[dict, Path, Path]:
    """BUILD_ROWS timings, (ours, bare), side by side in each round; our site and bare's en HTML."""
    both, env = projects(work), {**WRITER_ENV, "DOCS_JOBS": jobs}
    rows = {name: (Timing(), Timing()) for name in BUILD_ROWS}
    for kind, project in both.items():  # first imports, catalogs and disk cache, outside the timings
        timed([sphinx(project, work / "warm-up", "html", lang, jobs, f"{kind}-{lang}") for lang in LANGUAGES], Timing())

    def side_by_side(row: str, command, edit: bool = False) -> None:
        for index, (kind, project) in enumerate(both.items()):
            with edited(project / "source" / EDITED_PAGE) if edit else contextlib.nullcontext():
                timed(command(kind, project), rows[row][index], cwd=both["ours"].parent, env=env)

    for round_ in range(rounds):
        log(f"builds: round {round_ + 1} of {rounds}")
        out = {kind: work / f"{kind}-{round_}" for kind in both}
        for lang in LANGUAGES:
            side_by_side(f"cold build, {lang} HTML", lambda kind, project: [sphinx(project, out[kind], "html", lang, jobs)])
        for row, edit in ((BUILD_ROWS[2], False), (BUILD_ROWS[3], True)):
            side_by_side(row, lambda kind, project: [sphinx(project, out[kind], "html", "en", jobs)], edit)
        shutil.rmtree(both["ours"] / "_build", ignore_errors=True)  # where `nox -s docs` builds
        for row, edit in ((BUILD_ROWS[4], False), (BUILD_ROWS[5], False), (BUILD_ROWS[6], True)):
            side_by_side(row, lambda kind, project: everything(kind, project, out[kind] / "all", jobs, base_url), edit)
        if round_ + 1 < rounds:  # keep the last round's sites only
            for folder in out.values():
                shutil.rmtree(folder)
    return rows, both["ours"] / "_build" / "html", out["bare"] / "html-en"


def bench_instructions(work: Path, jobs: str) -> dict[str, int] | None:
    """Instructions of cold HTML builds under callgrind, all at once (counts do not vary with the load), children
    dumped before each fork (a child starts with its parent's counters); None without valgrind. "ours-en",
    "bare-en", ...: sphinx-build of one edition; "ours": all `publish --html-only` runs."""
    if not shutil.which("valgrind"):
        return None
    both = projects(work)
    commands = {f"{kind}-{lang}": sphinx(project, work / f"callgrind-{kind}", "html", lang, jobs)
                for kind, project in both.items() for lang in LANGUAGES}
    commands["ours"] = [sys.executable, "-m", "macrohard_docs.publish", "--html-only", "--force", "--jobs", jobs,
                        "--docs", str(both["ours"]), "--out", str(work / "callgrind-publish")]
    # --dump-before=fork writes each process's work before a fork as <file>.1, .2...: all of them count.
    runs = {name: subprocess.Popen(["valgrind", "--tool=callgrind", "--trace-children=yes", "--dump-before=fork",
                                    f"--callgrind-out-file={work}/{name}.%p.callgrind", *command], cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            for name, command in commands.items()}
    counts = {}
    for name, run in runs.items():
        err = run.communicate()[1]
        found = [line.split()[1] for dump in work.glob(f"{name}.*.callgrind*")
                 for line in dump.read_text().splitlines() if line.startswith("summary:")]
        if run.returncode or not found:
            raise SystemExit(f"error: valgrind on {name} failed: {err[-2000:]}")
        counts[name] = sum(int(count) for count in found)
    return counts
