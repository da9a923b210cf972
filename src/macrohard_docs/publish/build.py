"""Build the site strictly and publish it only when the build succeeds.

Sphinx writes into a staging folder that persists between runs (so rebuilds
stay incremental); the published folder is replaced in one rename once every
builder has passed. A failed or interrupted build leaves the last good site
where it was.

Each HTML edition also gets its offline editions, published inside it so that
the downloads page links work from disk and inside the zip:

    <target>/single/index.html                  single page (singlehtml)
    <target>/_editions/macrohard-dossier-<lang>.epub
    <target>/_editions/macrohard-dossier-<lang>.pdf   (Chromium prints the single page)
    html/_editions/macrohard-dossier-html.zip     the whole site, every edition

Order, for the sizes on the downloads pages: every edition's single page;
then its EPUB while one Chromium prints the PDFs from the single pages (the
two share the cores); then each HTML edition once its own PDF is printed, its
downloads page stating those sizes; then our scripts and style sheets
minified (publish/minify.py); then the zip of the whole site (one zip for
every language, so that the language switcher still works once it is
unpacked). The downloads pages are in the zip and state its size, so the
zip is made again until it has the size they state (zip_site), each edition's
web app (its service worker, from the files as they will be published:
publish/webapp.py) written before each zip. The zip cannot contain itself: in
the unpacked copy, that one link is the only one with nothing behind it.

One build at a time writes an output folder (see macrohard_docs.publish.lock): a
second one waits for the first, or with --no-wait exits 2 at once. SIGTERM
and SIGHUP stop a build as Ctrl-C does, its Sphinx workers with it. Bad input
ends the build with one line naming the file, the line and the fix.

    python -m macrohard_docs.publish [--jobs N] [--out docs/_build] [--pdf auto|required|off]
                                     [--base-url https://...] [--no-wait] [--force]
"""

from __future__ import annotations

import argparse
import errno
import io
import json
import os
import posixpath
import re
import shutil
import signal
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..figures.editions import EditionsError, editions_in
from ..site.dating import content_epoch
from . import stamp
from .lock import BuildRunning, OutputLock, end_children, exchange, received, stop_on
from .packaging import (
    Printer,
    PrintJob,
    pdf_unavailable,
    repack_epub,
    source_date_epoch,
    zip_tree,
)
from .minify import minify_static
from .webapp import write_web_app

DOCS = Path("docs")  # relative to the project root, where nox runs
STRICT = ["-W", "--keep-going", "-n", "-q"]


@dataclass(frozen=True)
class Edition:
    """One Sphinx run: a builder in a language, published under `target`."""

    builder: str
    language: str
    target: str  # path below the output root, e.g. "html" or "html/fr"


class BadConfig(Exception):
    """docs/conf.py does not say what the build needs; the message names the fix."""


def editions_of(docs: Path) -> list[Edition]:
    """The HTML editions docs/conf.py declares in `site_editions` (figures/editions.py
    reads and checks them), in its order: the first at html/, each other at html/<path>/."""
    try:
        declared = editions_in(docs)
    except EditionsError as exc:
        raise BadConfig(str(exc)) from None
    return [Edition("html", e.language, posixpath.join("html", e.path) if e.path else "html")
            for e in declared]


EDITIONS_DIR = "_editions"  # below each HTML edition: the files offered for download
SINGLE_DIR = "single"
NAME = "macrohard-dossier"
UNNAMED_FILE = "the output folder"  # figures.reporting's name for a file a disk error does not name
# What the last Sphinx run reported as bad input (one line each), and its warnings: see failed().
bad_input: list[str] = []
warnings_seen: list[str] = []


# Sphinx's and MyST's own warnings say what is wrong but not what to do: the fix for each
# kind we have met, matched in the warning's text (first match wins).
WARNING_FIXES = (
    ("isn't included in any toctree", "list the page in a toctree (docs/source/index.md), or add "
     "`orphan: true` to its front matter"),
    ("toctree contains reference to", "list only pages that exist in the toctree (check the name)"),
    ("Unknown directive type", "check the directive's name (```{name}): Sphinx's, MyST's and this "
     "project's directives are listed in CONTRIBUTING.md and their documentation"),
    ("Unknown interpreted text role", "check the role's name: {fig}, {derived}, {name}, {doc}, {ref}, ..."),
    ("YAML", "correct the YAML front matter between the two --- lines at the top of the page"),
    ("topmatter", "correct the YAML front matter between the two --- lines at the top of the page"),
    ("Non-consecutive header level", "go down one heading level at a time (# then ##, never # then ###)"),
    ("undefined label", "link to a label that exists (check its spelling), or add the label"),
    ("unknown document", "link to a page that exists (its path without .md, from docs/source)"),
    ("target not found", "link to a page, label or entry that exists (check its spelling)"),
    ("duplicate", "give each label, heading anchor or entry its own name"),
    ("image file not readable", "put the image inside docs/source and name it relative to the page"),
    ("start-string without end-string", "close the markup, or put a backslash before the character"),
    ("Lexing literal_block", "give the code block its real language, or write ```text"),
)
FIX_ANY_WARNING = "correct the file at that line as the message says (any warning stops the build)"
WARNING_LINE = re.compile(r"\b(WARNING|ERROR|CRITICAL|SEVERE):")
# Sphinx colours its warnings on a terminal and whenever CI=true or FORCE_COLOR
# is set; the last line quotes the first warning, and must read the same there.
TERMINAL_COLOUR = re.compile(r"\x1b\[[0-9;]*m")


def with_fix(line: str) -> str:
    """A Sphinx warning line, with what to do appended when it gives none."""
    if not WARNING_LINE.search(line) or "Fix:" in line:
        return line
    fix = next((fix for clue, fix in WARNING_FIXES if clue.lower() in line.lower()), FIX_ANY_WARNING)
    return f"{line.rstrip()} Fix: {fix}."


class WarningsWithFixes(io.TextIOBase):
    """Sphinx's warning stream, each warning line given its fix and the first kept for the last line."""

    def __init__(self, stream: Any) -> None:
        self.stream, self.pending = stream, ""

    def write(self, text: str) -> int:
        self.pending += text
        *lines, self.pending = self.pending.split("\n")
        for line in lines:
            fixed = with_fix(line)
            if fixed != line or WARNING_LINE.search(line):
                warnings_seen.append(TERMINAL_COLOUR.sub("", fixed).strip())
            self.stream.write(fixed + "\n")
        return len(text)

    def flush(self) -> None:
        if self.pending:
            self.stream.write(with_fix(self.pending))
            self.pending = ""
        self.stream.flush()


def run_sphinx(edition: Edition, staging: Path, doctrees: Path, jobs: str, docs: Path,
               overrides: tuple[str, ...] = ()) -> int:
    """One builder, strictly. The builders of a language (single page, EPUB,
    HTML) share one environment, as Sphinx's own Makefile has them do: the
    first reads what changed, the others only write (site/freshness.py keeps
    each HTML folder in step with it)."""
    args = [
        "-b", edition.builder, "-c", str(docs), "-d", str(doctrees / edition.language),
        "-j", jobs, "-D", f"language={edition.language}", *STRICT,
        *(arg for value in overrides for arg in ("-D", value)),
        str(docs / "source"), str(staging / edition.target),
    ]
    # Imported on first use: a build with nothing to do never loads Sphinx.
    import sphinx.locale
    from sphinx.cmd.build import build_main

    from ..figures.reporting import plain_bad_input

    # Sphinx caches message catalogs per process: start each language afresh.
    sphinx.locale.translators.clear()
    bad_input.clear()
    warnings_seen.clear()
    stderr, sys.stderr = sys.stderr, WarningsWithFixes(sys.stderr)
    try:
        with plain_bad_input(bad_input):
            return build_main(args)
    finally:
        sys.stderr.flush()
        sys.stderr = stderr


def failed(edition: Edition, out: Path, why: str = "") -> None:
    """The last line of a failed build: the bad input itself when that is the cause."""
    if bad_input and not why:
        message = bad_input[-1].replace(f"{UNNAMED_FILE}:", f"{out}:", 1)  # a disk fault names the folder
        print(f"error: {message} Nothing was published: the last good site in {out} is unchanged.",
              file=sys.stderr)
        return
    if warnings_seen and not why:
        first = re.sub(r"^.*?\b(?:WARNING|ERROR|CRITICAL|SEVERE): ", "", warnings_seen[0], count=1)
        where = warnings_seen[0].split(": ", 1)[0] if ": " in warnings_seen[0] else ""
        more = f" ({len(warnings_seen) - 1} more above)" if len(warnings_seen) > 1 else ""
        print(f"error: {where}: {first}{more} Nothing was published: the last good site in {out} is unchanged.",
              file=sys.stderr)
        return
    print(
        f"error: the {edition.builder} build ({edition.language}) failed{why}; "
        f"the last good site in {out} is unchanged.",
        file=sys.stderr,
    )


def is_disk_fault(message: str) -> bool:
    """A full or read-only disk (figures.reporting.disk_message): Sphinx's files may be half written."""
    return "cannot write Sphinx's files" in message


def write_if_changed(path: Path, text: str) -> None:
    """Keep the file's time when nothing changed, so Sphinx does not re-read the page."""
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def zip_entry(edition: Edition) -> dict[str, object]:
    """The site's zip as the downloads page lists it, seen from *edition*: its
    link, the folder it unpacks to and where this edition's first page is in
    it (the page's commands are made of these names, never typed). No size:
    the page is in the zip (see the module docstring)."""
    top = edition.target.split("/")[0]
    href = posixpath.relpath(f"{top}/{EDITIONS_DIR}/{NAME}-html.zip", edition.target)
    index = posixpath.normpath(posixpath.join(NAME, posixpath.relpath(edition.target, top), "index.html"))
    return {"id": "zip", "href": href, "folder": NAME, "index": index}


def manifest_of(edition: Edition, staging: Path) -> Path:
    """What the downloads page lists (site/offline.py reads it): one file per
    language, so that its builders share one environment (see run_sphinx)."""
    work = staging / ".offline" / edition.language
    work.mkdir(parents=True, exist_ok=True)
    return work / "manifest.json"


def book_overrides(edition: Edition, staging: Path) -> tuple[str, ...]:
    """The e-book and the single page list no files (they say where the others
    are), but show the commands that unpack the zip: its names."""
    manifest = manifest_of(edition, staging)
    write_if_changed(manifest, json.dumps({"formats": [zip_entry(edition)]}, indent=1) + "\n")
    return (f"offline_manifest={manifest}",)


def build_single(edition: Edition, staging: Path, doctrees: Path, jobs: str, docs: Path,
                 out: Path, book: tuple[str, ...]) -> tuple[int, dict[str, object]]:
    """An HTML edition's single page (the PDF is printed from it), and its entry
    on the downloads page. Also empties the edition's folder of downloads."""
    shutil.rmtree(staging / edition.target / EDITIONS_DIR, ignore_errors=True)
    (staging / edition.target / EDITIONS_DIR).mkdir(parents=True)
    single = Edition("singlehtml", edition.language, f"{edition.target}/{SINGLE_DIR}")
    if status := run_sphinx(single, staging, doctrees, jobs, docs, book):
        failed(single, out)
        return status, {}
    page = staging / single.target / "index.html"
    return 0, {"id": "single", "href": f"{SINGLE_DIR}/index.html", "bytes": page.stat().st_size}


def build_epub(edition: Edition, staging: Path, doctrees: Path, jobs: str, docs: Path,
               out: Path, book: tuple[str, ...]) -> tuple[int, dict[str, object]]:
    """An HTML edition's EPUB, in its folder of downloads, and its entry there."""
    lang = edition.language
    epub = Edition("epub", lang, f".offline/{lang}/epub")
    # Sphinx packs every file it finds in its output folder: start empty, so a
    # page removed from the sources (or a .buildinfo.bak) never ends up in the book.
    shutil.rmtree(staging / epub.target, ignore_errors=True)
    if status := run_sphinx(epub, staging, doctrees, jobs, docs, book):
        failed(epub, out)
        return status, {}
    built = sorted((staging / epub.target).glob("*.epub"))
    epub_file = staging / edition.target / EDITIONS_DIR / f"{NAME}-{lang}.epub"
    repack_epub(built[0], epub_file, source_date_epoch())
    return 0, {"id": "epub", "href": f"{EDITIONS_DIR}/{epub_file.name}", "bytes": epub_file.stat().st_size}


def print_job(edition: Edition, staging: Path) -> PrintJob:
    """The PDF edition of *edition*, printed from its single page."""
    return PrintJob(page=staging / edition.target / SINGLE_DIR / "index.html",
                    dest=staging / edition.target / EDITIONS_DIR / f"{NAME}-{edition.language}.pdf",
                    numbers=staging / ".offline" / edition.language / "contents-pages.json")


def pdf_entry(edition: Edition, staging: Path) -> dict[str, object]:
    dest = print_job(edition, staging).dest
    return {"id": "pdf", "href": f"{EDITIONS_DIR}/{dest.name}", "bytes": dest.stat().st_size}


def build_offline_and_html(html_editions: list[Edition], staging: Path, doctrees: Path, jobs: str,
                           docs: Path, out: Path, pdf: str, base_url: str = "") -> int:
    """Each HTML edition's single page, EPUB and PDF, then the edition itself
    (its downloads page gives their sizes), then the site's zip.

    One Chromium prints each PDF as soon as its single page is written, while
    Sphinx goes on with the next single page, the e-books and the first HTML
    editions: the two share the machine's cores, and an edition waits only
    for its own PDF.
    """
    why_not = pdf_unavailable() if pdf != "off" else "switched off (--pdf off)"
    if why_not and pdf == "required":
        failed(Edition("pdf", html_editions[0].language, ""), out, f": {why_not}")
        return 1
    if why_not:
        for edition in html_editions:
            print(f"note: no PDF edition ({edition.language}): {why_not}.", file=sys.stderr)
    printer = None if why_not else Printer(source_date_epoch())
    printing = Edition("pdf", ", ".join(edition.language for edition in html_editions), "")
    formats: dict[str, list[dict[str, object]]] = {}
    try:
        books = {edition.language: book_overrides(edition, staging) for edition in html_editions}
        singles: dict[str, dict[str, object]] = {}
        for edition in html_editions:
            status, singles[edition.language] = build_single(edition, staging, doctrees, jobs, docs, out,
                                                             books[edition.language])
            if status:
                return status
            if printer:
                printer.add(print_job(edition, staging))
        for edition in html_editions:
            status, epub = build_epub(edition, staging, doctrees, jobs, docs, out, books[edition.language])
            if status:
                return status
            formats[edition.language] = [epub, singles[edition.language]]
        for edition in html_editions:
            if printer:
                if problem := printer.printed(print_job(edition, staging)):
                    failed(printing, out, f": {problem}")
                    return 1
                formats[edition.language].append(pdf_entry(edition, staging))
            if status := build_html(edition, formats[edition.language], staging, doctrees, jobs, docs,
                                    out, base_url):
                return status  # 2 when Sphinx stopped midway: see build()
        minify_editions(html_editions, staging)
        zip_site(html_editions, staging, docs, base_url)  # while the printer closes its browser
        if printer and (problem := printer.wait()):
            failed(printing, out, f": {problem}")
            return 1
    finally:
        if printer:
            printer.stop()  # a failed or interrupted build leaves no printer behind
    return 0


def build_html(edition: Edition, formats: list[dict[str, object]], staging: Path, doctrees: Path,
               jobs: str, docs: Path, out: Path, base_url: str = "") -> int:
    """An HTML edition, its downloads page listing *formats* and the site's zip (by name)."""
    manifest = manifest_of(edition, staging)
    write_if_changed(manifest, json.dumps({"formats": [*formats, zip_entry(edition)]}, indent=1) + "\n")
    overrides = (f"offline_manifest={manifest}", *((f"site_base_url={base_url}",) if base_url else ()))
    if status := run_sphinx(edition, staging, doctrees, jobs, docs, overrides):
        failed(edition, out)
    return status


def minify_editions(html_editions: list[Edition], staging: Path) -> None:
    """Our scripts and style sheets minified in each HTML edition and its single page,
    once every printer has read the single pages."""
    for edition in html_editions:
        for folder in (staging / edition.target, staging / edition.target / SINGLE_DIR):
            minify_static(folder)


def web_app(html_editions: list[Edition], staging: Path, docs: Path) -> None:
    write_web_app(staging, {edition.language: edition.target for edition in html_editions}, docs)


def zip_site(html_editions: list[Edition], staging: Path, docs: Path, base_url: str = "") -> None:
    """One zip of the whole HTML site, every edition in it, so that the
    language switcher works once unpacked; and the site's sitemap first.
    Each edition's web app is written before each zip: it lists and hashes
    the files as published, the downloads pages with the zip's size included."""
    gather_sitemaps(staging, html_editions, base_url)
    top = html_editions[0].target.split("/")[0]
    root = staging / top
    zip_rel = f"{EDITIONS_DIR}/{NAME}-html.zip"
    zip_work = staging / ".offline" / f"{NAME}-html.zip"
    # Sphinx's .buildinfo files are its own bookkeeping, not for readers.
    bookkeeping = [p.relative_to(root).as_posix() for p in root.rglob(".buildinfo*")]
    # The downloads pages are in the zip and state its size: zip with the size
    # the pages state until the zip has that size (rounded as shown, it settles
    # at the second zip as a rule). Each build starts from no size, so an
    # incremental build makes the same zip as a clean one.
    from ..site.offline import fill_zip_size, human_size, pages_listing_the_zip  # loads Sphinx: here only

    pages = pages_listing_the_zip(root)

    def zip_with(size: int | None) -> int:
        fill_zip_size(pages, size)
        web_app(html_editions, staging, docs)
        return zip_tree(root, zip_work, NAME, source_date_epoch(), exclude=[zip_rel, *bookkeeping])

    stated = None
    size = zip_with(None)
    for _attempt in range(6):
        if stated is not None and human_size(size, "en") == human_size(stated, "en"):
            break
        stated = size
        size = zip_with(size)
    else:  # it never settled: the pages state no size rather than a wrong one
        zip_with(None)
    shutil.copyfile(zip_work, root / zip_rel)


def build_html_only(html_editions: list[Edition], staging: Path, doctrees: Path, jobs: str,
                    docs: Path, out: Path, base_url: str = "") -> int:
    """The HTML editions alone (--html-only): no e-book, single page, PDF or zip.

    Their downloads pages say that this build was made without the offline
    editions. For previews, and for the tests about the web pages alone.
    """
    for edition in html_editions:
        shutil.rmtree(staging / edition.target / EDITIONS_DIR, ignore_errors=True)
        shutil.rmtree(staging / edition.target / SINGLE_DIR, ignore_errors=True)
        overrides = (f"site_base_url={base_url}",) if base_url else ()
        if status := run_sphinx(edition, staging, doctrees, jobs, docs, overrides):
            failed(edition, out)
            return status
    minify_editions(html_editions, staging)
    web_app(html_editions, staging, docs)
    gather_sitemaps(staging, html_editions, base_url)
    return 0


SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def gather_sitemaps(staging: Path, html_editions: list[Edition], base_url: str = "") -> None:
    """One sitemap.xml for the site, at its root, listing every edition's pages
    in order of address, and a robots.txt there that names it.

    With the site's address, each HTML edition writes its own sitemap in its
    folder (site/editions.py). Crawlers look for the sitemap at the site's
    address, and one there may list the pages below it, the French ones in fr/
    included; they read robots.txt only at a host's root (where a site served
    from one, or Read the Docs for its default version, puts this one).
    Without an address there is neither: one left in staging by an earlier
    build with an address goes.
    """
    from xml.etree import ElementTree

    root = staging / html_editions[0].target / SITEMAP
    robots = root.with_name(ROBOTS)
    if not base_url:
        for edition in html_editions:
            (staging / edition.target / SITEMAP).unlink(missing_ok=True)
        robots.unlink(missing_ok=True)
        return
    if not root.is_file():
        return
    address = base_url if base_url.endswith("/") else base_url + "/"
    robots.write_text(f"User-agent: *\nAllow: /\n\nSitemap: {address}{SITEMAP}\n", encoding="utf-8")
    ElementTree.register_namespace("", SITEMAP_NS)
    urlset = ElementTree.parse(root).getroot()
    urls = list(urlset)
    for edition in html_editions[1:]:
        nested = staging / edition.target / SITEMAP
        if nested.is_file():
            urls += list(ElementTree.parse(nested).getroot())
            nested.unlink()
    urlset[:] = sorted(urls, key=lambda url: url.findtext(f"{{{SITEMAP_NS}}}loc") or "")
    ElementTree.ElementTree(urlset).write(root, xml_declaration=True, encoding="utf-8", method="xml")


def recover(out: Path, top: str) -> None:
    """Put the last good site back if a build was killed between publish()'s two renames."""
    live, old = out / top, out / f".{top}.old"
    if not live.exists() and old.is_dir():
        old.rename(live)


def publish(staging: Path, out: Path, top: str) -> None:
    """Copy the staged tree next to the live one, then swap them in one step
    (two renames where the system cannot: see macrohard_docs.publish.lock.exchange).

    Sphinx's .buildinfo (its record of the configuration, for incremental
    builds) stays in staging: it is not for readers, and it holds a hash of
    absolute paths that would make two builds in two folders differ.
    """
    live = out / top
    fresh = out / f".{top}.new"
    old = out / f".{top}.old"
    for leftover in (fresh, old):
        shutil.rmtree(leftover, ignore_errors=True)
    try:
        shutil.copytree(staging / top, fresh, ignore=shutil.ignore_patterns(".buildinfo", ".buildinfo.bak"))
    except OSError:
        shutil.rmtree(fresh, ignore_errors=True)  # give the space back; the live site is untouched
        raise
    if live.is_dir() and not live.is_symlink() and exchange(fresh, live):
        shutil.rmtree(fresh, ignore_errors=True)  # the old site, now under the staging name
        return
    if live.exists():
        live.rename(old)
    fresh.rename(live)
    shutil.rmtree(old, ignore_errors=True)


def unwritable(out: Path, exc: OSError) -> str:
    """What is wrong with the output folder, and the fix, from the error writing to it."""
    where = exc.filename or out
    code = exc.errno
    if isinstance(exc, shutil.Error) and exc.args and isinstance(exc.args[0], list) and exc.args[0]:
        # copytree gathers every file's error as text: report the first, read its errno back.
        _source, where, first = exc.args[0][0]
        found = re.match(r"\[Errno (\d+)\] ([^:]+)", str(first))
        code, exc = (int(found.group(1)), OSError(int(found.group(1)), found.group(2))) if found else (None, exc)
    if code == errno.ENOSPC or code == errno.EDQUOT:
        why, fix = "the disk is full", "free space on that disk"
    elif code in (errno.EROFS, errno.EACCES, errno.EPERM):
        why, fix = "it is read-only", "make the folder writable"
    elif code in (errno.EEXIST, errno.ENOTDIR):
        why, fix = "a file stands where a folder is expected", "remove or rename that file"
    else:
        why, fix = exc.strerror or str(exc), "make the folder writable"
    return (f"cannot write the output folder {out} ({where}: {why}). "
            f"Fix: {fix}, or build elsewhere with --out DIR.")


def tree_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else 0


def tree_usage(folder: Path) -> int:
    """Disk space a copy of *folder* takes: whole blocks per file, not just their bytes."""
    if not folder.is_dir():
        return 0
    return sum(max(p.stat().st_blocks * 512, p.stat().st_size) for p in folder.rglob("*") if p.is_file())


def check_writable(out: Path, need: int = 0) -> str | None:
    """None if the build can write to *out* and has room to publish *need* bytes there."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".write-probe"
        try:
            probe.write_bytes(b"x" * 4096)
        finally:
            probe.unlink(missing_ok=True)
    except OSError as exc:
        return unwritable(out, exc)
    free = shutil.disk_usage(out).free
    if free < need:
        return (f"cannot write the output folder {out} (the disk is full: {free // 1024} KB free, "
                f"publishing the site needs about {need // 1024} KB). "
                "Fix: free space on that disk, or build elsewhere with --out DIR.")
    return None


def build(out: Path, jobs: str = "auto", docs: Path = DOCS, editions: list[Edition] | None = None,
          pdf: str = "auto", base_url: str = "", wait: bool = True,
          inputs: str | None = None, record: str | None = None, offline: bool = True,
          epoch: int | None = None) -> int:
    """Build under the output folder's lock: recovery, staging and publishing
    all change files another build would be using.

    *inputs*: the digest of this build's inputs (see stamp.py); when the last
    build published into *out* had the same, there is nothing to do. *record*:
    the digest to stamp the published site with. *epoch*: the content's date
    (site/dating.py), when the caller has it already; else found here.
    """
    if editions is None:
        try:
            editions = editions_of(docs)
        except BadConfig as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    try:
        out.mkdir(parents=True, exist_ok=True)
        lock = OutputLock(out)
        lock.acquire(wait, say=lambda text: print(f"note: {text}", file=sys.stderr, flush=True))
    except BuildRunning as exc:
        print(f"error: {exc}, writing {out}. Fix: wait for it to finish, or run without --no-wait "
              "to queue behind it.", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {unwritable(out, exc)} The last good site there is unchanged.", file=sys.stderr)
        return 2
    try:
        tops = sorted({edition.target.split("/")[0] for edition in editions})
        if inputs and stamp.is_current(out, tops, inputs):
            print(f"up to date: nothing changed since the last build of {out}")
            return 0
        stamp.forget(out)  # a failed or interrupted build never looks current
        status = build_dated(out, jobs, docs, editions, pdf, base_url, offline, epoch)
        if status == 0 and record:
            stamp.record(out, record)
        return status
    finally:
        lock.release()


def build_dated(out: Path, jobs: str, docs: Path, editions: list[Edition], pdf: str,
                base_url: str, offline: bool = True, epoch: int | None = None) -> int:
    """Build every edition, dated by the content unless SOURCE_DATE_EPOCH says otherwise.

    Sphinx (the e-books' dates, the copyright year), the archives and the PDF
    all read SOURCE_DATE_EPOCH: set to the content's date (site/dating.py)
    when unset, two clean builds of one commit are identical whenever they run.
    """
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return build_locked(out, jobs, docs, editions, pdf, base_url, offline)
    os.environ["SOURCE_DATE_EPOCH"] = str(content_epoch(docs) if epoch is None else epoch)
    try:
        return build_locked(out, jobs, docs, editions, pdf, base_url, offline)
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


def build_locked(out: Path, jobs: str, docs: Path, editions: list[Edition], pdf: str,
                 base_url: str, offline: bool = True) -> int:
    tops = sorted({edition.target.split("/")[0] for edition in editions})
    need = sum(tree_size(out / top) for top in tops)  # publishing copies a site about this size
    problem = check_writable(out, need)
    if problem:
        print(f"error: {problem} The last good site there is unchanged.", file=sys.stderr)
        return 2
    staging = out / ".staging"
    doctrees = out / ".doctrees"
    # Present while Sphinx runs: a build killed (or crashed) mid-write leaves
    # pages in staging that look up to date, so the next build starts afresh.
    unfinished = out / ".build-unfinished"
    started = time.perf_counter()
    try:
        for top in tops:
            recover(out, top)
        if unfinished.exists():
            print("note: the last build did not finish; building afresh.", file=sys.stderr)
            shutil.rmtree(staging, ignore_errors=True)
            shutil.rmtree(doctrees, ignore_errors=True)
        unfinished.touch()
        # One environment per language (run_sphinx): any other folder there is
        # a language no longer built, or an older build's layout.
        languages = {edition.language for edition in editions}
        for folder in doctrees.iterdir() if doctrees.is_dir() else []:
            if folder.name not in languages:
                shutil.rmtree(folder, ignore_errors=True)
        status = 0
        html_editions = [e for e in editions if e.builder == "html"]
        for edition in editions:
            if edition.builder != "html":
                status = run_sphinx(edition, staging, doctrees, jobs, docs)
                if status:
                    failed(edition, out)
                    break
        if not status and html_editions and offline:
            status = build_offline_and_html(html_editions, staging, doctrees, jobs, docs, out, pdf,
                                            base_url)
        elif not status and html_editions:
            status = build_html_only(html_editions, staging, doctrees, jobs, docs, out, base_url)
        # 1: warnings, after Sphinx wrote every page; 2: it stopped midway, but a refusal
        # of bad input stops it cleanly, its caches as good as before (Sphinx saves its
        # environment only once every page is read).
        if status <= 1 or (bad_input and not is_disk_fault(bad_input[-1])):
            unfinished.unlink()
        if status:
            problem = check_writable(out, need)  # a disk that filled up during the build, say
            if problem and not bad_input:
                print(f"error: {problem}", file=sys.stderr)
            return status
        for top in tops:
            publish(staging, out, top)
    except OSError as exc:  # writing the offline files or publishing (shutil.Error has no errno)
        # Publishing copies the new site: that is the room it needed.
        need = max(need, *(tree_usage(staging / top) for top in tops))
        problem = check_writable(out, need) or unwritable(out, exc)
        print(f"error: {problem} The last good site there is unchanged.", file=sys.stderr)
        return 2
    print(f"built {', '.join(e.target for e in editions)} in {time.perf_counter() - started:.1f}s "
          f"-> {out}")
    return 0


def default_base_url(environ: Mapping[str, str]) -> str:
    """Where the site will be served, as the host says: DOCS_BASE_URL (the GitHub
    Pages workflow sets it), else Read the Docs' own variable, else unknown."""
    return environ.get("DOCS_BASE_URL") or environ.get("READTHEDOCS_CANONICAL_URL", "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DOCS / "_build")
    parser.add_argument("--jobs", default=os.environ.get("DOCS_JOBS", "auto"))
    parser.add_argument("--docs", type=Path, default=DOCS)
    parser.add_argument(
        "--pdf", choices=["auto", "required", "off"], default=os.environ.get("DOCS_PDF", "auto"),
        help="print the PDF edition with Chromium: when available (auto), or fail without it")
    parser.add_argument(
        "--base-url", default=default_base_url(os.environ),
        help="where the site will be served (https://.../): each page then names its canonical "
             "address and its other-language versions in full, as search engines want")
    parser.add_argument(
        "--no-wait", dest="wait", action="store_false",
        help="if another build is writing the output folder, exit 2 at once instead of waiting")
    parser.add_argument(
        "--html-only", dest="offline", action="store_false",
        help="build the HTML editions alone, without the e-book, single page, PDF and zip")
    parser.add_argument(
        "--force", action="store_true",
        help="build even when no input changed since the last build into --out")
    args = parser.parse_args(argv)
    out, docs = args.out.resolve(), args.docs.resolve()
    # Before the first child process (git, for the content's date): a stop
    # signal from then on is reported, never a silent death.
    stop_on()
    try:
        # The content's date too: it dates the editions, and a commit can change it alone.
        epoch = content_epoch(docs)
        inputs = stamp.digest(docs, {"pdf": args.pdf, "pdf_possible": pdf_unavailable() is None,
                                     "base_url": args.base_url, "content_epoch": epoch,
                                     "offline": args.offline})
        return build(out, args.jobs, docs, pdf=args.pdf, base_url=args.base_url,
                     wait=args.wait, inputs=None if args.force else inputs, record=inputs,
                     offline=args.offline, epoch=epoch)
    except KeyboardInterrupt:
        print(f"error: interrupted; the last good site in {out} is unchanged.", file=sys.stderr)
        return 2
    finally:
        end_children()
        if received:  # SIGTERM or SIGHUP: end as that signal says, once the workers are gone
            print(f"error: stopped by {signal.Signals(received[0]).name}; the last good site in "
                  f"{out} is unchanged.", file=sys.stderr)
            sys.stderr.flush()
            signal.signal(received[0], signal.SIG_DFL)
            os.kill(os.getpid(), received[0])
