"""Issue 26: faults the build meets end in one line naming the cause and the fix.

A disk that fills up while Sphinx pickles its environment or writes a page
(in this process or in a parallel worker), and a CHROMIUM setting that names
no browser or one that will not start, once ended in a crash report or in
Playwright's log of the browser.
"""

from __future__ import annotations

import errno
import tempfile

import pytest
from sphinx.errors import SphinxParallelError

from macrohard_docs.figures.reporting import bad_input_message
from macrohard_docs.publish import packaging
from macrohard_docs.publish.packaging import Printer, PrintJob, pdf_unavailable


@pytest.mark.parametrize("exception", [
    OSError(errno.ENOSPC, "No space left on device", "/out/.doctrees/fr/environment.pickle"),
    SphinxParallelError("OSError: [Errno 28] No space left on device: '/out/.doctrees/fr/environment.pickle'",
                        "Traceback (most recent call last): ..."),
])
def test_a_full_disk_under_sphinx_is_one_line(exception: BaseException) -> None:
    assert bad_input_message(exception) == (
        "/out/.doctrees/fr/environment.pickle: cannot write Sphinx's files (the disk is full). "
        "Fix: free space on that disk, or build elsewhere with --out DIR.")


def test_other_errors_still_get_sphinx_report() -> None:
    assert bad_input_message(OSError(errno.ENOENT, "No such file or directory", "x")) is None
    assert bad_input_message(KeyError("x")) is None


def test_a_chromium_setting_naming_no_program_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHROMIUM", "/nonexistent/chromium")
    why = pdf_unavailable()
    assert why is not None and why.startswith("CHROMIUM=/nonexistent/chromium is not an executable file. Fix: ")


def test_a_chromium_that_does_not_start_is_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("CHROMIUM", "/bin/false")
    page = tmp_path / "index.html"
    page.write_text("<!doctype html><title>x</title>", encoding="utf-8")
    printer = Printer(0)
    try:
        printer.add(PrintJob(page=page, dest=tmp_path / "x.pdf", numbers=tmp_path / "numbers.json"))
        why = printer.wait()
    finally:
        printer.stop()
    assert why == ("Chromium (/bin/false) did not start. Fix: set CHROMIUM to a working Chromium "
                   "(Debian: /usr/bin/chromium), or build with --pdf off")


def test_a_chromium_that_never_answers_ends_the_printing(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """A browser that starts but never answers its DevTools pipe is given up, not waited for forever."""
    hung = tmp_path / "chromium"
    hung.write_text("#!/bin/sh\nexec sleep 60\n", encoding="utf-8")
    hung.chmod(0o755)
    monkeypatch.setattr(packaging, "ANSWER_SECONDS", 1)
    # Its own temporary folder: a PDF printed by another test meanwhile has a profile in /tmp.
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    with pytest.raises(RuntimeError, match="Chromium did not answer in 1 s"):
        packaging.Browser(str(hung))
    assert list(private.iterdir()) == [], "its profile was left behind"
