"""Issue 7, point 3: a killed build, and incremental rebuilds, leave no stale page.

One checkout is built once, then changed step by step; after each change
the incremental build's site must equal, byte for byte and file for file, a
clean build of the same sources in a folder of its own. What changes: a
page's title (which every other page shows in its navigation), a page's
translation, the figures data, the extension's own catalog; and a page
removed, which must leave neither its file nor a link to it.
The first change is built by a build that is killed midway, which must leave
the last good site as it was; the build after it must come out right.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from helpers import (
    build_command,
    build_env,
    checkout,
    differences,
    edit,
    run_build,
    snapshot,
)

EXTRA_PAGE = "# Reading notes\n\nA page the fault tests add, then take away.\n"
# Its French catalog: every page of a translated edition needs one.
EXTRA_CATALOG = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    'msgid "Reading notes"\nmsgstr "Notes de lecture"\n\n'
    'msgid "A page the fault tests add, then take away."\n'
    'msgstr "Une page que les tests de pannes ajoutent, puis retirent."\n'
)


class Site:
    """A checkout and its output folder, built incrementally as the tests change it.

    The HTML editions alone (--html-only): they are what Sphinx rebuilds
    incrementally; the e-books, single pages, PDFs and zip are remade whole on
    every build, and tests/proof/test_reproducible.py compares them.
    """

    def __init__(self, root: Path) -> None:
        self.project = checkout(root / "project")
        self.out = root / "out"
        self.clean_count = 0
        self.root = root

    @property
    def docs(self) -> Path:
        return self.project / "docs"

    def build(self) -> str:
        run = run_build(self.project, self.out, "--html-only")
        assert run.returncode == 0, run.stderr
        return run.stderr

    def clean_build(self) -> dict[str, bytes]:
        """The same sources, built from nothing in a folder of their own."""
        self.clean_count += 1
        out = self.root / f"clean-{self.clean_count}"
        run = run_build(self.project, out, "--html-only")
        assert run.returncode == 0, run.stderr
        return snapshot(out / "html")

    def assert_same_as_clean(self) -> None:
        assert differences(snapshot(self.out / "html"), self.clean_build()) == []


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    site = Site(tmp_path_factory.mktemp("faults"))
    # A page of the article that a later test removes.
    (site.docs / "source" / "article" / "notes.md").write_text(EXTRA_PAGE, encoding="utf-8")
    (site.docs / "locales" / "fr" / "LC_MESSAGES" / "article" / "notes.po").write_text(
        EXTRA_CATALOG, encoding="utf-8")
    edit(site.docs / "source" / "article" / "index.md", "conclusion\n```", "conclusion\nnotes\n```")
    site.build()
    return site


def first_line(path: Path) -> str:
    return path.read_text(encoding="utf-8").splitlines()[0]


def pages_rewritten_since(folder: Path, moment: float) -> bool:
    """Whether any HTML page below folder was written after moment.

    The build creates and removes folders in staging while this looks, so a
    folder or page may vanish between listing and reading it: os.walk skips
    folders it cannot list, and a page gone before its stat is not a page.
    """
    for root, _folders, files in os.walk(folder):
        for name in files:
            if not name.endswith(".html"):
                continue
            try:
                if (Path(root) / name).stat().st_mtime > moment:
                    return True
            except FileNotFoundError:
                continue
    return False


def test_a_build_with_nothing_new_writes_nothing(site: Site) -> None:
    before = {p: p.stat().st_mtime_ns for p in (site.out / "html").rglob("*") if p.is_file()}
    run = run_build(site.project, site.out, "--html-only")
    assert run.returncode == 0, run.stderr
    assert "up to date" in run.stdout
    after = {p: p.stat().st_mtime_ns for p in (site.out / "html").rglob("*") if p.is_file()}
    assert after == before


def test_a_killed_build_keeps_the_site_and_the_next_build_is_right(site: Site) -> None:
    good = snapshot(site.out / "html")
    page = site.docs / "source" / "article" / "money.md"
    title = first_line(page)
    edit(page, title, title + ", and more")

    started = time.time()
    staging = site.out / ".staging" / "html"
    build = subprocess.Popen(build_command(site.docs, site.out, "--html-only"), cwd=site.project,
                             env=build_env(site.project), start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # Kill it while Sphinx is rewriting pages in staging: the worst moment.
        while not pages_rewritten_since(staging, started):
            assert build.poll() is None, "the build ended before it could be killed"
            assert time.time() - started < 120, "no page was rewritten in two minutes"
            time.sleep(0.02)
    finally:
        os.killpg(build.pid, signal.SIGKILL)
        build.wait()
    assert build.returncode == -signal.SIGKILL
    assert differences(snapshot(site.out / "html"), good) == []

    stderr = site.build()
    assert "the last build did not finish; building afresh" in stderr
    site.assert_same_as_clean()


def test_a_changed_translation_leaves_no_stale_page(site: Site) -> None:
    english = first_line(site.docs / "source" / "article" / "giants.md").removeprefix("# ")
    po = site.docs / "locales" / "fr" / "LC_MESSAGES" / "article" / "giants.po"
    with po.open("rb") as f:
        catalog = read_po(f)
    assert catalog[english].string, f"no French title for {english!r}"
    catalog[english].string += " !"
    with po.open("wb") as f:
        write_po(f, catalog)
    site.build()
    # Every French page shows the new title in its navigation, the landing page too.
    landing = (site.out / "html" / "fr" / "index.html").read_text(encoding="utf-8")
    assert f">{catalog[english].string}<" in landing
    site.assert_same_as_clean()


def test_changed_figures_data_leaves_no_stale_page(site: Site) -> None:
    edit(site.docs / "data" / "figures.toml", "value = 300\n", "value = 310\n")
    site.build()
    site.assert_same_as_clean()


def test_a_changed_catalog_of_the_extension_leaves_no_stale_page(site: Site) -> None:
    # "Our arithmetic" titles the boxes in article pages, written when a page is read.
    folder = site.project / "src" / "macrohard_docs" / "locales" / "fr" / "LC_MESSAGES"
    with (folder / "macrohard_docs.po").open("rb") as f:
        catalog = read_po(f)
    catalog["Our arithmetic"].string = "Nos calculs à nous"
    with (folder / "macrohard_docs.mo").open("wb") as f:
        write_mo(f, catalog)
    site.build()
    pages = snapshot(site.out / "html" / "fr" / "article")
    assert any("Nos calculs à nous".encode() in page for page in pages.values())
    site.assert_same_as_clean()


def test_a_removed_page_leaves_no_file_and_no_link(site: Site) -> None:
    assert (site.out / "html" / "article" / "notes.html").is_file()
    (site.docs / "source" / "article" / "notes.md").unlink()
    # Its catalog goes with it, and the .mo compiled from it (one left alone is refused).
    for catalog in ("notes.po", "notes.mo"):
        (site.docs / "locales" / "fr" / "LC_MESSAGES" / "article" / catalog).unlink()
    edit(site.docs / "source" / "article" / "index.md", "conclusion\nnotes\n```", "conclusion\n```")
    site.build()
    # Its file is gone from both editions, and no page links to it any more (the
    # navigation of every page changed with the toctree: the title test's case).
    published = snapshot(site.out / "html")
    assert [name for name in published if name.endswith("notes.html")] == []
    assert [name for name, data in published.items() if b"notes.html" in data] == []
