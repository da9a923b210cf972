"""Every edition whole (issue 28): the French edition is French in every format,
and no template placeholder reaches a reader in any edition or format.

Read where a reader reads it: every built page, the single page, each EPUB's
chapters, navigation and metadata, the PDF's text and metadata, the data files
and the search's data (index, snippets, glossary).
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import pdf_edition, page_soup

# A Python or gettext placeholder left unformatted: {NB}, {size}, {0}, %(name)s; not a
# BibTeX field's value (year = {2026}, in the "cite this" block).
PLACEHOLDER = re.compile(r"(?<!= )(?:\{[A-Za-z_][\w.]*\}|\{\d+\})|%\([a-z_]+\)s")
# What the French edition printed in English (issue 28), wherever a reader meets it.
ENGLISH = ["the Macrohard dossier team", "Macrohard dossier team", "@pradyunsg's", "Macrohard and Colossus",
           "Table of Contents", "Footnotes", "Cover image", "bytes"]


def visible_text(html: str) -> str:
    """What a reader sees or hears: text, titles and labels; not scripts, styles or code."""
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.select("script, style, code, pre"):
        element.decompose()
    attributes = [value for tag in soup.find_all(True)
                  for name in ("title", "alt", "aria-label", "content") if isinstance(value := tag.get(name), str)]
    return " ".join([soup.get_text(" "), *attributes])


def epub_texts(path: Path) -> dict[str, str]:
    """Each text file of an e-book (chapters, navigation, metadata), as read."""
    with zipfile.ZipFile(path) as book:
        return {name: (visible_text(text) if name.endswith((".xhtml", ".html")) else text)
                for name in book.namelist() if name.endswith((".xhtml", ".html", ".opf", ".ncx"))
                for text in [book.read(name).decode("utf-8")]}


@functools.cache
def texts_of(edition) -> dict[str, str]:
    """Every text of *edition* a reader can meet, by where it is: read once per worker
    (two tests read the French edition's); read only, never changed."""
    found = {str(page.relative_to(edition.html_dir)): visible_text(page.read_text(encoding="utf-8"))
             for page in [*edition.pages(), edition.html_dir / "single/index.html"]}
    for book in edition.manifest_files:
        if book.suffix == ".epub":
            found.update({f"{book.name}:{name}": text for name, text in epub_texts(book).items()})
        if book.suffix == ".pdf":
            pdf = pdf_edition(book)
            found[book.name] = " ".join(page.text for page in pdf.pages)
            found[f"{book.name} metadata"] = " ".join(str(v) for v in pdf.reader.metadata.values())
    for name in ("data/figures.csv", "data/figures.json", "searchindex.js", "_static/snippets.js"):
        found[name] = (edition.html_dir / name).read_text(encoding="utf-8")
    return found


def glossary_data(edition) -> str:
    """The glossary's search data, less the templates its scripts fill in ("{shown} of
    {total}", "{pages}, {entries}", "Did you mean {query}?": templates by design, shown
    only once filled; tests/search checks the filled lines)."""
    text = (edition.html_dir / "_static/glossary-data.js").read_text(encoding="utf-8")
    return re.sub(r"\{(shown|total|count|pages|entries|query)\}", "", text)


def test_no_placeholder_survives_in_any_edition_or_format(editions) -> None:
    for edition in editions:
        texts = {**texts_of(edition), "_static/glossary-data.js": glossary_data(edition)}
        left = {where: PLACEHOLDER.findall(text) for where, text in texts.items()}
        assert not {where: found for where, found in left.items() if found}, edition.language


def test_the_french_edition_prints_none_of_the_english_strings(editions) -> None:
    [french] = [edition for edition in editions if edition.language == "fr"]
    # (Not the glossary's search keys: "petabytes per second" finds Po/s, by design.)
    left = {where: [s for s in ENGLISH if s in text] for where, text in texts_of(french).items()}
    assert not {where: found for where, found in left.items() if found}


def test_the_french_footer_credits_the_theme_in_french(fr_html_dir: Path, html_dir: Path) -> None:
    footer = page_soup(fr_html_dir / "about.html").select_one(".bottom-of-page .left-details")
    text = " ".join(footer.get_text().split())
    assert "Copyright © 2026, l’équipe du dossier Macrohard" in text
    assert "Fait avec Sphinx et Furo de @pradyunsg" in text
    english = " ".join(page_soup(html_dir / "about.html").select_one(".bottom-of-page .left-details")
                       .get_text().split())
    assert "Made with Sphinx and @pradyunsg’s Furo" in english
    # The links stay links, to the same places, marked as going elsewhere.
    links = {a["href"]: a.get("rel") for a in footer.select("a")}
    assert set(links) == {"https://www.sphinx-doc.org/", "https://pradyunsg.me", "https://github.com/pradyunsg/furo"}
    assert all(rel == ["noopener", "noreferrer"] for rel in links.values())


def test_the_french_single_page_and_book_are_titled_in_french(fr_html_dir: Path) -> None:
    single = page_soup(fr_html_dir / "single/index.html")
    assert single.title.get_text() == "Macrohard et Colossus"
    assert {b.get_text(strip=True) for b in single.select(".sidebar-brand-text, .brand")} == {"Macrohard et Colossus"}
    [epub] = (fr_html_dir / "_editions").glob("*.epub")
    with zipfile.ZipFile(epub) as book:
        nav = BeautifulSoup(book.read("nav.xhtml").decode("utf-8"), "html.parser")
        opf = book.read("content.opf").decode("utf-8")
    assert nav.title.get_text() == nav.h1.get_text() == "Table des matières"
    rights = re.search(r"<dc:rights>(.*?)</dc:rights>", opf, re.DOTALL).group(1)
    assert "L’équipe du dossier Macrohard" in rights and "CC BY 4.0" in rights


@pytest.mark.parametrize("name", ["figures.csv", "figures.json"])
def test_the_french_data_files_describe_each_figure_in_french(html_dir: Path, fr_html_dir: Path, name: str) -> None:
    def measures(folder: Path) -> dict[str, str]:
        text = (folder / "data" / name).read_text(encoding="utf-8")
        rows = csv.DictReader(io.StringIO(text)) if name.endswith(".csv") else json.loads(text)["figures"]
        return {row["id"]: row["measures"] for row in rows}

    english, french = measures(html_dir), measures(fr_html_dir)
    assert english.keys() == french.keys()
    assert not [key for key in english if english[key] == french[key]], "measures left in English"


def test_mentioned_in_lists_are_set_with_french_typography(fr_html_dir: Path) -> None:
    lists = page_soup(fr_html_dir / "glossary.html").select("p.mentioned-in")
    text = " ".join(p.get_text() for p in lists)
    assert text.count(";") > 5  # the lists the check is about are there
    assert not re.findall(r".{12}[^\u202f\u00a0];", text)
