"""Point 3: an EPUB 3 that epubcheck passes with no error and no warning."""

from __future__ import annotations

import json
import os
import posixpath
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from bs4 import BeautifulSoup
from helpers import java

# Debian's /usr/bin/epubcheck is the jar itself, run through binfmt_misc,
# which containers lack: run the jar with java directly.
EPUBCHECK_JAR = os.environ.get("EPUBCHECK_JAR", "/usr/share/java/epubcheck.jar")
ARTICLE_SECTIONS = ["name", "colossus", "money", "macrohard", "giants", "shadow", "conclusion"]


def epub_of(edition) -> Path:
    [epub] = [p for p in edition.manifest_files if p.suffix == ".epub"]
    return epub


NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
      "ncx": "http://www.daisy.org/z3986/2005/ncx/"}


def test_epubcheck_reports_nothing(editions, tmp_path: Path) -> None:
    assert Path(EPUBCHECK_JAR).is_file(), "install Debian's epubcheck (apt-get install epubcheck)"
    for edition in editions:
        report = tmp_path / f"{edition.language}.json"
        run = java(EPUBCHECK_JAR, str(epub_of(edition)), "--json", str(report))
        messages = json.loads(report.read_text(encoding="utf-8"))["messages"]
        assert run.returncode == 0, run.stdout + run.stderr
        # Not even a warning (nor a usage hint): the book is clean.
        assert messages == [], [(m["severity"], m["ID"], m["message"]) for m in messages]


BOOK_TITLES = {"en": "Macrohard and Colossus: a dossier", "fr": "Macrohard et Colossus\u00a0: un dossier"}


def test_metadata_cover_and_table_of_contents(editions) -> None:
    identifiers = set()
    for edition in editions:
        with zipfile.ZipFile(epub_of(edition)) as book:
            assert book.namelist()[0] == "mimetype" and book.infolist()[0].compress_type == zipfile.ZIP_STORED
            opf = ElementTree.fromstring(book.read("content.opf"))
            nav = BeautifulSoup(book.read("nav.xhtml"), "html.parser")
            cover_page = BeautifulSoup(book.read("epub-cover.xhtml"), "html.parser")
            meta = opf.find("opf:metadata", NS)
            # Each language's book is a book of its own: title and identifier.
            assert meta.findtext("dc:title", namespaces=NS) == BOOK_TITLES[edition.language]
            assert meta.findtext("dc:language", namespaces=NS) == edition.language
            assert meta.findtext("dc:creator", namespaces=NS).strip()
            assert "Macrohard" in meta.findtext("dc:source", namespaces=NS)
            identifier = meta.findtext("dc:identifier", namespaces=NS)
            identifiers.add(identifier)
            ncx = ElementTree.fromstring(book.read("toc.ncx"))
            assert ncx.find("ncx:head/ncx:meta[@name='dtb:uid']", NS).get("content") == identifier
            # The cover comes first in the reading order and shows the cover image.
            first = opf.find("opf:spine/opf:itemref", NS).get("idref")
            assert opf.find(f"opf:manifest/opf:item[@id='{first}']", NS).get("href") == "epub-cover.xhtml"
            image = cover_page.find("img")["src"]
            assert image in book.namelist() and b"Colossus" in book.read(image)
            # The table of contents reaches every section of the article.
            toc = nav.find("nav", attrs={"epub:type": "toc"})
            targets = {a["href"].split("#")[0] for a in toc.find_all("a")}
            assert {f"article/{s}.xhtml" for s in ARTICLE_SECTIONS} | {"glossary.xhtml"} <= targets
    assert len(identifiers) == len(editions)


def test_glossary_links_work_inside_the_book(editions) -> None:
    for edition in editions:
        with zipfile.ZipFile(epub_of(edition)) as book:
            names = set(book.namelist())
            ids = {n: {t["id"] for t in BeautifulSoup(book.read(n), "html.parser").find_all(id=True)}
                   for n in names if n.endswith(".xhtml")}
            to_glossary = 0
            for name in ids:
                for link in BeautifulSoup(book.read(name), "html.parser").find_all("a", href=True):
                    href = link["href"]
                    if href.startswith(("http:", "https:", "mailto:")):
                        continue
                    path, _, fragment = href.partition("#")
                    target = posixpath.normpath(posixpath.join(posixpath.dirname(name), path)) if path else name
                    assert target in names, f"{name}: {href} leads out of the book"
                    if fragment:
                        assert fragment in ids[target], f"{name}: {href} has no target"
                    to_glossary += target == "glossary.xhtml" and bool(fragment)
            assert to_glossary >= 50, "the article's mentions do not link to glossary entries"


def test_figures_read_as_on_the_site(editions) -> None:
    """Each page of the book shows the same figures, in the same words, as the site."""
    for edition in editions:
        compared = 0
        with zipfile.ZipFile(epub_of(edition)) as book:
            for section in ["index", "glossary", *(f"article/{s}" for s in ARTICLE_SECTIONS)]:
                site = BeautifulSoup((edition.html_dir / f"{section}.html").read_text(encoding="utf-8"), "html.parser")
                ebook = BeautifulSoup(book.read(f"{section}.xhtml"), "html.parser")
                on_site = [e.get_text() for e in site.select("article .figure-value")]
                in_book = [e.get_text() for e in ebook.select(".figure-value")]
                assert in_book == on_site, section
                compared += len(on_site)
        assert compared >= 50
