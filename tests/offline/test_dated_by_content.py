"""Issue 16, point 5: dated by the content, reproducible by default.

Two fresh clones of one commit, at paths of different lengths, their files
given different times, built with the README's command and no
SOURCE_DATE_EPOCH: every published file must be identical, and every date
in them the commit's. To stay affordable the two builds skip the PDF
(``--pdf off``); the PDF's own reproducibility, which depends only on
SOURCE_DATE_EPOCH (now always set by the build), is checked with the other
editions in tests/proof/test_reproducible.py.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import ROOT, snapshot

from macrohard_docs.site.dating import content_epoch

FIRST_DATE = "2026-01-02T03:04:05+00:00"  # every file
LAST_DATE = "2026-01-05T10:00:00+00:00"  # then one page alone: the glossary
LAST_EPOCH = int(dt.datetime.fromisoformat(LAST_DATE).timestamp())
FIRST = {"en": "January 2, 2026", "fr": "2 janvier 2026"}
LAST = {"en": "January 5, 2026", "fr": "5 janvier 2026"}


def git(cwd: Path, *args: str, date: str = FIRST_DATE) -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
           "GIT_AUTHOR_NAME": "test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
           "GIT_COMMITTER_NAME": "test", "GIT_COMMITTER_EMAIL": "test@example.invalid"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository holding this working tree (committed or not) in one commit of a known date."""
    repo = tmp_path_factory.mktemp("origin")
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


def clean_build(clone: Path) -> Path:
    env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "DOCS_BASE_URL")}
    env["PYTHONPATH"] = str(clone / "src")
    run = subprocess.run([sys.executable, "-m", "macrohard_docs.publish", "--pdf", "off", "--jobs", "1"],
                         cwd=clone, env=env, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    return clone / "docs/_build/html"


@pytest.mark.proof  # two whole sites of its own
def test_two_clones_build_the_same_bytes_dated_by_the_commit(origin: Path, tmp_path: Path) -> None:
    first = tmp_path / "a"
    second = tmp_path / "somewhat" / "deeper" / "b"
    for clone in (first, second):
        git(tmp_path, "clone", "-q", str(origin), str(clone))
    # A clone's files have the time they were written: make the two disagree.
    later = time.time() + 86400 * 3
    for path in second.rglob("*"):
        if ".git" not in path.parts:
            os.utime(path, (later, later))
    one, two = snapshot(clean_build(first)), snapshot(clean_build(second))
    assert any(name.endswith(".epub") for name in one) and any(name.endswith(".zip") for name in one)
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []
    # The edition (the citation) is dated by the last commit touching the content;
    # each page by its own last change.
    for language, prefix in (("en", ""), ("fr", "fr/")):
        landing = BeautifulSoup(one[f"{prefix}index.html"], "html.parser")
        about = BeautifulSoup(one[f"{prefix}about.html"], "html.parser")  # where the citation is
        glossary = BeautifulSoup(one[f"{prefix}glossary.html"], "html.parser")
        assert LAST[language] in about.select_one(".cite-this").get_text()
        assert FIRST[language] in landing.select_one(".last-updated").get_text()
        assert LAST[language] in glossary.select_one(".last-updated").get_text()
    assert content_epoch(first / "docs") == LAST_EPOCH


def test_outside_git_the_newest_source_file_dates_the_edition(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "source").mkdir(parents=True)
    (docs / "locales" / "fr" / "LC_MESSAGES").mkdir(parents=True)
    page, catalog, compiled = (docs / "source/index.md", docs / "locales/fr/LC_MESSAGES/index.po",
                               docs / "locales/fr/LC_MESSAGES/index.mo")
    for path, stamp in ((page, 1_700_000_000), (catalog, 1_700_100_000), (compiled, 1_800_000_000)):
        path.write_text("x", encoding="utf-8")
        os.utime(path, (stamp, stamp))
    # The compiled catalog is written by the build, not content: it does not count.
    assert content_epoch(docs) == 1_700_100_000
