"""Text folded for matching and sorting: lower case, accents away ("Énergie" -> "energie").

One rule wherever text is folded: the search keys (site/search.py, with
*compatibility*), the French index (site/search_fr.py, with *ligatures*) and
the glossary's order (figures/domain.py, ``sort_key``, with *ligatures*); the
browser's scripts receive it as data (:func:`folding_rule`) instead of a copy.
Each side of a search must fold alike, or a key is out of reach
(tests/search/test_folding.py runs both sides in Chromium and compares).
"""

from __future__ import annotations

import unicodedata

# Letters written as two: French dictionaries file "œuvre" under "oeuvre".
LIGATURES = {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"}
# The Unicode normalization that splits accents off, by `compatibility`: NFKD
# reads compatibility forms too.
NORMALIZATION = {False: "NFD", True: "NFKD"}


def folding_rule(*, compatibility: bool = False, ligatures: bool = False) -> dict[str, object]:
    """The rule :func:`fold` follows, as the browser's twins read it: the Unicode
    normalization that splits accents off, then every mark (\\p{M}) dropped, the
    ligatures spelled out, and lower case."""
    return {"form": NORMALIZATION[compatibility], "ligatures": LIGATURES if ligatures else {}}


def fold(text: str, *, compatibility: bool = False, ligatures: bool = False) -> str:
    """*text* in lower case without accents.

    *compatibility*: compatibility forms too, as NFKD reads them ("²" -> "2",
    "ﬁ" -> "fi", a no-break space -> a space). *ligatures*: œ and æ as two
    letters ("Œuvrés" -> "oeuvres").
    """
    if text.isascii():  # nothing to decompose or drop (the pages' words, mostly)
        return text.lower()
    decomposed = unicodedata.normalize(NORMALIZATION[compatibility], text)
    # Every mark, as \p{M} in the browser: accents, and the marks of other scripts.
    folded = "".join(char for char in decomposed if not unicodedata.category(char).startswith("M"))
    if ligatures:  # after decomposing, as the browser does: "ǽ" is "æ" and an accent
        folded = "".join(LIGATURES.get(char, char) for char in folded)
    return folded.lower()
