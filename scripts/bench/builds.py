"""Timed builds: ours against the bare project, the edit-build loop through nox,
instruction counts under valgrind, and a profile of our build."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import pstats
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import macrohard_docs

from . import DOCS, EDIT, EDITED_PAGE, LANGUAGES, ROOT, sphinx
from .bare import make_bare



@dataclass
class Timing:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def median_cpu(self) -> float:
        return statistics.median(self.cpu)

    def median_wall(self) -> float:
        return statistics.median(self.wall)

    def cell(self) -> str:
        if not self.cpu:
            return "–"
        return f"{self.median_cpu():.2f} ({self.median_wall():.2f})"


def timed(commands: list[list[str]], timing: Timing, cwd: Path = ROOT,
          env: dict[str, str] | None = None) -> None:
    """Run *commands* one after the other, fresh processes; record their wall and CPU time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    for command in commands:
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"error: build failed ({done.returncode}): {' '.join(command)}\n"
                             f"{done.stdout[-3000:]}{done.stderr[-3000:]}")
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    timing.wall.append(wall)
    timing.cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)


def everything_ours(docs: Path, out: Path, jobs: str, base_url: str = "") -> list[list[str]]:
    # --base-url: the site as deployed, naming its full addresses (hreflang,
    # canonical) at the server Lighthouse reads it from.
    return [[sys.executable, "-m", "macrohard_docs.publish", "--out", str(out), "--docs", str(docs),
             "--jobs", jobs, "--base-url", base_url]]


def everything_bare(bare: dict[str, Path], out: Path, jobs: str) -> list[list[str]]:
    return [sphinx(bare[lang], out, builder, lang, jobs)
            for lang in LANGUAGES for builder in ("html", "epub", "singlehtml")]


@contextlib.contextmanager
def edited(page: Path):
    """One page with a sentence appended, restored afterwards (also when the
    benchmark is stopped with Ctrl-C or SIGTERM)."""
    text = page.read_text(encoding="utf-8")
    previous = signal.getsignal(signal.SIGTERM)

    def stop(signum, frame):  # SIGTERM would end the process without running `finally`
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    try:
        page.write_text(text + EDIT, encoding="utf-8")
        yield
    finally:
        page.write_text(text, encoding="utf-8")
        signal.signal(signal.SIGTERM, previous)


BUILD_ROWS = [
    ("cold build, en HTML", True),
    ("cold build, fr HTML", True),
    ("no-op rebuild, en HTML", False),
    ("one page edited, en HTML", False),
    ("cold build, everything `nox -s docs` makes", False),
    ("no-op rebuild, everything", False),
    ("one page edited, everything", False),
]


def bench_builds(work: Path, rounds: int, jobs: str, log,
                 base_url: str = "") -> tuple[dict[str, tuple[Timing, Timing]], Path, Path]:
    """Build timings by row: (ours, bare). Returns them with our last site and the bare en HTML."""
    docs = work / "docs"
    shutil.copytree(DOCS, docs, ignore=shutil.ignore_patterns("_build", "__pycache__"))
    bare = {lang: make_bare(docs, work, lang) for lang in LANGUAGES}
    rows = {name: (Timing(), Timing()) for name, _ in BUILD_ROWS}
    # Our package's bytecode, as an installed package has it (pip compiles it
    # at install). An editable install under PYTHONDONTWRITEBYTECODE=1 (as on
    # this machine) would otherwise compile our modules in every build process.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(macrohard_docs.__file__).parent)],
                   check=True)
    # Warm the disk cache and pay Python's first imports (and any catalog
    # compiling) outside the measurements.
    for lang in LANGUAGES:
        for kind, project in (("ours", docs), ("bare", bare[lang])):
            subprocess.run(sphinx(project, work / "warm-up", "html", lang, jobs, f"{kind}-{lang}"),
                           check=True, capture_output=True)
    site = bare_site = work
    for round_ in range(rounds):
        log(f"builds: round {round_ + 1} of {rounds}")
        out = {kind: work / f"{kind}-{round_}" for kind in ("ours", "bare")}
        projects = {"ours": {lang: docs for lang in LANGUAGES}, "bare": bare}
        for lang in LANGUAGES:
            for index, kind in enumerate(("ours", "bare")):
                timed([sphinx(projects[kind][lang], out[kind], "html", lang, jobs)],
                      rows[f"cold build, {lang} HTML"][index])
        for index, kind in enumerate(("ours", "bare")):
            command = [sphinx(projects[kind]["en"], out[kind], "html", "en", jobs)]
            timed(command, rows["no-op rebuild, en HTML"][index])
            with edited(projects[kind]["en"] / "source" / EDITED_PAGE):
                timed(command, rows["one page edited, en HTML"][index])
        for index, kind in enumerate(("ours", "bare")):
            target = out[kind] / "everything"
            command = everything_ours(docs, target, jobs, base_url) if kind == "ours" \
                else everything_bare(bare, target, jobs)
            timed(command, rows["cold build, everything `nox -s docs` makes"][index])
            timed(command, rows["no-op rebuild, everything"][index])
            with edited(projects[kind]["en"] / "source" / EDITED_PAGE):
                timed(command, rows["one page edited, everything"][index])
        site, bare_site = out["ours"] / "everything" / "html", out["bare"] / "html-en"
        for kind, folder in out.items():  # keep the last round's sites only
            if round_ + 1 < rounds:
                shutil.rmtree(folder)
    return rows, site, bare_site


# The edit-build loop a writer runs: (row, bar on wall seconds). Each row is
# `python -m nox -s docs` against `sphinx-build -b html` of the same project.
NOX_ROWS = [
    ("no-op rebuild (nothing changed)", 2.0),
    ("one page edited", 2.0),
]
# What `nox -s docs` reads besides docs/: the session installs nothing when
# pyproject.toml is unchanged (see noxfile.install), so src/ is not needed.
NOX_FILES = ["noxfile.py", "pyproject.toml", "README.md"]


def nox_command() -> list[str]:
    """nox as the bench session has it (`python -m nox`), else the one on PATH."""
    if importlib.util.find_spec("nox"):
        return [sys.executable, "-m", "nox"]
    if found := shutil.which("nox"):
        return [found]
    raise SystemExit(f"error: nox is not installed for {sys.executable} nor on PATH. Fix: run "
                     "`nox -s bench` (its session installs nox), or `python -m pip install nox`.")


def nox_environment(jobs: str) -> dict[str, str]:
    """The caller's environment without the bench session's own virtualenv and nox
    settings, as a writer's shell has it; DOCS_JOBS makes the build use -j *jobs*,
    like the sphinx-build it is compared with."""
    env = {key: value for key, value in os.environ.items()
           if key != "VIRTUAL_ENV" and not key.startswith("NOX")}
    env["DOCS_JOBS"] = jobs
    return env


def repository_copy(work: Path, nox: list[str], env: dict[str, str]) -> Path:
    """A copy of the repository for `nox -s docs` to build and edit: the writer's
    docs/ and docs/_build stay as they are. Its .nox is the repository's, so the
    docs session's virtualenv is the writer's own, installed (untimed) from the
    repository first when it is missing or out of date."""
    done = subprocess.run([*nox, "-s", "docs", "--install-only"], cwd=ROOT, env=env, capture_output=True,
                          text=True)
    if done.returncode:
        raise SystemExit(f"error: `nox -s docs --install-only` failed ({done.returncode}) in {ROOT}:\n"
                         f"{done.stdout[-2000:]}{done.stderr[-2000:]}")
    repo = work / "repository"
    repo.mkdir()
    for name in NOX_FILES:
        shutil.copy2(ROOT / name, repo / name)
    shutil.copytree(DOCS, repo / "docs", ignore=shutil.ignore_patterns("_build", "__pycache__"))
    (repo / ".nox").symlink_to(ROOT / ".nox", target_is_directory=True)
    return repo


def bench_nox(work: Path, rounds: int, jobs: str, log) -> dict[str, tuple[Timing, Timing]]:
    """NOX_ROWS timings: (`python -m nox -s docs`, `sphinx-build -b html` of the same
    project, English), side by side in each round. Each round first brings both
    up to date (untimed: the first run of the two), then times a no-op run of
    each, then one with EDITED_PAGE edited."""
    nox = nox_command()
    env = nox_environment(jobs)
    repo = repository_copy(work, nox, env)
    docs_session = [[*nox, "-s", "docs"]]
    plain_sphinx = [sphinx(repo / "docs", work / "sphinx-loop", "html", "en", jobs)]
    rows = {name: (Timing(), Timing()) for name, _ in NOX_ROWS}
    for round_ in range(rounds):
        log(f"nox -s docs against sphinx-build: round {round_ + 1} of {rounds}")
        timed(docs_session, Timing(), cwd=repo, env=env)  # up to date (after the last round's edit)
        timed(plain_sphinx, Timing())
        timed(docs_session, rows["no-op rebuild (nothing changed)"][0], cwd=repo, env=env)
        timed(plain_sphinx, rows["no-op rebuild (nothing changed)"][1])
        with edited(repo / "docs" / "source" / EDITED_PAGE):
            timed(docs_session, rows["one page edited"][0], cwd=repo, env=env)
            timed(plain_sphinx, rows["one page edited"][1])
    return rows


def instructions(commands: dict[str, list[str]]) -> dict[str, int]:
    """Instructions each command executes, counted by valgrind (callgrind), all at once.

    Unlike CPU seconds on a shared machine, the count is the same from run to
    run, so its ratio says what our code costs without the neighbours' noise.
    """
    runs = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, command in commands.items():
            runs[name] = subprocess.Popen(
                ["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/{name}.out", *command],
                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        counts = {}
        for name, run in runs.items():
            _, err = run.communicate()
            found = re.search(r"I\s+refs:\s+([\d,]+)", err)
            if run.returncode or not found:
                raise SystemExit(f"error: valgrind on {name} failed: {err[-2000:]}")
            counts[name] = int(found.group(1).replace(",", ""))
    return counts


def bench_instructions(work: Path, jobs: str) -> dict[str, int] | None:
    """Cold HTML builds of each edition, ours, bare and bare text-only, under
    callgrind (about ten minutes); None without valgrind. Keys: "ours-en",
    "bare-en", "bare-text-en", "ours-fr", ..."""
    if not shutil.which("valgrind"):
        return None
    projects = {"ours": {lang: work / "docs" for lang in LANGUAGES},
                "bare": {lang: work / f"bare-{lang}" for lang in LANGUAGES},
                "bare-text": {lang: make_bare(work / "docs", work, lang, text_only=True) for lang in LANGUAGES}}
    return instructions({
        f"{kind}-{lang}": sphinx(projects[kind][lang], work / f"callgrind-{kind}", "html", lang, jobs)
        for lang in LANGUAGES for kind in projects})


# (label, file suffix, function): phases of a Sphinx build, cumulative seconds.
PHASES = [
    ("whole build", "sphinx/cmd/build.py", "build_main"),
    ("start-up: conf, extensions, env", "sphinx/application.py", "__init__"),
    ("read: parse + transforms", "sphinx/builders/__init__.py", "read"),
    ("  of which Sphinx translating pages", "sphinx/transforms/i18n.py", "apply"),
    ("  of which role functions", "sphinx/util/docutils.py", "__call__"),
    ("write: post-transforms, HTML, pages", "sphinx/builders/__init__.py", "write"),
    ("  of which page templates (jinja)", "sphinx/jinja2glue.py", "render"),
    ("  of which search index feed", "sphinx/search/__init__.py", "feed"),
    ("finish: static files, index dump", "sphinx/builders/html/__init__.py", "finish"),
]


def cumulative(stats: pstats.Stats, suffix: str, name: str) -> float:
    return sum(row[3] for func, row in stats.stats.items()  # type: ignore[attr-defined]
               if func[0].endswith(suffix) and func[2] == name)


def profile_builds(docs: Path, bare: dict[str, Path], work: Path, top: int = 12) -> str:
    """cProfile of a cold HTML build of each edition, ours and bare: phases, then our functions."""
    stats: dict[tuple[str, str], pstats.Stats] = {}
    for lang in LANGUAGES:
        for kind, project in (("ours", docs), ("bare", bare[lang])):
            stats_file = work / f"{kind}-{lang}.prof"
            command = sphinx(project, work / "profiled", "html", lang, "1", f"{kind}-{lang}")
            subprocess.run([sys.executable, "-m", "cProfile", "-o", str(stats_file), *command[1:]],
                           cwd=ROOT, check=True, capture_output=True)
            stats[kind, lang] = pstats.Stats(str(stats_file))
    columns = [(kind, lang) for lang in LANGUAGES for kind in ("ours", "bare")]
    lines = ["cProfile, cold HTML build, -j 1 (profiling slows builds down; compare columns, "
             "not with the table above). Cumulative seconds by phase:", "",
             "| phase | " + " | ".join(f"{k} {lang}" for k, lang in columns) + " |",
             "|---|" + "---:|" * len(columns)]
    for label, suffix, name in PHASES:
        lines.append(f"| {label} | " + " | ".join(f"{cumulative(stats[c], suffix, name):.2f}"
                                                   for c in columns) + " |")
    for lang in LANGUAGES:
        ours = [(func, row) for func, row in stats["ours", lang].stats.items()  # type: ignore[attr-defined]
                if "macrohard_docs" in func[0] and func[0].endswith(".py")]
        lines += ["", f"Our extension's functions by cumulative time ({lang}; nested calls overlap):", "",
                  "| cumulative s | own s | calls | function |", "|---:|---:|---:|---|"]
        for func, (_, calls, own, cum, _) in sorted(ours, key=lambda f: -f[1][3])[:top]:
            lines.append(f"| {cum:.3f} | {own:.3f} | {calls} | `{Path(func[0]).name}:{func[1]} {func[2]}` |")
    return "\n".join(lines)

