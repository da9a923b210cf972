"""The "what the numbers imply" page and the "cite this" block."""

from __future__ import annotations

import datetime as dt
import re
import runpy

from helpers import DOCS, Edition

from macrohard_docs.figures.data import Dataset, format_date_value, format_figure
from macrohard_docs.figures.editions import editions_in
from macrohard_docs.site.dating import edition_epoch, utc_date


def test_implications_lists_every_derived_figure_with_its_formula(edition: Edition, data: Dataset) -> None:
    soup = edition.soup("implications.html")
    box = soup.select_one(".our-arithmetic.implications")
    assert box is not None
    formulas = box.select("p.formula")
    assert len(formulas) == len(data.derived)
    language = edition.language
    for para, derived in zip(formulas, data.derived.values(), strict=True):
        num, den = data.figures[derived.numerator], data.figures[derived.denominator]
        text = para.get_text()
        assert text.startswith(f"{format_figure(num, data, language)} ÷ {format_figure(den, data, language)}"
                               f" = {format_figure(derived, data, language)}")
        # Every figure of every formula links to its glossary entry, repeats included.
        hrefs = [a["href"] for a in para.find_all("a")]
        assert hrefs == [f"glossary.html#{num.anchor}", f"glossary.html#{den.anchor}",
                         f"glossary.html#{derived.anchor}"]
    glossary = edition.soup("glossary.html")
    for href in {a["href"].split("#")[1] for a in box.find_all("a")}:
        assert glossary.find(id=href) is not None


def test_landing_page_leads_to_implications(edition: Edition) -> None:
    soup = edition.soup("index.html")
    article = soup.select_one("article")
    assert article.select_one('li a[href="implications.html"]') is not None


def test_cite_this_block_is_generated_with_copy_buttons(edition: Edition) -> None:
    soup = edition.soup("about.html")
    block = soup.select_one(".cite-this")
    assert block is not None
    plain, bibtex = (pre.get_text() for pre in block.select("div.highlight pre"))
    assert any("copybutton" in (s.get("src") or "") for s in soup.find_all("script"))
    conf = runpy.run_path(str(DOCS / "conf.py"))
    # Each edition cites itself under its own title (conf.site_editions), and
    # names its authors in its own language.
    declared = next(e for e in editions_in(DOCS) if e.language == edition.language)
    title, author = declared.title, declared.author
    for value in (author, title, conf["dossier_source_title"]):
        assert value in plain and value in bibtex
    assert bibtex.startswith("@misc{") and bibtex.rstrip().endswith("}")
    # One date, written for readers in the text and as ISO in BibTeX.
    iso = re.search(r"date = \{(\d{4}-\d{2}-\d{2})\}", bibtex)
    assert iso is not None
    date = dt.date.fromisoformat(iso.group(1))
    assert f"year = {{{date.year}}}" in bibtex
    assert format_date_value(date, edition.language) in plain
    # The edition is dated by its content (macrohard_docs.site.dating), not by the day it was built.
    assert date == utc_date(edition_epoch(DOCS))
