"""Each vocabulary the search shares with the browser is one table in Python: the
scripts get it as data the build writes, never as a copy of their own.

The kinds' rank and the folding rule reach macrohard-search.js through
glossary-data.js (MACROHARD_SEARCH_RULES), the French folding reaches the
stemmer through language_data.js; statuses and the French "1er" are one table
each, read by every module that writes them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from helpers import ROOT

from macrohard_docs.figures.folding import folding_rule
from macrohard_docs.figures.data import first_of_month, format_date_value
from macrohard_docs.figures.kinds import CHART_STATUSES, FIGURE_STATUSES, KINDS, STATUS
from macrohard_docs.site.search import search_rules, setup_search

SCRIPTS = [*(ROOT / "src" / "macrohard_docs" / "static").glob("*.js"),
           ROOT / "src" / "macrohard_docs" / "site" / "folding-stemmer-fr.js"]


def js_global(text: str, name: str) -> Any:
    match = re.search(rf"^window\.{name}=(.*);$", text, re.MULTILINE)
    assert match, f"{name} is not in the file"
    return json.loads(match.group(1))


def test_glossary_data_carries_the_rules_of_the_build(edition: Any) -> None:
    text = (edition.html_dir / "_static" / "glossary-data.js").read_text(encoding="utf-8")
    rules = js_global(text, "MACROHARD_SEARCH_RULES")
    assert rules == search_rules()
    assert rules["kindRank"] == {kind.name: kind.search_rank for kind in KINDS}
    assert min(rules["kindRank"], key=rules["kindRank"].get) == "name"  # names first
    assert rules["fold"] == {"form": "NFKD", "ligatures": {}}


def test_the_french_stemmer_carries_the_folding_rule(editions: Any) -> None:
    french = next(e for e in editions if e.language == "fr")
    text = (french.html_dir / "_static" / "language_data.js").read_text(encoding="utf-8")
    match = re.search(r"^var MACROHARD_FOLDING_FR = (.*);$", text, re.MULTILINE)
    assert match and json.loads(match.group(1)) == folding_rule(ligatures=True)


def test_the_scripts_hold_no_copy_of_a_vocabulary() -> None:
    assert len(SCRIPTS) > 5
    for script in SCRIPTS:
        text = script.read_text(encoding="utf-8")
        # A kind's rank written out ({ name: 3, ...}), the search's normalization or a
        # ligature of their own. (Highlighting folds one character at a time, by NFD,
        # to keep positions: no search rule, macrohard-search.js's foldSameLength.)
        assert not re.search(r"\b(name|unit|figure|derived)\s*:\s*\d", text), script.name
        assert not re.search(r"""normalize\(\s*["']NFKD""", text), script.name
        assert not re.search(r"[œæ]", text), script.name
    stemmer = (ROOT / "src" / "macrohard_docs" / "site" / "folding-stemmer-fr.js").read_text(encoding="utf-8")
    assert not re.search(r"""normalize\(\s*["']""", stemmer)


def test_statuses_and_the_first_of_the_month_are_one_table_each() -> None:
    assert set(FIGURE_STATUSES) < set(CHART_STATUSES) <= set(STATUS)
    assert str(STATUS["derived"].label()) == "our arithmetic"
    first = dt.date(2025, 8, 1)
    assert format_date_value(first, "fr") == "1er août 2025"
    assert first_of_month("1 août", 1, "fr") == "1er août"
    assert first_of_month("1 août", 1, "fr_CA") == "1er août"
    assert first_of_month("2 août", 2, "fr") == "2 août"
    assert format_date_value(first, "en") == "August 1, 2025"


def test_search_connects_three_handlers() -> None:
    """Per-page state lives in a domain: no purge or merge handler of its own."""
    connected: list[str] = []

    class App:
        def connect(self, event: str, handler: Any, priority: int = 500) -> None:
            connected.append(event)

        def add_domain(self, domain: Any) -> None:
            pass

    setup_search(App())  # type: ignore[arg-type]
    assert len(connected) <= 3, connected
    assert not {"env-purge-doc", "env-merge-info", "doctree-read"} & set(connected)
