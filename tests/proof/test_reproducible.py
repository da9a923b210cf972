"""Issue 7, point 2, and issue 16, point 5: two clean builds of one commit are
identical, and dated by the commit.

Two fresh clones of one commit, at paths of different names and lengths,
their files given different times, each with its own copy of the package,
built by different routes (Read the Docs' steps, and the build command; see
the `two_builds` fixture), with no SOURCE_DATE_EPOCH. Every file of the
published site must have the same bytes: pages, search index, data files,
static files, EPUB, PDF and zip; neither build's location is written in any;
and every date in them is the commit's (the build sets SOURCE_DATE_EPOCH to
it, which the archives and the PDF read).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

from bs4 import BeautifulSoup
from helpers import differences, snapshot

from macrohard_docs.site.dating import content_epoch

from .conftest import LAST_DATE, TwoBuilds

FIRST = {"en": "January 2, 2026", "fr": "2 janvier 2026"}  # conftest.FIRST_DATE: every file
LAST = {"en": "January 5, 2026", "fr": "5 janvier 2026"}  # conftest.LAST_DATE: the glossary


def site(project: Path) -> Path:
    return project / "docs" / "_build" / "html"


def readable_texts(files: dict[str, bytes], folder: Path) -> dict[str, bytes]:
    """Each file's bytes, and each archive member's, unpacked, to look into."""
    texts = dict(files)
    for name in files:
        if name.endswith((".epub", ".zip")):
            with zipfile.ZipFile(folder / name) as archive:
                for member in archive.namelist():
                    texts[f"{name}!{member}"] = archive.read(member)
    return texts


def test_two_clones_build_the_same_bytes(two_builds: TwoBuilds) -> None:
    first, second = snapshot(site(two_builds.rtd)), snapshot(two_builds.plain_site)
    # Everything a reader can get is in the comparison.
    kinds = {Path(name).suffix for name in first} | {Path(name).name for name in first}
    for expected in (".html", "searchindex.js", "glossary-data.js", "snippets.js", "figures.csv",
                     "figures.json", ".epub", ".pdf", ".zip", ".css", ".svg"):
        assert expected in kinds, f"no {expected} in the build"
    assert [name for name in first if name.endswith("index.html") and name.startswith("fr/")]

    assert differences(second, first) == []

    # Neither build's own location is written anywhere (not even into the PDF's links).
    for project, files, folder in ((two_builds.rtd, first, site(two_builds.rtd)),
                                   (two_builds.plain, second, two_builds.plain_site)):
        where = str(project).encode()
        leaks = [name for name, data in readable_texts(files, folder).items() if where in data]
        assert leaks == [], f"{project} is written into {leaks}"


def test_the_edition_and_each_page_are_dated_by_the_commits(two_builds: TwoBuilds) -> None:
    """The edition (the citation) by the last commit touching the content; each
    page by its own last change."""
    one = snapshot(two_builds.plain_site)
    for language, prefix in (("en", ""), ("fr", "fr/")):
        landing = BeautifulSoup(one[f"{prefix}index.html"], "html.parser")
        about = BeautifulSoup(one[f"{prefix}about.html"], "html.parser")  # where the citation is
        glossary = BeautifulSoup(one[f"{prefix}glossary.html"], "html.parser")
        assert LAST[language] in about.select_one(".cite-this").get_text()
        assert FIRST[language] in landing.select_one(".last-updated").get_text()
        assert LAST[language] in glossary.select_one(".last-updated").get_text()
    assert content_epoch(two_builds.plain / "docs") == int(dt.datetime.fromisoformat(LAST_DATE).timestamp())


# In this file, not in test_deploy.py: test files run on separate workers, and the
# session fixture `two_builds` (a whole build) would be made once per worker.
def test_readthedocs_steps_leave_every_format_in_place(two_builds: TwoBuilds) -> None:
    output = two_builds.rtd_output
    site = two_builds.rtd / "docs" / "_build" / "html"
    for page in ("index.html", "fr/index.html", "search.html", "fr/search.html", "glossary.html"):
        assert (output / "html" / page).read_bytes() == (site / page).read_bytes(), page
    published = sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    copied = sorted(p.relative_to(output / "html") for p in (output / "html").rglob("*") if p.is_file())
    assert copied == published
    # One file per offline format, as Read the Docs requires: the English edition's.
    (epub,) = (output / "epub").iterdir()
    (pdf,) = (output / "pdf").iterdir()
    assert epub.read_bytes()[:4] == b"PK\x03\x04" and epub.read_bytes()[30:38] == b"mimetype"
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert epub.read_bytes() == (site / "_editions" / epub.name).read_bytes()
    assert pdf.read_bytes() == (site / "_editions" / pdf.name).read_bytes()
