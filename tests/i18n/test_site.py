"""The built site, both editions: language, alternates, switcher links both
ways, French figures from the data, French glossary order, stable anchors."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urldefrag

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from helpers import ROOT, page_soup

from macrohard_docs.figures.data import format_figure, load
from macrohard_docs.figures.domain import sort_key
from macrohard_docs.site.search_fr import SearchFrenchFolded

NNBSP, NBSP = "\u202f", "\u00a0"


def soup(path: Path) -> BeautifulSoup:
    return page_soup(path)


def resolve(page: Path, href: str) -> Path:
    target, _fragment = urldefrag(href)
    return (page.parent / target).resolve()


@pytest.fixture(scope="module")
def french(editions):
    return next(e for e in editions if e.language == "fr")


@pytest.fixture(scope="module")
def english(editions):
    return next(e for e in editions if e.language == "en")


def test_both_editions_have_the_same_pages(editions):
    en, fr = editions
    pages = lambda e: {p.relative_to(e.html_dir) for p in e.pages()}
    assert pages(en) == pages(fr)
    assert Path("article/colossus.html") in pages(fr) and Path("glossary.html") in pages(fr)
    assert not any(p.parts[0] == "fr" for p in pages(en))


def test_pages_declare_language_and_alternates(edition, editions):
    """hreflang alternates name full addresses, or (a local build, whose address
    is unknown) are not written at all: a relative one is invalid."""
    languages = {e.language for e in editions}
    pages = edition.pages() + [edition.html_dir / "single" / "index.html"]
    for page in pages:
        html = soup(page)
        assert html.html["lang"] == edition.language, page
        canonical = html.find("link", rel="canonical")
        alternates = {link["hreflang"]: link["href"] for link in html.find_all("link", rel="alternate")}
        if canonical is None:
            assert "hreflang" not in page.read_text(encoding="utf-8"), f"{page}: hreflang with no address"
            continue
        assert set(alternates) == languages, page
        assert alternates[edition.language] == canonical["href"], page
        for href in alternates.values():
            assert re.match(r"^https?://", href), f"{page}: {href} is not a full address"


def test_switcher_goes_to_the_same_page_and_back(edition):
    for page in edition.pages() + [edition.html_dir / "single" / "index.html"]:
        links = soup(page).select("nav.edition-switcher a[lang]")
        assert links, f"{page}: no language switcher"
        for link in links:
            other = resolve(page, link["href"])
            assert other.is_file(), f"{page}: switcher link {link['href']} leads nowhere"
            assert other.name == page.name and other != page.resolve()
            assert soup(other).html["lang"] == link["lang"]
            back = [resolve(other, a["href"]) for a in soup(other).select("nav.edition-switcher a")]
            assert page.resolve() in back, f"{other} does not switch back to {page}"


def test_skip_link_first_then_switcher(edition):
    body = soup(edition.html_dir / "glossary.html").body
    focusable = body.find_all(["a", "button", "input"], recursive=True)
    first_link = next(tag for tag in focusable if tag.name == "a")
    assert "skip-to-content" in first_link["class"]
    assert first_link.find_next("a").find_parent("nav", class_="edition-switcher") is not None


def test_switcher_is_labelled_in_the_page_language(editions):
    labels = {e.language: soup(e.html_dir / "index.html").select_one("nav.edition-switcher")["aria-label"]
              for e in editions}
    assert labels == {"en": "Language", "fr": "Langue"}
    assert soup(editions[0].html_dir / "index.html").select_one(
        "nav.edition-switcher a").get_text() == "Lire cette page en français"


def test_french_figures_come_from_the_data_in_french_form(french):
    data = load(ROOT / "docs" / "data" / "figures.toml", languages=("fr",))
    glossary = soup(french.html_dir / "glossary.html")
    for item in [*data.figures.values(), *data.derived.values()]:
        term = glossary.find(id=item.anchor)
        assert term is not None, item.id
        # The term without its "¶" link to itself.
        assert term.select_one(".term-label").get_text(strip=True) == format_figure(item, data, "fr"), item.id
    article = " ".join(soup(p).select_one("article").get_text(" ") for p in french.pages()
                       if "article" in p.parts)
    for expected in (f"100{NNBSP}000{NBSP}GPU", f"1,55{NBSP}GW", "7 milliards de dollars",
                     "22 août 2025", "1er août 2025"):
        assert expected in article, expected
    assert "100,000" not in article and "$7 billion" not in article


def test_french_glossary_is_in_french_order_with_the_english_anchors(french, english):
    fr, en = soup(french.html_dir / "glossary.html"), soup(english.html_dir / "glossary.html")
    names = [dt.get_text(strip=True) for dt in fr.select(".glossary-names dt")]
    assert names == sorted(names, key=lambda n: sort_key(n, "fr")) and len(names) > 10
    anchors = lambda s: [dt["id"] for dt in s.select(".figures-glossary dt")]
    assert sorted(anchors(fr)) == sorted(anchors(en))
    # Cross-edition links keep working: every anchor of the English glossary exists in French.
    assert all(fr.find(id=anchor) for anchor in anchors(en))


def test_french_pages_keep_no_english_sentence(french):
    text = {p: soup(p).select_one("article").get_text(" ") for p in french.pages()}
    for po in (ROOT / "docs/locales/fr/LC_MESSAGES").rglob("*.po"):
        page = french.html_dir / po.relative_to(ROOT / "docs/locales/fr/LC_MESSAGES").with_suffix(".html")
        if page not in text:
            continue  # sphinx.po: the theme's strings, not a page
        with po.open("rb") as handle:
            for message in read_po(handle):
                if not message.id or message.string == message.id:
                    continue  # a quotation kept in its own language
                plain = re.sub(r"\{\w+\}`[^`]*`|[*\[\]]|\(\S+\.md\)", "", message.id)
                words = max(re.split(r"[.;:,?!]", plain), key=len).strip()
                assert words not in text[page], f"{page.name}: English left: {words!r}"


def test_theme_strings_are_french(french):
    html = soup(french.html_dir / "article" / "money.html")
    assert html.select_one("a.skip-to-content").get_text(strip=True) == "Aller au contenu"
    assert "Suivant" in html.select_one(".related-pages").get_text()


def test_french_search_index_is_stemmed_and_folded(french):
    raw = (french.html_dir / "searchindex.js").read_text("utf-8")
    index = json.loads(raw[raw.index("(") + 1: raw.rindex(")")])
    terms = {**index["terms"], **index["titleterms"]}
    language = SearchFrenchFolded({})
    # "énergie" is in a section title, "turbines" in the text: both keyed folded and stemmed.
    assert language.stem("énergie") == language.stem("energie") == "energ" and "energ" in terms
    assert language.stem("turbines") == language.stem("turbine") in terms
    assert "énerg" not in terms and "énergie" not in terms
    language_js = (french.html_dir / "_static" / "language_data.js").read_text("utf-8")
    assert "FrenchStemmer" in language_js and '"form": "NFD"' in language_js  # the folding rule, as data
