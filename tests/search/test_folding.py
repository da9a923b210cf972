"""The build and the browser fold text alike, or a search key is out of reach.

The build folds with macrohard_docs.figures.folding.fold: the glossary's
search keys (site/search.py, `tokenize`) and the French index's stems
(site/search_fr.py). The browser folds what readers type with the twins:
`fold` and `tokenize` in static/macrohard-search.js, and the French stemmer
of site/folding-stemmer-fr.js, each given its rule as the build writes it
(glossary-data.js, language_data.js). Both sides run here on the same texts: the
data file's, every French catalog's, and letters chosen to differ (accents,
ligatures, "ß", compatibility forms, other scripts' capitals).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from babel.messages.pofile import read_po
from helpers import ROOT
from playwright.sync_api import Browser, Page

from macrohard_docs.figures.data import format_figure, load
from macrohard_docs.figures.folding import fold
from macrohard_docs.site.search import js_global, search_rules, tokenize
from macrohard_docs.site.search_fr import SearchFrenchFolded

STATIC = ROOT / "src" / "macrohard_docs" / "static"
CATALOGS = [*(ROOT / "docs" / "locales" / "fr").rglob("*.po"),
            *(ROOT / "src" / "macrohard_docs" / "locales" / "fr").rglob("*.po")]
TRICKY = [
    "Énergie", "ÉNERGIE", "énergie", "Œuvrés", "cœur", "Cæsar", "ǽsc", "naïve", "Noël", "garçon",
    "Ça", "İstanbul", "Straße", "STRASSE", "ẞ", "ſ", "µs", "ﬁnance", "m²", "½", "Ⅻ", "Ångström",
    "1,55\u202fGW", "550\u00a0000", "7 milliards de dollars", "Σίσυφος", "ΟΔΥΣΣΕΥΣ", "Москва́",
    "Ｆｕｌｌｗｉｄｔｈ", "Ꭰ", "ǅemal",
]


def texts() -> list[str]:
    data = load(ROOT / "docs" / "data" / "figures.toml", ("en", "fr"))
    found = [*TRICKY]
    for name in data.names.values():
        found += [name.label, name.about, name.context or ""]
    for unit in data.units.values():
        found += [unit.symbol, unit.about or ""]
        found += [t for templates in unit.templates.values() for t in templates.values()]
    for item in [*data.figures.values(), *data.derived.values()]:
        found += [item.measures, *(format_figure(item, data, lang) for lang in ("en", "fr"))]
    for path in CATALOGS:
        with path.open("rb") as handle:
            found += [m.string for m in read_po(handle) if isinstance(m.string, str) and m.string]
    return [text for text in dict.fromkeys(found) if text]


@pytest.fixture(scope="module")
def blank(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    page = context.new_page()
    # The rules as glossary-data.js carries them, then the script that reads them.
    page.add_script_tag(content=js_global("MACROHARD_SEARCH_RULES", search_rules()))
    page.add_script_tag(content=(STATIC / "macrohard-search.js").read_text(encoding="utf-8"))
    page.add_script_tag(content=SearchFrenchFolded.js_stemmer_code)
    yield page
    context.close()


def test_search_keys_fold_as_queries_do(blank: Page) -> None:
    sample = texts()
    assert len(sample) > 200, "the data file and the catalogs gave too few texts"
    in_browser = blank.evaluate(
        "(texts) => texts.map((t) => [MacrohardSearch.fold(t), MacrohardSearch.tokenize(t)])", sample)
    differ = [(text, [fold(text, compatibility=True), tokenize(text)], js)
              for text, js in zip(sample, in_browser, strict=True)
              if [fold(text, compatibility=True), tokenize(text)] != js]
    assert not differ, "folded differently (text, Python, browser):\n" + "\n".join(map(repr, differ[:20]))


def test_french_index_stems_as_queries_do(blank: Page) -> None:
    # Words as Sphinx's indexer splits them; searchtools.js lower-cases each query word.
    words = sorted({word for text in texts() for word in re.findall(r"\w+", text)})
    assert len(words) > 500
    french = SearchFrenchFolded({})
    in_browser = blank.evaluate(
        "(words) => { const s = new Stemmer(); return words.map((w) => s.stemWord(w.toLowerCase())); }",
        words)
    differ = [(word, french.stem(word), js) for word, js in zip(words, in_browser, strict=True)
              if french.stem(word) != js]
    assert not differ, "stemmed differently (word, index, query):\n" + "\n".join(map(repr, differ[:20]))
    assert french.stem("Énergie") == french.stem("energie") == "energ"
