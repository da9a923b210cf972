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
        single = edition.soup("single/index.html")
        text = single.get_text(" ")
        for section in ARTICLE_SECTIONS:
            page = edition.soup(f"article/{section}.html")
            assert page.find("h1").get_text().rstrip("¶") in text, section
        glossary = edition.soup("glossary.html")
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


def test_the_pages_in_the_zip_state_its_size_as_the_site_does(html_dir: Path, editions) -> None:
    """The downloads pages are in the zip and state its size, rounded as shown
    (the build zips until the zip has the size they state: see
    tests/offline/test_offline_downloads.py). They are the site's own pages,
    byte for byte, and never state the exact count of bytes."""
    from babel.numbers import format_decimal

    size = (html_dir / SITE_ZIP).stat().st_size
    with zipfile.ZipFile(html_dir / SITE_ZIP) as archive:
        for edition in editions:
            here = edition.html_dir.relative_to(html_dir).as_posix().strip(".")
            name = posixpath.join("macrohard-dossier", here, "downloads.html")
            inside = archive.read(name)
            assert inside == (edition.html_dir / "downloads.html").read_bytes(), name
            text = BeautifulSoup(inside.decode("utf-8"), "html.parser").get_text(" ")
            for written in {str(size), format_decimal(size, locale="en"), format_decimal(size, locale="fr")}:
                assert written not in text, (name, written)
            row = BeautifulSoup(inside.decode("utf-8"), "html.parser").select_one("tr#download-zip")
            assert row is not None and any(ch.isdigit() for ch in row.select_one(".offline-size").get_text())


def test_the_zip_is_the_same_whatever_the_files_dates_order_and_modes(
        html_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """zip_tree on two copies of the site made in different orders, with other
    times and permissions on disk, and SOURCE_DATE_EPOCH set otherwise in the
    environment: the same bytes, members sorted and dated by the build's epoch, 0644."""
    import os
    import shutil

    from macrohard_docs.publish.packaging import zip_tree

    first, second = tmp_path / "first", tmp_path / "second"
    shutil.copytree(html_dir / "fr", first, ignore=shutil.ignore_patterns("*.zip", "*.pdf", "*.epub"))
    files = sorted(p for p in first.rglob("*") if p.is_file())
    for path in reversed(files):  # the other copy made in the other order
        target = second / path.relative_to(first)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
        os.utime(target, (1_000_000_000, 1_000_000_000) if len(target.name) % 2 else (1, 1))  # 1970 too
        target.chmod(0o600)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1")  # the build's own epoch is the one given below
    epoch = 1767225600  # 2026-01-01T00:00:00Z
    zip_tree(first, tmp_path / "first.zip", "site", epoch)
    zip_tree(second, tmp_path / "second.zip", "site", epoch)
    assert (tmp_path / "first.zip").read_bytes() == (tmp_path / "second.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "first.zip") as archive:
        infos = archive.infolist()
        names = [info.filename for info in infos]
        assert names == sorted(f"site/{p.relative_to(first).as_posix()}" for p in files)
        assert {info.date_time for info in infos} == {(2026, 1, 1, 0, 0, 0)}
        assert {info.external_attr >> 16 & 0o777 for info in infos} == {0o644}
    assert os.environ["SOURCE_DATE_EPOCH"] == "1"  # the environment is left as it was
    # A date before 1980, which a zip cannot store, is stored as 1980's first second.
    zip_tree(first, tmp_path / "old.zip", "site", 1)
    with zipfile.ZipFile(tmp_path / "old.zip") as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}



def test_a_rebuild_zips_once_and_makes_the_zip_a_clean_build_makes(
        html_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """zip_site states the last build's size first and keeps that zip when no stated size
    could change how it reads: one zip, not two, and a clean build's bytes all the same."""
    import random
    import shutil

    from helpers import DOCS
    from macrohard_docs.publish import build
    from macrohard_docs.publish.packaging import zip_tree

    made: list[Path] = []

    def counted(root: Path, dest: Path, *args, **kwargs) -> int:
        made.append(dest)
        return zip_tree(root, dest, *args, **kwargs)

    monkeypatch.setattr(build, "zip_tree", counted)
    editions = build.editions_of(DOCS)
    rebuilt, clean = (build.Settings(out=tmp_path / name, docs=DOCS, epoch=1767225600) for name in ("rebuilt", "clean"))
    shutil.copytree(html_dir, rebuilt.staging / "html", ignore=shutil.ignore_patterns("*.zip"))
    for settings in (rebuilt, clean):
        (settings.staging / ".offline").mkdir(parents=True, exist_ok=True)  # build_single makes it
    build.zip_site(editions, rebuilt)
    assert len(made) >= 2  # no last zip: stated from no size
    # A file that puts the zip mid-way between two sizes as shown (1.2 MB, 1.3 MB), then an edit.
    size = (rebuilt.staging / ".offline" / f"{build.NAME}-html.zip").stat().st_size
    extra = (size // 100_000 + 3) * 100_000 - size
    (rebuilt.staging / "html" / "_static" / "added.bin").write_bytes(random.Random(25).randbytes(extra))
    build.zip_site(editions, rebuilt)
    page = rebuilt.staging / "html" / "index.html"
    page.write_text(page.read_text(encoding="utf-8") + "<!-- edited -->\n", encoding="utf-8")
    shutil.copytree(rebuilt.staging / "html", clean.staging / "html", dirs_exist_ok=True)
    made.clear()
    build.zip_site(editions, rebuilt)
    assert len(made) == 1
    build.zip_site(editions, clean)
    zipped = f"html/_editions/{build.NAME}-html.zip"
    assert (rebuilt.staging / zipped).read_bytes() == (clean.staging / zipped).read_bytes()
