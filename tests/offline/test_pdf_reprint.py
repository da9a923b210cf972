"""A rebuild's PDF is a first build's PDF, byte for byte.

The contents give each chapter's page. A first build prints the single page
with that column empty, reads where the chapters fell, writes the numbers in
and prints again. A rebuild writes in the last build's numbers first and
prints again only if the chapters moved (packaging._print). Here the
session's single page is printed with numbers that are wrong and with
numbers that are right: both must give the session's own PDF.
"""

from __future__ import annotations

import calendar
import json
import re
import shutil
import time
from pathlib import Path

import pytest

from macrohard_docs.publish.packaging import Printer, PrintJob

NAME = "macrohard-dossier-en.pdf"


def epoch_of(pdf: bytes) -> int:
    """The date the build wrote into the PDF (SOURCE_DATE_EPOCH), as seconds."""
    found = re.search(rb"/CreationDate \(D:(\d{14})", pdf)
    assert found, "the PDF has no creation date"
    return calendar.timegm(time.strptime(found.group(1).decode(), "%Y%m%d%H%M%S"))


@pytest.mark.browser  # Chromium prints, in a child process
def test_a_reprint_with_wrong_or_right_page_numbers_is_the_first_printing(html_dir: Path,
                                                                          tmp_path: Path) -> None:
    published = (html_dir / "_editions" / NAME).read_bytes()
    # A copy of the site, so that the PDF sits where the published one does
    # (its links are written relative to it) without touching the site.
    site = tmp_path / "html"
    shutil.copytree(html_dir, site, ignore=shutil.ignore_patterns("*.zip", "*.epub"))
    (site / "_editions" / NAME).unlink()
    numbers = tmp_path / "contents-pages.json"
    job = PrintJob(page=site / "single" / "index.html", dest=site / "_editions" / NAME, numbers=numbers)

    def printed(known: dict[str, int]) -> tuple[bytes, dict[str, int]]:
        numbers.write_text(json.dumps(known), encoding="utf-8")
        printer = Printer(epoch_of(published))
        printer.add(job)
        assert printer.wait() is None
        printer.stop()
        return job.dest.read_bytes(), json.loads(numbers.read_text(encoding="utf-8"))

    # Wrong: every chapter a page later, and a chapter the book no longer has.
    wrong_pdf, right = printed({"macrohard": 2, "no-such-chapter": 99})
    assert len(right) > 5, right  # the chapters were found, each with its page
    assert wrong_pdf == published
    wrong = {chapter: page + 1 for chapter, page in right.items()}
    assert printed(wrong) == (published, right)
    assert printed(right) == (published, right)


@pytest.mark.browser
def test_a_page_that_cannot_be_printed_is_one_line(tmp_path: Path) -> None:
    job = PrintJob(page=tmp_path / "missing" / "index.html", dest=tmp_path / "out.pdf",
                   numbers=tmp_path / "contents-pages.json")
    printer = Printer(0)
    printer.add(job)
    problem = printer.wait()
    printer.stop()
    assert problem and problem.startswith("Chromium could not print it (exit 1: ") and "\n" not in problem
    assert not job.dest.exists()
