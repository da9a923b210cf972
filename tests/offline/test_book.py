"""Issue 16: the offline editions read like books.

Heading levels of the single page and of each EPUB XHTML file, the EPUB's
table of contents, the PDF's bookmarks, title page, contents and page
numbers, print styles under print media, and the single page's switcher.
All on the session's build (site_dir): nothing is built here.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import Pdf, PdfPage, page_soup, pdf_edition

SOURCE = Path(__file__).resolve().parents[2] / "docs" / "source"


def toctree_entries(docname: str) -> list[str]:
    """The pages a source page's toctrees include, in order, as docnames."""
    text = (SOURCE / f"{docname}.md").read_text(encoding="utf-8")
    folder = docname.rpartition("/")[0]
    entries = []
    for block in re.findall(r"```\{toctree\}\n(.*?)```", text, re.DOTALL):
        for line in block.splitlines():
            line = line.strip()
            if line and not line.startswith(":"):
                entries.append(f"{folder}/{line}" if folder else line)
    return entries


def reading_order(docname: str = "index") -> list[str]:
    """Every page the landing page includes, depth first: the book's chapters."""
    order = []
    for entry in toctree_entries(docname):
        order += [entry, *reading_order(entry)]
    return order


CHAPTER_PAGES = reading_order()


def soup_of(path: Path) -> BeautifulSoup:
    return page_soup(path)


def text(tag) -> str:
    return re.sub(r"\s+", " ", tag.get_text().replace("¶", "")).strip()


def page_title(edition, docname: str) -> str:
    return text(soup_of(edition.html_dir / f"{docname}.html").select_one("article h1"))


@functools.cache
def chapter_order(edition) -> list[str]:
    """The chapters' titles, as the website's own pages give them, in the sources' order."""
    return [page_title(edition, d) for d in CHAPTER_PAGES]


def heading_levels(article) -> list[tuple[int, str]]:
    return [(int(h.name[1]), text(h)) for h in article.find_all(re.compile(r"^h[1-6]$"))
            if not h.find_parent(class_="book-front")]


def test_single_page_has_chapters_at_the_top(editions) -> None:
    for edition in editions:
        article = soup_of(edition.html_dir / "single/index.html").select_one("article")
        levels = heading_levels(article)
        landing = text(soup_of(edition.html_dir / "index.html").select_one("article h1"))
        h1s = [title for level, title in levels if level == 1]
        # Front matter (the landing page's text), then every chapter, each an h1.
        assert h1s[0] == landing
        assert set(chapter_order(edition)) <= set(h1s[1:]), h1s
        assert [t for t in h1s[1:] if t in chapter_order(edition)] == [
            t for t in chapter_order(edition) if t in h1s], "chapters out of order"
        # Never deeper than sections and subsections; never a level skipped.
        previous = 1
        for level, title in levels:
            assert level <= 3 and level <= previous + 1, (level, title)
            previous = level
        # A chapter's sections are h2 under it, as on its own page.
        colossus = soup_of(edition.html_dir / "article/colossus.html").select_one("article")
        own = [t for level, t in heading_levels(colossus) if level == 2]
        start = levels.index((1, page_title(edition, "article/colossus")))
        after = [t for level, t in levels[start + 1:start + 1 + len(own)]]
        assert after == own


def epub_of(edition) -> zipfile.ZipFile:
    [epub] = [p for p in edition.manifest_files if p.suffix == ".epub"]
    return zipfile.ZipFile(epub)


def test_epub_files_and_contents_are_chapters(editions) -> None:
    for edition in editions:
        with epub_of(edition) as book:
            names = book.namelist()
            nav = BeautifulSoup(book.read(next(n for n in names if n.endswith("nav.xhtml"))), "html.parser")
            chapters = {}
            for name in names:
                if name.endswith(".xhtml") and not name.endswith(("nav.xhtml", "epub-cover.xhtml")):
                    body = BeautifulSoup(book.read(name), "html.parser").body
                    levels = [int(h.name[1]) for h in body.find_all(re.compile(r"^h[1-6]$"))]
                    if not levels:
                        continue
                    assert levels.count(1) == 1 and levels[0] == 1, (name, levels)
                    assert max(levels) <= 3, (name, levels)
                    chapters[name] = levels
        top = nav.select_one("nav[epub|type=toc] > ol, nav > ol")
        entries = [text(li.find("a")) for li in top.find_all("li", recursive=False)]
        landing = text(soup_of(edition.html_dir / "index.html").select_one("article h1"))
        assert entries[0] == landing
        assert entries[1:1 + len(chapter_order(edition))] == chapter_order(edition)
        # Sections beneath their chapter: Colossus's first section under Colossus.
        colossus = next(li for li in top.find_all("li", recursive=False)
                        if text(li.find("a")) == page_title(edition, "article/colossus"))
        first_section = text(soup_of(edition.html_dir / "article/colossus.html").select_one("article h2"))
        assert text(colossus.select_one(":scope > ol > li > a")) == first_section


def pdf_of(edition) -> Pdf:
    [pdf] = [p for p in edition.manifest_files if p.suffix == ".pdf"]
    return pdf_edition(pdf)


def squeeze(value: str) -> str:
    # NFKC: the printed text sets "fi", "ffl" as ligatures, which read back as one character.
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", value)).strip()


def test_pdf_is_a_book(editions) -> None:
    for edition in editions:
        pdf = pdf_of(edition)
        reader = pdf.reader
        pages = [page.text for page in pdf.pages]
        single = soup_of(edition.html_dir / "single/index.html")
        # Title page: title, subtitle, the source credited, the edition's date; no number.
        front = single.select_one(".book-title-page")
        for part in ("book-title", "book-subtitle", "book-source", "book-date"):
            assert squeeze(text(front.select_one(f".{part}"))[:40]) in squeeze(pages[0]), part
        assert not re.search(r"^\s*1\s*$", pages[0], re.MULTILINE)
        # Bookmarks: the chapters at the top, spelled as their headings.
        top = [entry for entry in reader.outline if not isinstance(entry, list)]
        titles = [squeeze(entry.title) for entry in top]
        assert titles[1] == text(soup_of(edition.html_dir / "index.html").select_one("article h1"))
        assert [t for t in titles if t in chapter_order(edition)] == chapter_order(edition)
        first = {squeeze(e.title): reader.get_destination_page_number(e) + 1 for e in top}
        # Contents: each chapter with the page the bookmark says it starts on.
        contents = pages[1]
        for title in chapter_order(edition):
            assert re.search(re.escape(title[:30]) + r".*?\s(\d+)", squeeze(contents)), title
            number = re.search(re.escape(title) + r"\s*(\d+)", squeeze(contents))
            assert number and int(number.group(1)) == first[title], (title, contents)
        # Page numbers and the running head on every page after the title page.
        running = squeeze(text(front.select_one(".book-title")))
        for number, page in enumerate(pages[1:], start=2):
            lines = [line.strip() for line in page.splitlines() if line.strip()]
            assert str(number) in lines, f"page {number} has no page number"
            assert running in lines, f"page {number} has no running head"


@pytest.mark.browser
def test_printed_pages_show_links_as_plain_text(editions, open_page) -> None:
    """Any page printed from the browser: no underline, dotted or not, under links or mentions."""
    for edition in editions:
        page, _ = open_page(edition.html_dir / "article/colossus.html")
        page.emulate_media(media="print")
        lines = page.evaluate("""() => [...document.querySelectorAll("article a, article .mention")]
            .map((el) => getComputedStyle(el).textDecorationLine)""")
        assert lines and set(lines) == {"none"}, lines


@pytest.mark.browser
def test_print_styles_make_links_plain_and_keep_blocks_whole(editions, open_page) -> None:
    for edition in editions:
        page, watch = open_page(edition.html_dir / "single/index.html")
        page.emulate_media(media="print")
        styles = page.evaluate("""() => {
          const pick = (sel) => [...document.querySelectorAll(sel)].slice(0, 20);
          const deco = (el) => getComputedStyle(el).textDecorationLine + "/" + getComputedStyle(el).textDecorationStyle;
          return {
            links: pick("article a, article .mention").map(deco),
            front: getComputedStyle(document.querySelector(".book-title-page")).display,
            avoid: pick("article table, article .chart-svg, article dd, article .highlight").map(
              (el) => getComputedStyle(el).breakInside),
            chapters: pick("section.book-chapter").map((el) => getComputedStyle(el).breakBefore),
          }; }""")
        assert styles["links"] and set(styles["links"]) == {"none/solid"}, styles["links"]
        assert styles["front"] != "none"
        assert styles["avoid"] and set(styles["avoid"]) == {"avoid"}
        assert styles["chapters"] and set(styles["chapters"]) == {"page"}
        page.emulate_media(media="screen")
        assert page.evaluate("getComputedStyle(document.querySelector('.book-title-page')).display") == "none"
        assert not watch.problems(page)


def test_single_page_switches_language(editions) -> None:
    for edition in editions:
        single = edition.html_dir / "single/index.html"
        links = soup_of(single).select("nav.edition-switcher a[lang]")
        assert links, "no language switcher on the single page"
        for link in links:
            other = (single.parent / link["href"]).resolve()
            assert other.is_file() and other.name == "index.html" and other.parent.name == "single"
            assert soup_of(other).html["lang"] == link["lang"] != edition.language


def test_pages_say_when_they_last_changed(editions) -> None:
    """Each page has its own date of last change, in its own language; the
    single page and the citation carry the edition's, the newest of them."""
    from babel.dates import parse_date  # noqa: F401 - babel writes the dates

    words = {"en": "Last updated on", "fr": "Mis à jour le"}
    for edition in editions:
        for name in ("index", "glossary", "article/colossus"):
            footer = soup_of(edition.html_dir / f"{name}.html").select_one(".last-updated")
            assert footer is not None, name
            assert text(footer).startswith(words[edition.language]), text(footer)
            assert re.search(r"\d{4}$", text(footer))


def lowest_text(page: PdfPage) -> float | None:
    """The height (points from the bottom) of the lowest text drawn in the page's
    body: the running head and the page number sit in the margins, outside it."""
    margin = 20 / 25.4 * 72  # book.css: 20 mm top and bottom
    found = [y for _, y, _ in page.runs if margin - 2 < y < page.height - margin + 2]
    return min(found) if found else None


def test_no_page_is_half_empty_but_before_a_chapter(editions) -> None:
    """A page may end early only where the next chapter starts a new page.

    Measured on the text (charts label their bars and axes in text): the lowest
    line of the body must be in the page's lower half."""
    for edition in editions:
        pdf = pdf_of(edition)
        starts = {pdf.reader.get_destination_page_number(e) for e in pdf.reader.outline if not isinstance(e, list)}
        for index, page in enumerate(pdf.pages[1:-1], start=1):
            if index + 1 in starts:
                continue
            lowest = lowest_text(page)
            middle = page.height / 2
            assert lowest is not None and lowest < middle, (
                f"{edition.language}: page {index + 1} ends at {lowest} pt, above the middle")


def test_outside_links_get_a_note_in_the_book() -> None:
    """In the single page, an outside link is followed by a note number, and its
    chapter ends with the numbered addresses (book.css prints them)."""
    from docutils.core import publish_doctree

    from macrohard_docs.site.book import NOTE_MARK, NOTES, link_notes

    tree = publish_doctree("Chapter\n=======\n\nSee `the source <https://example.org/a>`_ and "
                           "`another <https://example.org/b>`_, and `here <#top>`_.\n\n"
                           "Section\n-------\n\nAgain `the source <https://example.org/a>`_.\n",
                           settings_overrides={"doctitle_xform": False, "report_level": 5})
    link_notes(tree)
    marks = [node.astext() for node in tree.findall(lambda n: NOTE_MARK in n.get("classes", []) if hasattr(n, "get") else False)]
    assert marks == ["1", "2", "3"]
    [notes] = [n for n in tree.findall(lambda n: NOTES in n.get("classes", []) if hasattr(n, "get") else False)]
    assert [item.astext() for item in notes.findall(lambda n: n.tagname == "list_item")] == [
        "https://example.org/a", "https://example.org/b", "https://example.org/a"]
