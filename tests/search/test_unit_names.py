"""A unit the data file names for Babel (`cldr`, `currency`) is found by its
spelled-out names in each language; one it does not name, only by its own words."""

from __future__ import annotations

from decimal import Decimal

from helpers import ROOT

from macrohard_docs.figures.data import load
from macrohard_docs.site.search import unit_words

DATA = load(ROOT / "docs" / "data" / "figures.toml", languages=("en", "fr"))


def words(unit: str) -> set[str]:
    return {word.replace("\u00a0", " ").replace("\u202f", " ")
            for word in unit_words(DATA.units[unit], Decimal(2), ["en", "fr"])}


def test_a_unit_with_a_cldr_id_is_found_by_its_names_in_both_languages() -> None:
    assert DATA.units["MW"].cldr == "power-megawatt"
    assert {"{n} megawatts", "{n} mégawatts", "{n} MW"} <= words("MW")


def test_a_unit_with_a_currency_is_found_by_the_currency_names_not_its_sign() -> None:
    assert {"{n} US dollars", "{n} dollars des États-Unis"} <= words("USD")
    assert "{n} $" not in words("USD")  # a sign, not a word: the number alone finds it


def test_a_unit_with_neither_keeps_its_own_words_only() -> None:
    assert DATA.units["GPU"].cldr is None and DATA.units["GPU"].currency is None
    assert words("GPU") == {"{n} GPU", "{n} GPUs", "{n} de GPU", "{n} Graphics processing unit"}
