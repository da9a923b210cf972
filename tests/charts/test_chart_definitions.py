"""The [[chart]] tables of the data file: a bad definition stops the build with
one message naming the file, the line, the field and the fix."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import DOCS, ROOT

from macrohard_docs.figures.data import FiguresDataError, load

DATA = DOCS / "data" / "figures.toml"
TEXT = DATA.read_text(encoding="utf-8")
# Figures carry a `status` too: the first one a chart row gives comes after them all.
PROMISED_ROW = TEXT[:TEXT.index("[[chart]]")].count('status = "promised"') + 1


def broken(tmp_path: Path, old: str, new: str, nth: int = 1) -> tuple[Path, int]:
    """The data file with the *nth* *old* replaced by *new*; and that line's number."""
    assert TEXT.count(old) >= nth, old
    at = -1
    for _ in range(nth):
        at = TEXT.index(old, at + 1)
    path = tmp_path / "figures.toml"
    path.write_text(TEXT[:at] + new + TEXT[at + len(old):], encoding="utf-8")
    return path, TEXT[:at].count("\n") + 1


def error(path: Path) -> FiguresDataError:
    with pytest.raises(FiguresDataError) as caught:
        load(path, languages=("en", "fr"))
    return caught.value


def test_the_data_file_defines_each_chart_the_pages_draw() -> None:
    data = load(DATA, languages=("en", "fr"))
    assert set(data.charts) == {"gpus", "power", "money", "timeline"}
    drawn = {line.split("}", 1)[1].strip() for page in (DOCS / "source").rglob("*.md")
             for line in page.read_text(encoding="utf-8").splitlines() if line.startswith("```{figure-chart}")}
    assert drawn == set(data.charts)


@pytest.mark.parametrize(("old", "new", "nth", "expected"), [
    ('figure = "colossus-2-gpus"', 'figure = "colossus-3-gpus"', 1,
     ["chart 'gpus' row names figure 'colossus-3-gpus'", "did you mean 'colossus-2-gpus'",
      "Fix: name the id of a [[figure]] or [[derived]] entry"]),
    ('status = "promised"', 'status = "hoped"', PROMISED_ROW,
     ["chart 'gpus' row 'colossus-2-gpus' has unknown status 'hoped'", "Fix: use one of stated, promised"]),
    ('place = "aside"', 'place = "bar"', 3,
     ["chart 'money' puts 'xai-funding-raised' (a one-off amount) and 'azure-revenue' (a flow, per year) on one axis",
      "Fix: draw the flow in a chart of its own, or give its row `place = \"aside\"`"]),
    ('kind = "bars"', 'kind = "pie"', 1, ["chart 'gpus' has unknown kind 'pie'", "Fix: use one of bars, timeline"]),
    ('unit = "MW"\ntitle', 'unit = "MWh"\ntitle', 1,
     ["chart 'power' has axis unit 'MWh', which is not a numeric unit", "Fix: use one of"]),
    ('notice = "The projected machine would need several times',
     'notice = "The projected machine would need 5.17 times', 1,
     ["chart 'power' field 'notice' repeats a number ('5')", "Fix: say in words what to notice"]),
    ('label = "Colossus, at a stage', 'labl = "Colossus, at a stage', 1,
     ["chart 'power' row has no 'label'", "Fix: add `label = ...` to it"]),
    ('source = "Source: the French article on Macrohard; the ratio is our arithmetic."',
     'source = "Source: the French article on Macrohard; the ratio is our arithmetic."\nsorce = "x"', 1,
     ["chart 'power' has an unknown field 'sorce' (did you mean 'source'?)", "Fix: use only"]),
    # An id is matched whole: "$" alone would let an id end in a line break.
    ('id = "gpus"', 'id = "gpus\\n"', 1, ["chart 'gpus\\n' id is not a valid id", "Fix: use lower-case"]),
])
def test_a_bad_chart_definition_names_file_line_field_and_fix(
        tmp_path: Path, old: str, new: str, nth: int, expected: list[str]) -> None:
    path, line = broken(tmp_path, old, new, nth)
    message = str(error(path))
    changed = line + new.count("\n") if "sorce" in new else line
    assert message.startswith(f"{path}:"), message
    where = int(message.split(":", 2)[1])
    # The line of the field at fault, or else the line of its row or chart.
    assert where == changed or (where < changed and ("row" in message or "chart" in message)), (where, changed)
    for text in expected:
        assert text in message, f"{text!r} not in {message!r}"


def test_a_chart_that_is_not_a_table_is_refused(tmp_path: Path) -> None:
    """As a figure that is not a table is (it was a traceback)."""
    path = tmp_path / "figures.toml"
    path.write_text("chart = [1]\n" + TEXT[:TEXT.index("[[chart]]")], encoding="utf-8")
    message = str(error(path))
    assert message.startswith(f"{path}:1: 'chart' must be a list of tables, not [1]"), message
    assert "Fix: write each entry as a [[chart]] table" in message


def test_a_figure_marked_derived_is_refused(tmp_path: Path) -> None:
    label = 'label = "Colossus, at a stage the source does not name"'
    path, line = broken(tmp_path, label, f'{label}\nstatus = "derived"')
    message = str(error(path))
    assert f"{path}:{line + 1}:" in message
    assert "has status 'derived', but the figure is stated by the article" in message


def test_the_build_stops_on_a_bad_chart_with_one_message(tmp_path: Path) -> None:
    """Through the build command: non-zero exit and the one message.

    (Sphinx still prints its error report around it for every data error;
    quieting that is build.py's error reporting, issue 14.)
    """
    shutil.copytree(DOCS, tmp_path / "docs", ignore=shutil.ignore_patterns("_build"))
    data = tmp_path / "docs" / "data" / "figures.toml"
    path, line = broken(tmp_path, 'status = "promised"', 'status = "hoped"', PROMISED_ROW)
    data.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    run = subprocess.run([sys.executable, "-m", "macrohard_docs.publish", "--docs", str(tmp_path / "docs"),
                          "--out", str(tmp_path / "out"), "--pdf", "off", "--jobs", "1"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, check=False, timeout=600)
    assert run.returncode != 0
    assert f"{data}:{line}: chart 'gpus' row 'colossus-2-gpus' has unknown status 'hoped'" in run.stderr
    assert "Fix: use one of stated, promised, projection, derived." in run.stderr
    assert "the last good site" in run.stderr
