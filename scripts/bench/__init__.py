"""The dossier's benchmark: our build against plain Sphinx, and the site in Chromium.

    nox -s bench                       (or: python -m scripts.bench; --help lists the options)
    nox -s bench -- --quick            (one round, no valgrind, scale at 10x only)
    nox -s bench -- --only scale --scale 10 --scale 100

Parts, side by side in one run: builds (ours, everything as `nox -s docs` makes it, against
*bare*: docs/ built by plain Sphinx with `stub.py` for our extension, our roles and directives
printing their own text), instructions (callgrind), bytes and lighthouse (the site in
Chromium), search (the glossary filter's and search panel's ms per key), scale (`scale.py`).
Writes `report.py`'s tables to BENCHMARKS.md (docs/_build/bench-notes.md for --quick or
--only); exits 1 on a missed bar.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from macrohard_docs.figures.editions import editions_in

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
LANGUAGES = [edition.language for edition in editions_in(DOCS)]  # conf.py's edition records
EDITED_PAGE = "article/colossus.md"
# No digits: page prose never types one (a test enforces it on the real pages).
EDIT = "\n\nThis sentence was added by the benchmark and is removed after it.\n"
BARE_CONF = """# The bare project of scripts/bench: our conf.py, with the stub for our extension.
import sys
sys.path.insert(0, {stub!r})
exec(compile(open("conf_ours.py", encoding="utf-8").read(), "conf_ours.py", "exec"))
extensions = ["stub" if name == "macrohard_docs" else name for name in extensions]
templates_path = []  # ours fill in what only our extension provides
"""


def sphinx(conf: Path, out: Path, builder: str, language: str, jobs: str, name: str = "") -> list[str]:
    """A strict sphinx-build of the project whose conf.py is in *conf* (pages in conf/source)."""
    name = name or f"{builder}-{language}"
    return [sys.executable, "-m", "sphinx", "-b", builder, "-c", str(conf), "-d", str(out / "doctrees" / name),
            "-j", jobs, "-D", f"language={language}", "-W", "--keep-going", "-n", "-q", str(conf / "source"), str(out / name)]


def copy_docs(docs: Path, target: Path) -> Path:
    return shutil.copytree(docs, target, ignore=shutil.ignore_patterns("_build", "__pycache__"))


def make_bare(docs: Path, target: Path) -> Path:
    bare = copy_docs(docs, target)
    (bare / "conf.py").rename(bare / "conf_ours.py")
    (bare / "conf.py").write_text(BARE_CONF.format(stub=str(Path(__file__).parent)), encoding="utf-8")
    return bare


@dataclass
class Timing:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # user + system, of the command and its children

    def median_cpu(self) -> float:
        return statistics.median(self.cpu)

    def cell(self) -> str:
        return f"{self.median_cpu():.2f} ({statistics.median(self.wall):.2f})" if self.cpu else "–"


def timed(commands: list[list[str]], timing: Timing, cwd: Path = ROOT, env: dict[str, str] | None = None) -> None:
    """Run *commands* one after the other, fresh processes; record their wall and CPU time, all descendants'."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    prctl = ctypes.CDLL(None).prctl
    prctl(36, 1)  # PR_SET_CHILD_SUBREAPER: their orphans become ours (Chromium's renderers: none waits for them)
    for command in commands:
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"error: build failed ({done.returncode}): {' '.join(command)}\n"
                             f"{done.stdout[-3000:]}{done.stderr[-3000:]}")
    with contextlib.suppress(ChildProcessError):  # waited for, RUSAGE_CHILDREN counts them (no other child runs)
        while True:
            os.wait()
    prctl(36, 0)
    timing.wall.append(time.perf_counter() - started)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    timing.cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def uptime() -> str:
    return "load average " + ", ".join(f"{load:.2f}" for load in os.getloadavg())
