"""Issue 14, item 7: figures.csv is safe to open in a spreadsheet.

A text cell starting with = + - @, a tab or a carriage return would be read
as a formula: it gets a leading single quote (OWASP's advice). Numbers stay
numbers, negative ones included, and figures.json keeps the text as it is.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from helpers import ROOT, ROOTS

from macrohard_docs.figures.charts import Chart
from macrohard_docs.figures.data import load
from macrohard_docs.figures.datafiles import rows, to_csv, to_json

GOOD = (ROOTS / "test-figures" / "figures.toml").read_text("utf-8")
ATTACKS = ['=HYPERLINK("http://example.invalid","x")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_formula_in_a_text_cell_reads_back_as_text(tmp_path: Path, attack: str) -> None:
    text = GOOD.replace('measures = "GPUs in the machine."', f"measures = {json.dumps(attack)}", 1)
    text = text.replace("value = 100000", "value = -300", 1).replace(
        'symbol = "GPU"', 'symbol = "GPU"\nsigned = true', 1).replace(
        'symbol = "kW"', 'symbol = "kW"\nsigned = true', 1).replace(
        'symbol = "$"', 'symbol = "$"\nsigned = true', 1)
    path = tmp_path / "figures.toml"
    path.write_text(text, encoding="utf-8")
    table = rows(load(path, ("en",)), "en", {})
    read_back = list(csv.DictReader(io.StringIO(to_csv(table), newline="")))
    gpus = next(row for row in read_back if row["id"] == "gpus")
    assert gpus["measures"] == "'" + attack
    assert gpus["value"] == "-300"  # a number column: a number, sign and all
    assert float(gpus["unit_scale"]) == 1
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r"))
                   for row in read_back for name, cell in row.items() if name not in ("value", "unit_scale"))
    figures = json.loads(to_json(table, "en"))["figures"]
    assert next(f for f in figures if f["id"] == "gpus")["measures"] == attack
    assert next(f for f in figures if f["id"] == "gpus")["value"] == -300


def test_ordinary_cells_are_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "figures.toml"
    path.write_text(GOOD, encoding="utf-8")
    table = rows(load(path, ("en",)), "en", {})
    read_back = list(csv.DictReader(io.StringIO(to_csv(table), newline="")))
    assert read_back == table


def test_a_chart_csv_guards_its_text_cells_too(tmp_path: Path) -> None:
    """Issue 26: a chart row's label and a unit template reach charts/<id>.csv through the
    same writer as figures.csv, formula guard included; the value column stays a number."""
    text = (ROOT / "docs" / "data" / "figures.toml").read_text(encoding="utf-8")
    text = text.replace('label = "Colossus, when it came online"', 'label = "=1+1 Colossus"', 1)
    text = text.replace('en = { one = "{n} GPU", other = "{n} GPUs" }',
                        'en = { one = "@{n} GPU", other = "@{n} GPUs" }', 1)
    path = tmp_path / "figures.toml"
    path.write_text(text, encoding="utf-8")
    data = load(path, ("en",))
    read_back = list(csv.DictReader(io.StringIO(Chart(data.charts["gpus"], data, "en").csv_file(),
                                                newline="")))
    first = read_back[0]
    assert first["label"] == "'=1+1 Colossus"
    assert first["text"] == "'@100,000\u00a0GPUs"  # Babel's no-break space
    assert first["value"] == "100000"


def test_a_chart_csv_writes_a_round_derived_value_as_figures_csv_does(tmp_path: Path) -> None:
    """A derived value is normalised (10.00 -> 1E+1): the chart's CSV writes it as a plain
    number, through the one writer of values the data files use."""
    text = (ROOT / "docs" / "data" / "figures.toml").read_text(encoding="utf-8")
    text = text.replace('id = "projection-power"\nvalue = 1.55', 'id = "projection-power"\nvalue = 3', 1)
    path = tmp_path / "figures.toml"
    path.write_text(text, encoding="utf-8")
    data = load(path, ("en",))
    read_back = list(csv.DictReader(io.StringIO(Chart(data.charts["power"], data, "en").csv_file(), newline="")))
    assert next(row for row in read_back if row["figure"] == "projection-power-ratio")["value"] == "10"
    table = rows(data, "en", {})
    assert next(row for row in table if row["id"] == "projection-power-ratio")["value"] == "10"
