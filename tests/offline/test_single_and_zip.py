"""Point 4: the single page, and the zip of the site browsed once unpacked."""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

ARTICLE_SECTIONS = ["name", "colossus", "money", "macrohard", "giants", "shadow", "conclusion"]


SITE_ZIP = "_editions/macrohard-dossier-html.zip"


@pytest.fixture(scope="module")
def unpacked(html_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The zip of the whole site (every edition), unpacked as a reader would."""
    with zipfile.ZipFile(html_dir / SITE_ZIP) as archive:
        assert archive.testzip() is None
        tops = {name.split("/")[0] for name in archive.namelist()}
        assert tops == {"macrohard-dossier"}
        target = tmp_path_factory.mktemp("unzipped")
        archive.extractall(target)
    return target / "macrohard-dossier"


def test_single_page_holds_the_whole_dossier(editions) -> None:
    for edition in editions:
        single = BeautifulSoup((edition.html_dir / "single/index.html").read_text(encoding="utf-8"), "html.parser")
        text = single.get_text(" ")
        for section in ARTICLE_SECTIONS:
            page = BeautifulSoup((edition.html_dir / f"article/{section}.html").read_text(encoding="utf-8"),
                                 "html.parser")
            assert page.find("h1").get_text().rstrip("¶") in text, section
        glossary = BeautifulSoup((edition.html_dir / "glossary.html").read_text(encoding="utf-8"), "html.parser")
        entries = [dt["id"] for dt in glossary.select("dl dt[id]")]
        assert len(entries) >= 30
        # Mentions link to glossary entries on the same page.
        targets = {a["href"] for a in single.select("a.reference.internal[href^='#']")}
        assert {f"#{e}" for e in entries} & targets and all(single.find(id=e) for e in entries)


def test_zip_unpacks_into_one_folder_with_every_page(html_dir: Path, editions, unpacked: Path) -> None:
    built = {p.relative_to(html_dir).as_posix() for p in html_dir.rglob("*.html")}
    got = {p.relative_to(unpacked).as_posix() for p in unpacked.rglob("*.html")}
    for edition in editions:
        here = edition.html_dir.relative_to(html_dir).as_posix().strip(".")
        prefix = f"{here}/" if here else ""
        assert {f"{prefix}{page}" for page in
                ("index.html", "glossary.html", "search.html", "single/index.html")} <= got
    assert got == built
    # Every link between the unpacked files resolves (the language switcher
    # included), but one: the zip itself, which cannot hold itself.
    missing = set()
    for page in unpacked.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag, attr in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
            for element in soup.find_all(tag, **{attr: True}):
                url = urlsplit(element[attr])
                if url.scheme or not url.path:
                    continue
                target = Path(posixpath.normpath(page.parent / unquote(url.path)))
                if not target.exists():
                    missing.add(target.relative_to(unpacked).as_posix())
    assert missing == {SITE_ZIP}


@pytest.mark.browser
def test_unpacked_zip_browses_from_disk(html_dir: Path, editions, unpacked: Path, open_page) -> None:
    for edition in editions:
        root = unpacked / edition.html_dir.relative_to(html_dir)
        page, watch = open_page(root / "index.html")
        page.locator("article a.reference.internal[href*='glossary.html#']").first.click()
        page.wait_for_load_state("load")
        url = urlsplit(page.url)
        assert url.scheme == "file" and Path(unquote(url.path)) == root / "glossary.html"
        entry = page.locator(f"[id='{url.fragment}']")
        assert entry.count() == 1 and entry.is_visible()
        # The browser scrolls to the entry (it may do so just after the load event).
        page.wait_for_function("""id => { const top = document.getElementById(id).getBoundingClientRect().top;
                                          return top >= 0 && top < window.innerHeight / 2; }""",
                               arg=url.fragment)
        assert not watch.problems(page)
