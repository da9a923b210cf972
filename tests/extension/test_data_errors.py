"""Each kind of broken data file stops with one message: file, line, fix."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import ROOTS

from macrohard_docs.figures.data import FiguresDataError, load

GOOD = (ROOTS / "test-figures" / "figures.toml").read_text("utf-8")


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    lines = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    return lines[occurrence - 1]


def test_the_good_file_loads() -> None:
    data = load(ROOTS / "test-figures" / "figures.toml", ("en", "fr"))
    assert list(data.figures) == ["gpus", "power", "cost", "post"]
    assert str(data.derived_value(data.derived["power-per-gpu"])) == "15.5"


def test_malformed_toml_names_the_line(data_error, tmp_path: Path) -> None:
    text = GOOD.replace('id = "power"', 'id = "power', 1)
    error = data_error(text)
    assert error.line == line_of(text, 'id = "power')
    assert "not valid TOML" in error.problem


def test_missing_field(data_error, tmp_path: Path) -> None:
    text = GOOD.replace('measures = "Cost of the machine."\n', "", 1)
    error = data_error(text)
    assert error.line == line_of(text, 'id = "cost"')
    assert "figure 'cost' has no 'measures'" in error.problem
    assert "measures = ..." in error.fix


def test_unknown_unit_suggests_the_closest(data_error, tmp_path: Path) -> None:
    text = GOOD.replace('unit = "GW"', 'unit = "Gw"', 1)
    error = data_error(text)
    assert error.line == line_of(text, 'unit = "Gw"')
    assert "unknown unit 'Gw'" in error.problem and "did you mean 'GW'" in error.problem


def test_duplicate_id_names_both_lines(data_error, tmp_path: Path) -> None:
    text = GOOD.replace('id = "cost"', 'id = "gpus"', 1)
    error = data_error(text)
    first, second = line_of(text, 'id = "gpus"'), line_of(text, 'id = "gpus"', 2)
    assert error.line == second
    assert f"on line {first}" in error.problem


def test_unknown_field_is_a_typo_not_silence(data_error, tmp_path: Path) -> None:
    text = GOOD.replace('measures = "GPUs in the machine."', 'measure = "GPUs in the machine."', 1)
    error = data_error(text)
    assert "has no 'measures'" in error.problem


def test_wrong_type(data_error, tmp_path: Path) -> None:
    text = GOOD.replace("value = 100000", 'value = "100000"', 1)
    error = data_error(text)
    assert error.line == line_of(text, 'value = "100000"')
    assert "field 'value'" in error.problem


def test_missing_translation_of_a_unit(data_error, tmp_path: Path) -> None:
    text = GOOD.replace('fr = { other = "{n} GW" }\n', "", 1)
    error = data_error(text)
    assert error.line == line_of(text, "[units.GW]")
    assert "no 'fr' template" in error.problem


def test_bad_id_and_bad_reference(data_error, tmp_path: Path) -> None:
    error = data_error(GOOD.replace('id = "gpus"', 'id = "GPUs!"', 1))
    assert "not a valid id" in error.problem
    error = data_error(GOOD.replace('denominator = "gpus"', 'denominator = "gpu"', 1))
    assert "denominator 'gpu' is not a numeric figure" in error.problem


def test_date_with_a_numeric_unit(data_error, tmp_path: Path) -> None:
    error = data_error(GOOD.replace("value = 2025-08-22", "value = 20250822", 1))
    assert re.search(r"does not fit unit 'date'", error.problem)


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(FiguresDataError, match="cannot read the figures data file"):
        load(tmp_path / "missing.toml")
