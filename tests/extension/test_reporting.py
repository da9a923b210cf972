"""Issue 14, item 4: our bad-input errors reach the reader as one sentence,
whether raised in Sphinx's main process or in one of its parallel workers;
issue 25: a language's process reports how its Sphinx run ended, a bug with its traceback."""

from __future__ import annotations

import shutil
import traceback
from pathlib import Path

import pytest
from helpers import ROOTS
from sphinx.errors import SphinxParallelError

from macrohard_docs.figures.data import FiguresDataError
from macrohard_docs.figures.reporting import bad_input_message
from macrohard_docs.publish.sphinxrun import Ending, LanguageProcess, SphinxRun

BILINGUAL = ROOTS / "test-i18n"


def as_from_a_worker(error: Exception) -> SphinxParallelError:
    """What sphinx.util.parallel sends back when a worker raises *error*."""
    try:
        raise error
    except Exception as raised:  # noqa: BLE001 - any error, as Sphinx's workers report it
        return SphinxParallelError(traceback.format_exception_only(type(raised), raised)[0].strip(),
                                   traceback.format_exc())


def test_messages_from_here_and_from_workers() -> None:
    error = FiguresDataError("/p/figures.toml", 3, "figure 'x' field 'value' is NaN", "write a number")
    assert bad_input_message(error) == "/p/figures.toml:3: figure 'x' field 'value' is NaN. Fix: write a number."
    assert bad_input_message(as_from_a_worker(error)) == str(error)
    assert bad_input_message(as_from_a_worker(ValueError("a real bug"))) is None
    assert bad_input_message(KeyError("x")) is None


def run_in_a_language_process(srcdir: Path, out: Path, jobs: str = "1") -> object:
    """One HTML build of *srcdir*, in a language process as the build command runs it."""
    process = LanguageProcess("en")
    try:
        return process.run(SphinxRun("html", srcdir, srcdir, out / "html", out / "doctrees", jobs))
    finally:
        process.close()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_bad_page_is_one_line_in_serial_and_parallel_builds(tmp_path: Path, capfd, jobs: str) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(BILINGUAL, srcdir)
    page = srcdir / "article" / "page.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA <script>alert(1)</script> here.\n",
                    encoding="utf-8")
    (srcdir / "extra-1.md").write_text("# One\n", encoding="utf-8")  # enough pages for two workers
    (srcdir / "extra-2.md").write_text("# Two\n", encoding="utf-8")
    result = run_in_a_language_process(srcdir, tmp_path / "out", jobs)
    assert result.ending == Ending.REFUSED, result
    assert result.message.startswith(f"{page}:") and "a <script> element in the page" in result.message
    assert "Traceback" not in capfd.readouterr().err
    assert not list(tmp_path.rglob("sphinx-err-*.log"))


def test_a_bug_is_reported_with_its_traceback(tmp_path: Path, capfd) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(BILINGUAL, srcdir)
    with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("\ndef setup(app):\n    app.connect('builder-inited', lambda app: 1 / 0)\n")
    result = run_in_a_language_process(srcdir, tmp_path / "out")
    assert result.ending == Ending.CRASHED, result
    assert "ZeroDivisionError" in capfd.readouterr().err
