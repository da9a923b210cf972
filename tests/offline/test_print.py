"""Point 5: printing gives clean pages, and the PDF edition holds the dossier."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import pdf_edition, read_pdf

pytestmark = pytest.mark.browser
CHROME = ["Skip to content", "On this page", "Toggle", "Next", "Previous", "Made with", "Furo", "Search"]


def lines_by_page(pdf: bytes) -> list[list[str]]:
    """Each page's text lines, top to bottom, from where the glyphs are drawn."""
    return [page.lines() for page in read_pdf(pdf).pages]


def normal(text: str) -> str:
    # NFKC: the printed text sets "fi", "ffl" as ligatures, which read back as one character.
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).replace("¶", "")).strip()


def headings(path: Path) -> set[str]:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return {normal(h.get_text()) for h in soup.select("article h1, article h2, article h3, article dt")}


def assert_no_heading_ends_a_page(pages: list[list[str]], titles: set[str]) -> None:
    for number, lines in enumerate(pages[:-1], start=1):
        assert lines, f"page {number} is empty"
        assert normal(lines[-1]) not in titles, f"page {number} ends with the heading {lines[-1]!r}"


def test_printing_an_article_page_gives_clean_pages(html_dir: Path, open_page) -> None:
    path = html_dir / "article/colossus.html"
    page, watch = open_page(path)
    # The article cites nothing online yet; add one outside link to see it printed.
    page.evaluate("""() => { const a = document.createElement("a");
        a.href = "https://example.org/source-article"; a.textContent = "the source";
        document.querySelector("article p").append(" ", a); }""")
    pdf = page.pdf(format="A4", margin={"top": "15mm", "bottom": "15mm", "left": "15mm", "right": "15mm"})
    pages = lines_by_page(pdf)
    text = normal(" ".join(" ".join(p) for p in pages))
    assert len(pages) >= 2
    assert "the source (https://example.org/source-article)" in text
    assert not [c for c in CHROME if c in text], "navigation chrome printed"
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    # Glossary terms (the first mentions) are printed as they read on screen.
    for mention in soup.select("article .mention"):
        assert normal(mention.get_text()) in text
    assert_no_heading_ends_a_page(pages, headings(path))
    assert not watch.problems(page)


def test_printed_glossary_keeps_each_term_with_its_entry(html_dir: Path, open_page) -> None:
    path = html_dir / "glossary.html"
    page, _ = open_page(path)
    pages = lines_by_page(page.pdf(format="A4"))
    assert len(pages) >= 4  # long enough for page breaks to fall among entries
    assert_no_heading_ends_a_page(pages, headings(path))


def test_pdf_edition_is_the_single_page_printed(editions) -> None:
    for edition in editions:
        [path] = [p for p in edition.manifest_files if p.suffix == ".pdf"]
        pdf = pdf_edition(path)
        reader = pdf.reader
        pages = [page.lines() for page in pdf.pages]
        single = edition.html_dir / "single/index.html"
        assert len(reader.pages) >= 10
        text = normal(" ".join(" ".join(p) for p in pages))
        for title in headings(single):
            assert title in text, title
        assert not [c for c in CHROME if c in text]
        assert_no_heading_ends_a_page(pages, headings(single))
        assert reader.metadata.title and "Macrohard" in reader.metadata.title
