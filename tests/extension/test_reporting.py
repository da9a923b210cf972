"""Issue 14, item 4: our bad-input errors reach the reader as one sentence,
whether raised in Sphinx's main process or in one of its parallel workers."""

from __future__ import annotations

import shutil
import traceback
from pathlib import Path

import pytest
import sphinx.locale
from helpers import ROOTS
from sphinx.cmd.build import build_main
from sphinx.errors import SphinxParallelError

from macrohard_docs.figures.data import FiguresDataError
from macrohard_docs.figures.reporting import bad_input_message, plain_bad_input

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


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_bad_page_is_one_line_in_serial_and_parallel_builds(tmp_path: Path, capsys, jobs: str) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(BILINGUAL, srcdir)
    page = srcdir / "article" / "page.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA <script>alert(1)</script> here.\n",
                    encoding="utf-8")
    (srcdir / "extra-1.md").write_text("# One\n", encoding="utf-8")  # enough pages for two workers
    (srcdir / "extra-2.md").write_text("# Two\n", encoding="utf-8")
    reported: list[str] = []
    sphinx.locale.translators.clear()
    with plain_bad_input(reported):
        status = build_main(["-b", "html", "-q", "-j", jobs, str(srcdir), str(tmp_path / "out")])
    assert status == 2
    assert len(reported) == 1 and reported[0].startswith(f"{page}:"), reported
    assert "a <script> element in the page" in reported[0]
    assert "Traceback" not in capsys.readouterr().err
