"""Text folded for matching and sorting: lower case, accents away ("Énergie" -> "energie").

One rule for every place that folds:

* the search keys (site/search.py, ``tokenize``), with *compatibility*. Its
  twin is ``fold`` in static/macrohard-search.js, which folds what readers
  type: NFKD, marks dropped, then lower case;
* the French index (site/search_fr.py), with *ligatures*. Its twin is
  site/folding-stemmer-fr.js, which folds each query word (Sphinx's
  searchtools.js lower-cases it first): NFD, accents dropped, œ and æ spelled out;
* the glossary's dictionary order (figures/domain.py, ``sort_key``), at its
  first level, with *ligatures*.

The two switches follow the twins: each side of a search must fold alike, or
a key is out of reach (tests/search/test_folding.py runs both twins in
Chromium and compares).
"""

from __future__ import annotations

import unicodedata

# Letters written as two: French dictionaries file "œuvre" under "oeuvre".
LIGATURES = {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"}


def fold(text: str, *, compatibility: bool = False, ligatures: bool = False) -> str:
    """*text* in lower case without accents.

    *compatibility*: compatibility forms too, as NFKD reads them ("²" -> "2",
    "ﬁ" -> "fi", a no-break space -> a space). *ligatures*: œ and æ as two
    letters ("Œuvrés" -> "oeuvres").
    """
    decomposed = unicodedata.normalize("NFKD" if compatibility else "NFD", text)
    # Every mark, as \p{M} in the twins: accents, and the marks of other scripts.
    folded = "".join(char for char in decomposed if not unicodedata.category(char).startswith("M"))
    if ligatures:  # after decomposing, as the twin does: "ǽ" is "æ" and an accent
        folded = "".join(LIGATURES.get(char, char) for char in folded)
    return folded.lower()
