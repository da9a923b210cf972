"""Issue 28: books without seams. The EPUB has no empty heading; the PDF keeps
each chart with its title, leaves no page nearly blank, sets headings and box
titles on the text's left edge, and says in its metadata who wrote it and on
what terms it may be reused. All on the session's build: nothing is built here.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections import Counter
from pathlib import Path

from bs4 import BeautifulSoup
from helpers import PdfPage, page_soup, pdf_edition

HEADINGS = "h1, h2, h3, h4, h5, h6, p.rubric"


def normal(text: str) -> str:
    # NFKC: the printed text sets "fi" as a ligature, which reads back as one character.
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).replace("¶", "")).strip()


def book(edition, suffix: str) -> Path:
    [path] = [p for p in edition.manifest_files if p.suffix == suffix]
    return path


def test_no_epub_chapter_has_an_empty_heading(editions) -> None:
    """Each heading of each chapter is followed by something to read under it."""
    empty = []
    for edition in editions:
        with zipfile.ZipFile(book(edition, ".epub")) as epub:
            for name in epub.namelist():
                if not name.endswith(".xhtml") or name in ("nav.xhtml", "epub-cover.xhtml"):
                    continue
                soup = BeautifulSoup(epub.read(name).decode("utf-8"), "html.parser")
                for heading in soup.select(HEADINGS):
                    # What follows the heading, not its own text (its descendants come next).
                    after = [s for s in heading.find_all_next(string=True)
                             if s.strip() and heading not in s.parents]
                    if not after:
                        empty.append((edition.language, name, heading.get_text(strip=True)))
    assert not empty


def test_epub_link_notes_are_headed_in_the_book_language(editions) -> None:
    expected = {"en": "Links in this chapter", "fr": "Liens de ce chapitre"}
    for edition in editions:
        with zipfile.ZipFile(book(edition, ".epub")) as epub:
            rubrics = {BeautifulSoup(epub.read(n).decode("utf-8"), "html.parser").select_one("p.rubric")
                       for n in epub.namelist() if n.endswith(".xhtml")} - {None}
        assert {r.get_text(strip=True) for r in rubrics} <= {expected[edition.language]}


def text_left(pages: tuple[PdfPage, ...]) -> float:
    """Where the book's text lines start: the most common left edge of all its text."""
    return Counter(round(x) for page in pages for x, _y, _t in page.runs).most_common(1)[0][0]


def first_page_with(pages: tuple[PdfPage, ...], text: str) -> int:
    wanted = normal(text)[:40]
    for number, page in enumerate(pages):
        if any(wanted in normal(line) for line in page.lines()):
            return number
    raise AssertionError(f"{text!r} is not printed")


def test_every_chart_title_is_printed_on_the_page_of_its_plot(editions) -> None:
    for edition in editions:
        pdf = pdf_edition(book(edition, ".pdf"))
        single = page_soup(edition.html_dir / "single/index.html")
        charts = single.select("figure.chart")
        assert charts
        for chart in charts:
            title = chart.select_one(".chart-title").get_text()
            label = chart.select_one("svg .chart-label text").get_text()
            title_page = first_page_with(pdf.pages, title)
            assert label in " ".join(pdf.pages[title_page].lines()), (edition.language, title, title_page + 1)


def test_no_page_is_left_nearly_blank(editions) -> None:
    """Every page but the title page and the last holds more than a few lines
    besides its running head and number."""
    for edition in editions:
        pages = pdf_edition(book(edition, ".pdf")).pages
        short = [number for number, page in enumerate(pages[1:-1], start=2) if len(page.lines()) - 2 < 6]
        assert not short, (edition.language, short)


def test_headings_and_box_titles_start_where_the_text_does(editions) -> None:
    for edition in editions:
        pdf = pdf_edition(book(edition, ".pdf"))
        single = page_soup(edition.html_dir / "single/index.html")
        titles = [normal(h.get_text()) for h in single.select("section.book-chapter > h1, article h2")]
        titles += [normal(t.get_text()) for t in single.select(".our-arithmetic p.admonition-title")][:1]
        left = text_left(pdf.pages)
        # A title may also be a link in a list (indented): its leftmost print is the
        # heading, whose first line is the title or, when it wraps, its start.
        found: dict[str, float] = {}
        for page in pdf.pages[2:]:
            for x, _y, text in page.runs:
                for title in titles:
                    if len(normal(text)) >= 12 and title.startswith(normal(text)):
                        found[title] = min(x, found.get(title, x))
        assert len(found) > 10, found
        assert not {title: x for title, x in found.items() if abs(x - left) >= 1}, (edition.language, left)


def test_the_pdf_says_who_wrote_it_and_on_what_terms(editions) -> None:
    authors = {"en": "The Macrohard dossier team", "fr": "L’équipe du dossier Macrohard"}
    for edition in editions:
        metadata = pdf_edition(book(edition, ".pdf")).reader.metadata
        assert metadata["/Author"] == authors[edition.language]
        assert "CC BY 4.0" in metadata["/Rights"] and "creativecommons.org/licenses/by/4.0" in metadata["/Rights"]
        assert "Elon Musk veut créer le rival de Microsoft" in metadata["/Rights"]  # the facts' origin
        assert metadata["/Title"]
