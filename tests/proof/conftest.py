"""Helpers for the proof tests: private checkouts, the real build command, snapshots.

A "checkout" is a copy of what a fresh clone holds (docs/ without its build
or compiled catalogs, src/, the project and deploy files) in a folder of its
own; builds run there with that copy's package first on the path, so a
checkout can be edited, broken or built without touching the working tree
or the site that other tests read.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z, for the archives' and the PDF's dates
CHECKOUT_FILES = ["pyproject.toml", "README.md", ".readthedocs.yaml", ".github", ".ci"]
NOT_CHECKED_IN = shutil.ignore_patterns("_build", "*.mo", "__pycache__", "*.egg-info")


def checkout(dest: Path, with_git: bool = False) -> Path:
    """Copy the project as a fresh clone has it into *dest*; return *dest*.

    *with_git*: its history too, so that pages are dated by their commits as
    in the working tree (without it, by the files' times)."""
    dest.mkdir(parents=True, exist_ok=True)
    if with_git and (ROOT / ".git").is_dir():  # a clone (a worktree's .git is a file)
        shutil.copytree(ROOT / ".git", dest / ".git", symlinks=True)
    shutil.copytree(ROOT / "docs", dest / "docs", ignore=NOT_CHECKED_IN)
    # The package's compiled catalog is committed (a read-only install needs it).
    shutil.copytree(ROOT / "src", dest / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in CHECKOUT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name)
        elif source.is_file():
            shutil.copy2(source, dest / name)
    return dest


def build_env(project: Path | None = None, **extra: str) -> dict[str, str]:
    """The environment of a build: this interpreter first on PATH, a fixed date,
    and, for a checkout, its own package ahead of the installed one."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **extra}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    if project is not None:
        env["PYTHONPATH"] = str(project / "src")
    return env


def build_command(docs: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "macrohard_docs.publish", "--docs", str(docs), "--out", str(out), *extra]


def run_build(project: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """The build command readers run, on a checkout's docs/, into *out*."""
    return subprocess.run(build_command(project / "docs", out, *extra), cwd=project,
                          env=build_env(project), capture_output=True, text=True, check=False)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below *folder*, by relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def differences(got: dict[str, bytes], expected: dict[str, bytes]) -> list[str]:
    """What differs between two snapshots: files missing, extra, or not identical."""
    return ([f"missing {name}" for name in sorted(expected.keys() - got.keys())]
            + [f"extra {name}" for name in sorted(got.keys() - expected.keys())]
            + [f"differs {name}" for name in sorted(got.keys() & expected.keys()) if got[name] != expected[name]])


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- Two checkouts of the same commit, built two ways ---------------------------


@dataclass(frozen=True)
class TwoBuilds:
    """A checkout built by Read the Docs' steps, and the session's own build of
    the working tree (`python -m macrohard_docs.publish --pdf required`, which
    `nox -s tests` runs): two folders, two routes, one commit."""

    rtd: Path  # checkout built by .readthedocs.yaml's build commands
    rtd_output: Path  # its $READTHEDOCS_OUTPUT
    plain: Path  # the project the session's site was built from
    plain_site: Path  # that site (html/)


def readthedocs_config(project: Path = ROOT) -> dict:
    with (project / ".readthedocs.yaml").open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def run_readthedocs_build(project: Path, output: Path, epoch: str = EPOCH) -> None:
    """Run .readthedocs.yaml's build steps as Read the Docs does: each command in a
    new shell at the checkout's root, with READTHEDOCS_OUTPUT set. (The install
    step is not run: the project is installed here already, and it would fetch
    a browser; tests/proof/test_deploy.py checks what it installs.)"""
    steps = readthedocs_config(project)["build"]["jobs"]["build"]
    env = build_env(project, READTHEDOCS="True", READTHEDOCS_OUTPUT=f"{output}/", SOURCE_DATE_EPOCH=epoch)
    for step in ("html", "epub", "pdf"):
        for command in steps[step]:
            run = subprocess.run(["bash", "-c", command], cwd=project, env=env,
                                 capture_output=True, text=True, check=False)
            assert run.returncode == 0, f"{step}: {command}\n{run.stderr}"


@pytest.fixture(scope="session")
def two_builds(tmp_path_factory: pytest.TempPathFactory, html_dir: Path) -> TwoBuilds:
    """A clean build by Read the Docs' steps, in a checkout at a path of another
    name and depth with its own copy of the package, the PDF included; beside
    the session's build of the working tree.

    The checkout is a copy of the working tree with its history: dated as the
    working tree's build was (by the last content commits, unless
    SOURCE_DATE_EPOCH says), so that only where and how it was built differ. (Two git clones dated by
    themselves: tests/offline/test_dated_by_content.py.)"""
    from macrohard_docs.site.dating import edition_epoch

    rtd = checkout(tmp_path_factory.mktemp("a") / "deeper" / "rtd", with_git=True)
    output = rtd / "_readthedocs"
    run_readthedocs_build(rtd, output, str(edition_epoch(ROOT / "docs")))
    return TwoBuilds(rtd, output, ROOT, html_dir)
