"""Issue 16, point 4: the downloads page's commands work when run as written.

Each edition's downloads page shows how to unpack the site's zip and open it.
The zip is saved (as a browser would, under the name its link gives) into an
empty folder, each command is run there, and the page the last one opens
must be this edition's landing page, working from disk.
"""

from __future__ import annotations

import posixpath
import shlex
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup


def shown_commands(downloads: Path) -> tuple[list[list[str]], str]:
    """The console lines of the page (each split as a shell would), and the zip's link."""
    soup = BeautifulSoup(downloads.read_text(encoding="utf-8"), "html.parser")
    block = soup.select_one("div.offline-unpack pre, pre.offline-unpack, .highlight-console pre")
    assert block is not None, f"{downloads}: no commands shown"
    lines = [line.removeprefix("$ ") for line in block.get_text().splitlines() if line.startswith("$ ")]
    assert lines, f"{downloads}: no command line in {block.get_text()!r}"
    link = soup.select_one("tr#download-zip a.offline-file")
    assert link is not None
    return [shlex.split(line) for line in lines], unquote(link["href"])


@pytest.mark.browser
def test_each_command_on_the_downloads_page_runs(editions, open_page, tmp_path: Path) -> None:
    assert shutil.which("unzip"), "unzip is missing: the test runs the page's own commands"
    for edition in editions:
        downloads = edition.html_dir / "downloads.html"
        commands, zip_href = shown_commands(downloads)
        saved = tmp_path / edition.language
        saved.mkdir()
        # Saved from the page's own link, under the name it has there.
        shutil.copyfile(downloads.parent / posixpath.normpath(zip_href), saved / posixpath.basename(zip_href))
        *unpacking, (opener, index) = commands
        assert opener == "xdg-open"
        for command in unpacking:
            assert command[0] == "unzip", command
            run = subprocess.run(command, cwd=saved, capture_output=True, text=True, check=False)
            assert run.returncode == 0, f"{shlex.join(command)} failed: {run.stderr}"
        # xdg-open hands the file to the reader's browser: here, Chromium.
        opened = saved / index
        assert opened.is_file(), f"{index}: nothing there once unpacked"
        page, watch = open_page(opened)
        assert page.evaluate("document.documentElement.lang") == edition.language
        assert page.title() == BeautifulSoup((edition.html_dir / "index.html").read_text(encoding="utf-8"),
                                             "html.parser").title.get_text()
        assert not watch.problems(page)


def test_no_command_or_file_name_is_typed_in_the_page_source() -> None:
    source = (Path(__file__).resolve().parents[2] / "docs/source/downloads.md").read_text(encoding="utf-8")
    assert "{offline-unpack}" in source
    for typed in ("unzip ", "xdg-open", ".zip", "macrohard-dossier"):
        assert typed not in source, f"{typed!r} is typed in downloads.md"


def test_the_books_show_the_same_commands(editions) -> None:
    """The single page and the e-book's downloads chapter give the website's commands."""
    import zipfile

    for edition in editions:
        expected = BeautifulSoup((edition.html_dir / "downloads.html").read_text(encoding="utf-8"),
                                 "html.parser").select_one(".highlight-console pre").get_text()
        single = BeautifulSoup((edition.html_dir / "single/index.html").read_text(encoding="utf-8"), "html.parser")
        assert [pre.get_text() for pre in single.select(".highlight-console pre")] == [expected]
        [epub] = [p for p in edition.manifest_files if p.suffix == ".epub"]
        with zipfile.ZipFile(epub) as book:
            chapter = next(n for n in book.namelist() if n.endswith("downloads.xhtml"))
            page = BeautifulSoup(book.read(chapter), "html.parser")
        assert [pre.get_text() for pre in page.select(".highlight-console pre")] == [expected]
