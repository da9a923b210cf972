"""The proof tests' own fixture: two clones of one commit, built two ways; and checkouts.

A "checkout" (helpers.checkout) is a copy of what a fresh clone holds (docs/
without its build or compiled catalogs, src/, the project and deploy files)
in a folder of its own; builds run there with that copy's package first on
the path, so a checkout can be edited, broken or built without touching the
working tree or the site that other tests read.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from helpers import EPOCH, ROOT, build_env

# --- Two clones of the same commit, built two ways ------------------------------

FIRST_DATE = "2026-01-02T03:04:05+00:00"  # the commit of every file
LAST_DATE = "2026-01-05T10:00:00+00:00"  # then one page alone: the glossary


@dataclass(frozen=True)
class TwoBuilds:
    """Two clones of one commit, one built by Read the Docs' steps and one by
    the build command `nox -s docs` runs: two folders, two routes, one commit."""

    rtd: Path  # clone built by .readthedocs.yaml's build commands
    rtd_output: Path  # its $READTHEDOCS_OUTPUT
    plain: Path  # clone built by `python -m macrohard_docs.publish --pdf required`
    plain_site: Path  # that site (html/)


def readthedocs_config(project: Path = ROOT) -> dict:
    with (project / ".readthedocs.yaml").open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def run_readthedocs_build(project: Path, output: Path, epoch: str | None = EPOCH) -> None:
    """Run .readthedocs.yaml's build steps as Read the Docs does: each command in a
    new shell at the checkout's root, with READTHEDOCS_OUTPUT set, and
    SOURCE_DATE_EPOCH only if *epoch* is given. (The install step is not run:
    the project is installed here already, and it would fetch a browser;
    tests/proof/test_deploy.py checks what it installs.)"""
    steps = readthedocs_config(project)["build"]["jobs"]["build"]
    env = build_env(project, READTHEDOCS="True", READTHEDOCS_OUTPUT=f"{output}/")
    if epoch is None:
        del env["SOURCE_DATE_EPOCH"]
    else:
        env["SOURCE_DATE_EPOCH"] = epoch
    for step in ("html", "epub", "pdf"):
        for command in steps[step]:
            run = subprocess.run(["bash", "-c", command], cwd=project, env=env,
                                 capture_output=True, text=True, check=False)
            assert run.returncode == 0, f"{step}: {command}\n{run.stderr}"


def git(cwd: Path, *args: str, date: str = FIRST_DATE) -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
           "GIT_AUTHOR_NAME": "test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
           "GIT_COMMITTER_NAME": "test", "GIT_COMMITTER_EMAIL": "test@example.invalid"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True,
                          text=True).stdout


def origin(repo: Path) -> Path:
    """A repository holding this working tree (committed or not) in one commit of
    a known date, then a later commit touching the glossary alone."""
    files = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file() and not source.is_symlink():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / name)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "the dossier")
    # A later change to one page (a blank line: the same output but its date).
    with (repo / "docs/source/glossary.md").open("a", encoding="utf-8") as page:
        page.write("\n")
    git(repo, "commit", "-q", "-am", "the glossary, touched", date=LAST_DATE)
    return repo


@pytest.fixture(scope="session")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> TwoBuilds:
    """Two fresh clones of one commit (see origin), at paths of different names
    and depths, their files given times three days apart, each with its own
    copy of the package; the PDF included, and no SOURCE_DATE_EPOCH: each
    build dates itself by the commit, as a fresh clone's build does."""
    source = origin(tmp_path_factory.mktemp("origin"))
    work = tmp_path_factory.mktemp("clones")
    rtd, plain = work / "a" / "deeper" / "rtd", work / "somewhat" / "b"
    for clone in (rtd, plain):
        git(work, "clone", "-q", str(source), str(clone))
    # A clone's files have the time they were written: make the two disagree.
    later = time.time() + 86400 * 3
    for path in plain.rglob("*"):
        if ".git" not in path.parts:
            os.utime(path, (later, later))
    output = rtd / "_readthedocs"
    run_readthedocs_build(rtd, output, epoch=None)
    env = {k: v for k, v in build_env(plain).items() if k not in ("SOURCE_DATE_EPOCH", "DOCS_BASE_URL")}
    run = subprocess.run([sys.executable, "-m", "macrohard_docs.publish", "--pdf", "required"],
                         cwd=plain, env=env, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    return TwoBuilds(rtd, output, plain, plain / "docs" / "_build" / "html")
