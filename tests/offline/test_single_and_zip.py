"""Point 4: the single page, and the zip of the site browsed once unpacked."""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

ARTICLE_SECTIONS = ["name", "colossus", "money", "macrohard", "giants", "shadow", "conclusion"]


def zip_of(edition) -> Path:  # noqa: ANN001
    [archive] = [p for p in edition.manifest_files if p.suffix == ".zip"]
    return archive


def test_single_page_holds_the_whole_dossier(editions) -> None:
    for edition in editions:
        single = BeautifulSoup((edition.root / "single/index.html").read_text(encoding="utf-8"), "html.parser")
        text = single.get_text(" ")
        for section in ARTICLE_SECTIONS:
            page = BeautifulSoup((edition.root / f"article/{section}.html").read_text(encoding="utf-8"),
                                 "html.parser")
            assert page.find("h1").get_text().rstrip("¶") in text, section
        glossary = BeautifulSoup((edition.root / "glossary.html").read_text(encoding="utf-8"), "html.parser")
        entries = [dt["id"] for dt in glossary.select("dl dt[id]")]
        assert len(entries) >= 30
        # Mentions link to glossary entries on the same page.
        targets = {a["href"] for a in single.select("a.reference.internal[href^='#']")}
        assert {f"#{e}" for e in entries} & targets and all(single.find(id=e) for e in entries)


def test_zip_unpacks_into_one_folder_with_every_page(editions, tmp_path: Path) -> None:
    for edition in editions:
        with zipfile.ZipFile(zip_of(edition)) as archive:
            names = archive.namelist()
            assert archive.testzip() is None
            archive.extractall(tmp_path / edition.language)
        tops = {n.split("/")[0] for n in names}
        assert tops == {f"macrohard-dossier-{edition.language}"}
        unpacked = tmp_path / edition.language / tops.pop()
        built = {p.relative_to(edition.root).as_posix() for p in edition.root.rglob("*.html")
                 if not (p.relative_to(edition.root).parts[0] != "single"
                         and (p.parent != edition.root and (p.parent / "searchindex.js").exists()))}
        got = {p.relative_to(unpacked).as_posix() for p in unpacked.rglob("*.html")}
        assert {"index.html", "glossary.html", "search.html", "single/index.html"} <= got
        # Every page of this edition; none of another edition nested in it (html/fr).
        nested = [p.parent for p in edition.root.glob("*/searchindex.js")]
        assert got == {b for b in built if not any((edition.root / b).is_relative_to(n) for n in nested)}
        # Every link between the unpacked files resolves, but one: the zip itself.
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
        assert missing == {zip_of(edition).relative_to(edition.root).as_posix()}


@pytest.mark.browser
def test_unpacked_zip_browses_from_disk(editions, tmp_path: Path, open_page) -> None:
    for edition in editions:
        with zipfile.ZipFile(zip_of(edition)) as archive:
            archive.extractall(tmp_path)
        unpacked = tmp_path / f"macrohard-dossier-{edition.language}"
        page, watch = open_page(unpacked / "index.html")
        page.locator("article a.reference.internal[href*='glossary.html#']").first.click()
        page.wait_for_load_state("load")
        url = urlsplit(page.url)
        assert url.scheme == "file" and Path(unquote(url.path)) == unpacked / "glossary.html"
        entry = page.locator(f"[id='{url.fragment}']")
        assert entry.count() == 1 and entry.is_visible()
        # The browser scrolls to the entry (it may do so just after the load event).
        page.wait_for_function("""id => { const top = document.getElementById(id).getBoundingClientRect().top;
                                          return top >= 0 && top < window.innerHeight / 2; }""",
                               arg=url.fragment, timeout=5_000)
        assert not watch.problems(page)
