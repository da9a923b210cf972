"""The benchmark's bare project shows the glossary the built site shows.

`nox -s bench` times our build against a bare Sphinx project holding the same
pages (scripts/bench/bare.py). Its glossary is made with the extension's own
entry and sort code; if it drifted from the site's (other entries, another
order, other "Mentioned in" pages), the ratio would compare different pages.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import ROOT

ENTRY = re.compile(r"^\((?P<anchor>[^)\s]+)\)=\n(?P<label>.+)$", re.MULTILINE)
DOC_LINK = re.compile(r"\{doc\}`/([^`]+)`")
ESCAPED = re.compile(r"\\(.)")


def site_glossary(page: Path) -> list[tuple[str, str, list[str]]]:
    """(anchor, label, pages in "Mentioned in") of each entry of a built glossary page."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    entries = []
    for term in soup.select("dl.figures-glossary > dt"):
        mentioned = term.find_next_sibling("dd").select_one("p.mentioned-in")
        # Each page once, in order: the site links each section of a page to its mention.
        links = [a["href"].split("#")[0].removesuffix(".html") for a in mentioned.select("a")] if mentioned else []
        pages = list(dict.fromkeys(links))
        entries.append((term["id"], term.select_one(".term-label").get_text(), pages))
    return entries


def bare_glossary(page: Path) -> list[tuple[str, str, list[str]]]:
    """The same, read from the bare project's glossary page (MyST definition lists)."""
    text = page.read_text(encoding="utf-8")
    matches = list(ENTRY.finditer(text))
    entries = []
    for match, following in zip(matches, [*matches[1:], None]):
        body = text[match.end():following.start() if following else None]
        mentioned = re.search(r"Mentioned in: (.*)\.$", body, re.MULTILINE)
        entries.append((match["anchor"], ESCAPED.sub(r"\1", match["label"]),
                        DOC_LINK.findall(mentioned.group(1)) if mentioned else []))
    return entries


@pytest.fixture(scope="module")
def make_bare():
    sys.path.insert(0, str(ROOT))
    try:
        from scripts.bench.bare import make_bare
    finally:
        sys.path.remove(str(ROOT))
    return make_bare


def test_bare_glossary_lists_what_the_site_lists(edition, make_bare, tmp_path: Path) -> None:
    project = make_bare(ROOT / "docs", tmp_path, edition.language)
    site = site_glossary(edition.html_dir / "glossary.html")
    bare = bare_glossary(project / "source" / "glossary.md")
    assert len(site) > 20, "the built glossary lost its entries: the parser above no longer reads it"
    assert [entry[:2] for entry in bare] == [entry[:2] for entry in site], "entries, labels or order differ"
    assert bare == site, "the \"Mentioned in\" pages differ"


def test_the_bare_project_builds_strictly(edition, make_bare, tmp_path: Path) -> None:
    """Every directive of ours in the pages has a plain-MyST twin in bare.py: a
    page given a new one must not leave the benchmark failing on its first build.
    (The dummy builder reads and resolves every page, as the timed HTML build
    does, without writing them.)"""
    import subprocess

    project = make_bare(ROOT / "docs", tmp_path, edition.language)
    run = subprocess.run([sys.executable, "-m", "sphinx", "-b", "dummy", "-c", str(project), "-j", "1",
                          "-D", f"language={edition.language}", "-W", "--keep-going", "-n", "-q",
                          str(project / "source"), str(tmp_path / "out")],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
