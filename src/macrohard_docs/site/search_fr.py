"""The search languages: French that forgives missing accents ("energie" finds
"énergie"), and both editions' stems taken once per build.

Sphinx's French search stems words with Snowball, in Python for the index and in
JavaScript for the query. This language folds accents away *before* stemming on both
sides, so a query with or without accents reaches the same index key, and plurals still
meet their singular. A scorer cannot do this: the index itself must hold folded stems.
"""

from __future__ import annotations

import functools
import json
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.search.en import SearchEnglish
from sphinx.search.fr import SearchFrench

from ..figures.folding import fold, folding_rule

if TYPE_CHECKING:
    from sphinx.application import Sphinx

# The same folding in the browser (fold with ligatures: "Œuvrés" -> "oeuvres"),
# wrapped around Sphinx's own French stemmer: the script, after the rule it follows.
FOLDING_STEMMER_JS = (
    f"\nvar MACROHARD_FOLDING_FR = {json.dumps(folding_rule(ligatures=True), sort_keys=True)};\n"
    + (Path(__file__).parent / "folding-stemmer-fr.js").read_text(encoding="utf-8"))


class StemsOnce:
    """A search language that stems each distinct word once per build: Sphinx memoises stems page
    by page, Snowball is pure Python and pages repeat their words (a tenth of the English build)."""

    def __init__(self, options: dict[str, str]) -> None:
        super().__init__(options)  # type: ignore[call-arg]
        self.stem = functools.cache(self.stem)  # type: ignore[method-assign]


class SearchEnglishOnce(StemsOnce, SearchEnglish):
    """Sphinx's English search, each word stemmed once."""


class SearchFrenchFolded(StemsOnce, SearchFrench):
    """Sphinx's French search, with accents folded in the index and the query."""

    lang = "fr"
    js_stemmer_rawcode = ""  # the whole stemmer is inlined below
    js_stemmer_code = "\n".join((files("sphinx.search") / "minified-js" / name).read_text(encoding="utf-8")
                                for name in ("base-stemmer.js", "french-stemmer.js")) + FOLDING_STEMMER_JS
    # The browser drops stop words before stemming; accept them unaccented too.
    stopwords = frozenset(SearchFrench.stopwords | {fold(w, ligatures=True) for w in SearchFrench.stopwords})

    def stem(self, word: str) -> str:
        return self.stemmer.stemWord(fold(word, ligatures=True))


def setup_search_fr(app: Sphinx) -> None:
    app.add_search_language(SearchEnglishOnce)
    app.add_search_language(SearchFrenchFolded)
