"""Point 6: a downloads page, linked from the landing page, with true sizes."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from babel.numbers import format_decimal
from bs4 import BeautifulSoup
from helpers import page_soup

EXPECTED = {"epub": ".epub", "single": ".html", "pdf": ".pdf", "zip": ".zip"}


def soup_of(path: Path) -> BeautifulSoup:
    return page_soup(path)


def test_landing_page_links_to_the_downloads_page(editions) -> None:
    for edition in editions:
        landing = soup_of(edition.html_dir / "index.html")
        links = [a["href"] for a in landing.select("article a[href]")]
        assert "downloads.html" in links
        # And the navigation offers it on every page.
        assert soup_of(edition.html_dir / "glossary.html").select_one(".sidebar-tree a[href='downloads.html']")


def shown_size(size: int, language: str) -> str:
    """A size as the page should show it, worked out here from CLDR's units
    (decimal, one decimal place in megabytes): 1.2 MB, 310 kB; 1,2 Mo, 310 ko."""
    if size >= 999_950:
        number, unit = format_decimal(round(size / 1e6, 1), format="#,##0.0", locale=language), "MB"
    else:
        number, unit = format_decimal(round(size / 1e3), locale=language), "kB"
    return number + {"en": " ", "fr": "\u202f"}[language] + {("en", "MB"): "MB", ("en", "kB"): "kB",
                                                          ("fr", "MB"): "Mo", ("fr", "kB"): "ko"}[language, unit]


def test_each_format_is_offered_with_its_size_in_human_units(editions) -> None:
    """Every file, the zip included: the zip holds this very page, which states
    the size the zip has with the page in it (the build zips until they agree)."""
    for edition in editions:
        page = soup_of(edition.html_dir / "downloads.html")
        rows = {row["id"].removeprefix("download-"): row for row in page.select("table.offline-downloads tr[id]")}
        assert set(rows) == set(EXPECTED)
        for format_id, row in rows.items():
            href = row.select_one("a.offline-file")["href"]
            target = edition.html_dir / posixpath.normpath(href)
            assert target.is_file() and target.suffix == EXPECTED[format_id]
            size = row.select_one(".offline-size").get_text()
            assert size == shown_size(target.stat().st_size, edition.language), (format_id, size)


def test_the_zipped_downloads_pages_state_the_zip_size_too(editions) -> None:
    import zipfile

    [archive] = [p for p in editions[0].manifest_files if p.suffix == ".zip"]
    with zipfile.ZipFile(archive) as zipped:
        for edition in editions:
            name = posixpath.join("macrohard-dossier", edition.path, "downloads.html")
            copy = BeautifulSoup(zipped.read(name).decode("utf-8"), "html.parser")
            size = copy.select_one("#download-zip .offline-size").get_text()
            assert size == shown_size(archive.stat().st_size, edition.language)


def test_sizes_are_generated_not_typed() -> None:
    source = Path(__file__).resolve().parents[2] / "docs/source/downloads.md"
    text = source.read_text(encoding="utf-8")
    assert "{offline-downloads}" in text
    assert not re.search(r"\d", text), "a number is typed in downloads.md"


def test_the_offline_editions_say_where_the_others_are(editions) -> None:
    """The single page has no table of files that are not beside it."""
    for edition in editions:
        single = soup_of(edition.html_dir / "single/index.html")
        assert not single.select("table.offline-downloads")
        note = single.select_one("p.offline-elsewhere")
        assert note is not None
        expected = {"en": "downloads page", "fr": "page des téléchargements"}[edition.language]
        assert expected in note.get_text()
