"""A rebuild's PDF is a first build's PDF, byte for byte.

The contents give each chapter's page. A first build prints the single page
with that column empty, reads where the chapters fell, writes the numbers in
and prints again. A rebuild writes in the last build's numbers first and
prints again only if the chapters moved (packaging._print). Here the
session's single page is printed with numbers that are wrong and with
numbers that are right, and again with the chapters' layout the last printing
kept (or one kept for other text): each must give the session's own PDF.
"""

from __future__ import annotations

import calendar
import json
import re
import shutil
import time
from pathlib import Path

import pytest
from helpers import page_soup

from macrohard_docs.publish.packaging import Printer, PrintJob, chapter_pages, pdf_reader

NAME = "macrohard-dossier-en.pdf"


def epoch_of(pdf: bytes) -> int:
    """The date the build wrote into the PDF (SOURCE_DATE_EPOCH), as seconds."""
    found = re.search(rb"/CreationDate \(D:(\d{14})", pdf)
    assert found, "the PDF has no creation date"
    return calendar.timegm(time.strptime(found.group(1).decode(), "%Y%m%d%H%M%S"))


def chapters(single: Path) -> list[dict[str, str]]:
    """What packaging.CHAPTER_HEADINGS_JS reads in the browser: each h1's section and text."""
    tree = page_soup(single)
    return [{"id": (h1.find_parent("section") or h1).get("id", ""), "text": h1.get_text().replace("\u00b6", "")}
            for h1 in tree.select("article h1")]


@pytest.mark.browser  # Chromium prints, in a child process
def test_a_reprint_with_wrong_or_right_page_numbers_is_the_first_printing(html_dir: Path,
                                                                          tmp_path: Path) -> None:
    published = (html_dir / "_editions" / NAME).read_bytes()
    right = chapter_pages(pdf_reader(published), chapters(html_dir / "single" / "index.html"))
    assert len(right) > 5, right  # the chapters, each with the page it starts on
    wrong = {chapter: page + 1 for chapter, page in right.items()} | {"no-such-chapter": 99}
    # The single page copied where the site has it, the PDFs where the site has
    # them: their links are written relative to that folder.
    site = tmp_path / "html"
    shutil.copytree(html_dir / "single", site / "single")
    (site / "_editions").mkdir()
    printer = Printer(epoch_of(published))
    jobs = {}
    # A layout kept by a printing of other text: ignored, though it says every chapter was set tighter.
    (tmp_path / "stale-layout.json").write_text(json.dumps({chapter: ["0" * 64, 2] for chapter in right}))
    for name, known in (("wrong", wrong), ("right", right), ("stale", right)):
        numbers = tmp_path / f"{name}.json"
        numbers.write_text(json.dumps(known), encoding="utf-8")
        jobs[name] = PrintJob(site / "single" / "index.html", site / "_editions" / f"{name}.pdf", numbers)
        printer.add(jobs[name])
    # Printed again with the layout the "right" printing kept: no chapter's layout is decided anew.
    jobs["again"] = PrintJob(site / "single" / "index.html", site / "_editions" / "again.pdf", tmp_path / "right.json")
    printer.add(jobs["again"])
    # Each PDF is said printed once it is written, in order: an edition waits for its own alone.
    assert printer.printed(jobs["wrong"]) is None
    assert jobs["wrong"].dest.read_bytes() == published
    assert printer.printed(jobs["right"]) is None
    assert json.loads((tmp_path / "right-layout.json").read_text(encoding="utf-8")).keys() == right.keys()
    assert printer.wait() is None
    printer.stop()
    for job in jobs.values():
        assert job.dest.read_bytes() == published
        assert json.loads(job.numbers.read_text(encoding="utf-8")) == right


@pytest.mark.browser
def test_a_page_that_cannot_be_printed_is_one_line(tmp_path: Path) -> None:
    job = PrintJob(page=tmp_path / "missing" / "index.html", dest=tmp_path / "out.pdf",
                   numbers=tmp_path / "contents-pages.json")
    printer = Printer(0)
    printer.add(job)
    problem = printer.printed(job)  # the printer ends instead of saying it printed the job
    printer.stop()
    assert problem and problem.startswith("Chromium could not print it (exit 1: ") and "\n" not in problem
    assert not job.dest.exists()
