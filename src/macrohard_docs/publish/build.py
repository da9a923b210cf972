"""Build the site strictly and publish it only when the build succeeds.

Sphinx runs through its API, each language in a process of its own
(publish/sphinxrun.py), into a staging folder kept between runs (so rebuilds
stay incremental); the published folder is swapped in once every builder has
passed, so a failed or interrupted build leaves the last good site in place.

Each HTML edition gets its offline editions, inside it so that the downloads
page's links work from disk and in the zip: ``single/index.html`` (singlehtml),
``_editions/macrohard-dossier-<lang>.epub`` and ``.pdf`` (Chromium prints the
single page), and at the root ``_editions/macrohard-dossier-html.zip``, every
edition (the language switcher works once it is unpacked).

Order, for the sizes on the downloads pages: every single page; each EPUB
while one Chromium prints the PDFs (they share the cores); each HTML edition
once its PDF is printed; our scripts and styles minified; the web apps and the
zip, made again until it has the size the downloads pages (inside it) state
(zip_site). The zip cannot contain itself: in an unpacked copy, that one link
leads nowhere.

One build at a time writes an output folder (publish/lock.py): a second waits,
or with --no-wait exits 2. SIGTERM and SIGHUP stop a build as Ctrl-C does. Bad
input ends the build with one line naming the file, the line and the fix.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import posixpath
import re
import runpy
import shutil
import signal
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from ..figures.editions import EditionsError, editions_in
from ..figures.reporting import UNNAMED_FILE
from ..site.dating import content_epoch, edition_epoch
from . import stamp
from .lock import BuildRunning, OutputLock, end_children, exchange, received, stop_on
from .minify import minify_static
from .packaging import Printer, PrintJob, pdf_unavailable, repack_epub, zip_tree
from .sphinxrun import Ending, LanguageProcess, Result, SphinxRun, preload
from .webapp import write_if_changed, write_web_app

DOCS = Path("docs")  # relative to the project root, where nox runs


@dataclass(frozen=True)
class Edition:
    """One Sphinx run: a builder in a language, published under `target`."""

    builder: str
    language: str
    target: str  # path below the output root, e.g. "html" or "html/fr"


class BadConfig(Exception):
    """docs/conf.py does not say what the build needs; the message names the fix."""


def extensions_of(docs: Path) -> list[str]:
    """The extensions docs/conf.py loads (Sphinx checks them when it starts), and its HTML
    theme, which Sphinx sets up as an extension (furo: with Beautiful Soup). conf.py is
    declarative (no imports), so running it costs nothing; editions_of has read it already."""
    conf = runpy.run_path(str(docs / "conf.py"))
    extensions, theme = conf.get("extensions"), conf.get("html_theme")
    names = [name for name in extensions if isinstance(name, str)] if isinstance(extensions, list) else []
    return [*names, theme] if isinstance(theme, str) else names


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


@dataclass(frozen=True)
class Settings:
    """What the build is asked to do: the command line, read."""

    out: Path  # the output root: html/ below it, and the build's own folders
    docs: Path = DOCS  # conf.py, source/, data/ and locales/
    jobs: str = "auto"  # Sphinx's parallel jobs: a number, or "auto" (one per core)
    pdf: str = "auto"  # the PDF editions: "auto" (when Chromium is there), "required" or "off"
    base_url: str = ""  # where the site will be served, when known
    offline: bool = True  # False (--html-only): the HTML editions alone
    wait: bool = True  # queue behind another build of `out`; False: exit 2 at once
    editions: tuple[Edition, ...] = ()  # the HTML editions to build; (): those docs/conf.py declares
    # The editions' date (SOURCE_DATE_EPOCH); None: the environment's, else the content's (site/dating.py).
    epoch: int | None = None

    @property
    def staging(self) -> Path:
        return self.out / ".staging"

    @property
    def doctrees(self) -> Path:
        return self.out / ".doctrees"

    @property
    def tops(self) -> list[str]:
        """The folders below `out` that the editions are published in."""
        return sorted({edition.target.split("/")[0] for edition in self.editions})


class Languages:
    """This build's Sphinx, one process per language, and how its last failed run ended.
    Each is forked here, before the PDF printer starts (publish/sphinxrun.py says why)."""

    def __init__(self, settings: Settings, languages: list[str]) -> None:
        from sphinx.application import builtin_extensions

        self.settings = settings
        self.failure: Result | None = None
        self.processes: dict[str, LanguageProcess] = {}
        # conf.py's extensions whole (their setup() imports the rest); not Sphinx's own:
        # the packages among those (its builders) hold modules this build never uses.
        preload(builtin_extensions)
        preload(extensions_of(settings.docs), whole=True)
        try:
            for language in languages:
                self.processes[language] = LanguageProcess(language)
        except BaseException:
            self.close(stop=True)
            raise

    def close(self, stop: bool = False) -> None:
        """Let each process end once its last run is done; with *stop*, now."""
        for process in self.processes.values():
            process.close(stop)
        self.processes.clear()

    def build(self, edition: Edition, overrides: tuple[tuple[str, object], ...] = ()) -> int:
        """One builder, strictly; 0, or the build's exit status once the last line is printed.

        The builders of a language (single page, EPUB, HTML) share one
        environment, as Sphinx's own Makefile has them do: the first reads what
        changed, the others only write (site/pages.py's FreshFolder keeps each HTML folder
        in step with it)."""
        settings = self.settings
        run = SphinxRun(edition.builder, settings.docs / "source", settings.docs,
                        settings.staging / edition.target, settings.doctrees / edition.language,
                        settings.jobs, (("language", edition.language), *overrides,
                                        # one folder of compiled templates for every language (site/pages.py)
                                        ("templates_cache", str(settings.out / ".templates"))), settings.epoch)
        result = self.processes[edition.language].run(run)
        if result.ending == Ending.PASSED:
            return 0
        self.failure = result
        failed(edition, settings.out, result)
        return 1 if result.ending == Ending.WARNINGS else 2


def failed(edition: Edition, out: Path, result: Result | None = None, why: str = "") -> None:
    """The last line of a failed build: the bad input itself when that is the cause."""
    kept = f"Nothing was published: the last good site in {out} is unchanged."
    if result and result.ending in (Ending.REFUSED, Ending.DISK_FULL):
        line = f"{result.message.replace(f'{UNNAMED_FILE}:', f'{out}:', 1)} {kept}"  # a disk fault names the folder
    elif result and result.warnings:
        seen = result.warnings
        first = re.sub(r"^.*?\b(?:WARNING|ERROR|CRITICAL|SEVERE): ", "", seen[0], count=1)
        where = seen[0].split(": ", 1)[0] if ": " in seen[0] else ""
        more = f" ({len(seen) - 1} more above)" if len(seen) > 1 else ""
        line = f"{where}: {first}{more} {kept}"
    else:
        why = f" ({result.message})" if result and result.message else why
        line = f"the {edition.builder} build ({edition.language}) failed{why}; the last good site in {out} is unchanged."
    print(f"error: {line}", file=sys.stderr)


def zip_entry(edition: Edition) -> dict[str, object]:
    """The site's zip as the downloads page lists it, seen from *edition*: its
    link, the folder it unpacks to and where this edition's first page is in
    it (the page's commands are made of these names, never typed). No size:
    the page is in the zip (see the module docstring)."""
    top = edition.target.split("/")[0]
    href = posixpath.relpath(f"{top}/{EDITIONS_DIR}/{NAME}-html.zip", edition.target)
    index = posixpath.normpath(posixpath.join(NAME, posixpath.relpath(edition.target, top), "index.html"))
    return {"id": "zip", "href": href, "folder": NAME, "index": index}


def listing(edition: Edition, settings: Settings, formats: list[dict[str, object]]) -> tuple[tuple[str, object], ...]:
    """The overrides that give the downloads page its list of *formats* (and the zip).

    Through a file, one per language (site/offline.py reads it), not the list
    itself: the page depends on that file, so a new name re-reads that page
    alone, where a changed setting would re-read every page of the language's
    shared environment at each of its builders."""
    work = settings.staging / ".offline" / edition.language
    work.mkdir(parents=True, exist_ok=True)
    manifest = work / "manifest.json"
    # Its time kept when nothing changed: Sphinx then does not re-read the page.
    write_if_changed(manifest, json.dumps({"formats": [*formats, zip_entry(edition)]}, indent=1) + "\n")
    return (("offline_manifest", str(manifest)),)


def build_single(edition: Edition, sphinx: Languages, formats: list[dict[str, object]]) -> int:
    """An HTML edition's single page (the PDF is printed from it). Also empties the edition's folder of downloads.
    The single page lists no files (it says where the others are), but shows
    the commands that unpack the zip: its names."""
    staging = sphinx.settings.staging
    shutil.rmtree(staging / edition.target / EDITIONS_DIR, ignore_errors=True)
    (staging / edition.target / EDITIONS_DIR).mkdir(parents=True)
    single = Edition("singlehtml", edition.language, f"{edition.target}/{SINGLE_DIR}")
    return sphinx.build(single, listing(edition, sphinx.settings, formats))


def build_epub(edition: Edition, sphinx: Languages, formats: list[dict[str, object]]) -> int:
    """An HTML edition's EPUB, in its folder of downloads (the book lists the
    files as the single page does)."""
    settings, lang = sphinx.settings, edition.language
    epub = Edition("epub", lang, f".offline/{lang}/epub")  # kept between builds (site/book.py)
    if status := sphinx.build(epub, listing(edition, settings, formats)):
        return status
    built = sorted((settings.staging / epub.target).glob("*.epub"))
    epub_file = settings.staging / edition.target / EDITIONS_DIR / f"{NAME}-{lang}.epub"
    repack_epub(built[0], epub_file, settings.epoch)
    return 0


def print_job(edition: Edition, staging: Path) -> PrintJob:
    """The PDF edition of *edition*, printed from its single page."""
    return PrintJob(page=staging / edition.target / SINGLE_DIR / "index.html",
                    dest=staging / edition.target / EDITIONS_DIR / f"{NAME}-{edition.language}.pdf",
                    numbers=staging / ".offline" / edition.language / "contents-pages.json")


def offline_formats(edition: Edition, pdf: bool) -> list[dict[str, object]]:
    """The files *edition*'s downloads page lists, by link from there: the same for each of
    its builders, so Sphinx reads the page once (zip_site fills in their sizes)."""
    files = {"epub": f"{EDITIONS_DIR}/{NAME}-{edition.language}.epub", "single": f"{SINGLE_DIR}/index.html",
             "pdf": f"{EDITIONS_DIR}/{NAME}-{edition.language}.pdf"}
    return [{"id": kind, "href": href} for kind, href in files.items() if pdf or kind != "pdf"]


def build_offline_and_html(html_editions: list[Edition], sphinx: Languages) -> int:
    """Each HTML edition's single page, EPUB and PDF, then the edition itself
    (its downloads page gives their sizes), then the site's zip.

    One Chromium prints each PDF as soon as its single page is written, while
    Sphinx goes on with the next single page, the e-books and the first HTML
    editions: the two share the machine's cores, and an edition waits only
    for its own PDF.
    """
    settings = sphinx.settings
    staging, out, pdf = settings.staging, settings.out, settings.pdf
    why_not = pdf_unavailable() if pdf != "off" else "switched off (--pdf off)"
    if why_not and pdf == "required":
        failed(Edition("pdf", html_editions[0].language, ""), out, why=f": {why_not}")
        return 1
    if why_not:
        for edition in html_editions:
            print(f"note: no PDF edition ({edition.language}): {why_not}.", file=sys.stderr)
    printer = None if why_not else Printer(settings.epoch)  # after Languages forked (see there)
    printing = Edition("pdf", ", ".join(edition.language for edition in html_editions), "")
    formats = {edition.language: offline_formats(edition, printer is not None) for edition in html_editions}
    jobs: dict[str, PrintJob] = {}  # by language: each edition's PDF, printed beside the other builds
    try:
        for edition in html_editions:
            if status := build_single(edition, sphinx, formats[edition.language]):
                return status
            if printer:
                jobs[edition.language] = print_job(edition, staging)
                printer.add(jobs[edition.language])
        for edition in html_editions:
            if status := build_epub(edition, sphinx, formats[edition.language]):
                return status
        for edition in html_editions:
            if printer:
                if problem := printer.printed(jobs[edition.language]):
                    failed(printing, out, why=f": {problem}")
                    return 1
            if status := build_html(edition, sphinx, formats[edition.language]):
                return status  # 2 when Sphinx stopped midway: see build()
        minify_editions(html_editions, staging)
        zip_site(html_editions, settings)  # while the printer closes its browser
        if printer and (problem := printer.wait()):
            failed(printing, out, why=f": {problem}")
            return 1
    finally:
        if printer:
            printer.stop()  # a failed or interrupted build leaves no printer behind
    return 0


def build_html(edition: Edition, sphinx: Languages, formats: list[dict[str, object]] | None = None) -> int:
    """An HTML edition; with the offline editions, its downloads page lists *formats* and
    the site's zip (by name); without (--html-only), it says that they were not made."""
    settings = sphinx.settings
    overrides = listing(edition, settings, formats) if formats is not None else ()
    if settings.base_url:
        overrides += (("site_base_url", settings.base_url),)
    return sphinx.build(edition, overrides)


def minify_editions(html_editions: list[Edition], staging: Path) -> None:
    """Our scripts and style sheets minified in each HTML edition and its single page,
    once every printer has read the single pages."""
    for edition in html_editions:
        for folder in (staging / edition.target, staging / edition.target / SINGLE_DIR):
            minify_static(folder)


def web_app(html_editions: list[Edition], settings: Settings) -> None:
    write_web_app(settings.staging, {edition.language: edition.target for edition in html_editions},
                  settings.docs)


def zip_site(html_editions: list[Edition], settings: Settings) -> None:
    """One zip of the whole HTML site, every edition in it, so that the
    language switcher works once unpacked; and the site's sitemap first.
    Each edition's web app is written before each zip: it lists and hashes
    the files as published, the downloads pages with the zip's size included."""
    staging = settings.staging
    gather_sitemaps(staging, html_editions, settings.base_url)
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
    from ..site.offline import fill_sizes, human_size, pages_listing_sizes  # loads Sphinx: here only

    pages = pages_listing_sizes(root)

    def zip_with(size: int | None) -> int:
        fill_sizes(pages, size)
        web_app(html_editions, settings)
        return zip_tree(root, zip_work, NAME, settings.epoch, exclude=[zip_rel, *bookkeeping])

    stated, size = None, zip_with(None)
    for _attempt in range(6):
        if stated is not None and human_size(size, "en") == human_size(stated, "en"):
            break
        stated, size = size, zip_with(size)
    else:  # it never settled: the pages state no size rather than a wrong one
        zip_with(None)
    shutil.copyfile(zip_work, root / zip_rel)


def build_html_only(html_editions: list[Edition], sphinx: Languages) -> int:
    """The HTML editions alone (--html-only): no e-book, single page, PDF or zip.

    Their downloads pages say that this build was made without the offline
    editions. For previews, and for the tests about the web pages alone.
    """
    staging = sphinx.settings.staging
    for edition in html_editions:
        shutil.rmtree(staging / edition.target / EDITIONS_DIR, ignore_errors=True)
        shutil.rmtree(staging / edition.target / SINGLE_DIR, ignore_errors=True)
        if status := build_html(edition, sphinx):
            return status
    minify_editions(html_editions, staging)
    web_app(html_editions, sphinx.settings)
    gather_sitemaps(staging, html_editions, sphinx.settings.base_url)
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
    live, fresh, old = out / top, out / f".{top}.new", out / f".{top}.old"
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


def tree_size(folder: Path, blocks: bool = False) -> int:
    """The bytes of the files below *folder*; with *blocks*, the disk space a copy takes (whole blocks per file)."""
    files = [path.stat() for path in folder.rglob("*") if path.is_file()]  # none when there is no folder
    return sum(max(file.st_blocks * 512, file.st_size) if blocks else file.st_size for file in files)


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


def build(settings: Settings, inputs: str | None = None, record: str | None = None) -> int:
    """Build under the output folder's lock: recovery, staging and publishing
    all change files another build would be using.

    *inputs*: the digest of this build's inputs (see stamp.py); when the last
    build published into *out* had the same, there is nothing to do. *record*:
    the digest to stamp the published site with.
    """
    out = settings.out
    if not settings.editions:
        try:
            settings = replace(settings, editions=tuple(editions_of(settings.docs)))
        except BadConfig as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    try:
        out.mkdir(parents=True, exist_ok=True)
        lock = OutputLock(out)
        lock.acquire(settings.wait, say=lambda text: print(f"note: {text}", file=sys.stderr, flush=True))
    except BuildRunning as exc:
        print(f"error: {exc}, writing {out}. Fix: wait for it to finish, or run without --no-wait "
              "to queue behind it.", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {unwritable(out, exc)} The last good site there is unchanged.", file=sys.stderr)
        return 2
    try:
        if inputs and stamp.is_current(out, settings.tops, inputs):
            print(f"up to date: nothing changed since the last build of {out}")
            return 0
        stamp.forget(out)  # a failed or interrupted build never looks current
        if settings.epoch is None:
            settings = replace(settings, epoch=edition_epoch(settings.docs))
        status = build_locked(settings)
        if status == 0 and record:
            stamp.record(out, record)
        return status
    finally:
        lock.release()


def build_locked(settings: Settings) -> int:
    out, staging, doctrees, editions, tops = (settings.out, settings.staging, settings.doctrees,
                                              settings.editions, settings.tops)
    need = sum(tree_size(out / top) for top in tops)  # publishing copies a site about this size
    problem = check_writable(out, need)
    if problem:
        print(f"error: {problem} The last good site there is unchanged.", file=sys.stderr)
        return 2
    # Present while Sphinx runs: a build killed (or crashed) mid-write leaves
    # pages in staging that look up to date, so the next build starts afresh.
    unfinished = out / ".build-unfinished"
    started = time.perf_counter()
    sphinx = None
    try:
        for top in tops:
            recover(out, top)
        if unfinished.exists():
            print("note: the last build did not finish; building afresh.", file=sys.stderr)
            shutil.rmtree(staging, ignore_errors=True)
            shutil.rmtree(doctrees, ignore_errors=True)
        unfinished.touch()
        # One environment per language (Languages.build): any other folder there is
        # a language no longer built, or an older build's layout.
        languages = list(dict.fromkeys(edition.language for edition in editions))
        for folder in doctrees.iterdir() if doctrees.is_dir() else []:
            if folder.name not in languages:
                shutil.rmtree(folder, ignore_errors=True)
        sphinx = Languages(settings, languages)
        status = (build_offline_and_html if settings.offline else build_html_only)(list(editions), sphinx)
        sphinx.close()
        # 1: warnings, after Sphinx wrote every page; 2: it stopped midway, but a refusal
        # of bad input stops it cleanly, its caches as good as before (Sphinx saves its
        # environment only once every page is read).
        refused = sphinx.failure.ending if sphinx.failure else None
        if status <= 1 or refused == Ending.REFUSED:
            unfinished.unlink()
        if status:
            problem = check_writable(out, need)  # a disk that filled up during the build, say
            if problem and refused not in (Ending.REFUSED, Ending.DISK_FULL):
                print(f"error: {problem}", file=sys.stderr)
            return status
        for top in tops:
            publish(staging, out, top)
    except OSError as exc:  # writing the offline files or publishing (shutil.Error has no errno)
        # Publishing copies the new site: that is the room it needed.
        need = max(need, *(tree_size(staging / top, blocks=True) for top in tops))
        problem = check_writable(out, need) or unwritable(out, exc)
        print(f"error: {problem} The last good site there is unchanged.", file=sys.stderr)
        return 2
    finally:
        if sphinx:
            sphinx.close(stop=True)  # when the build stops midway (else closed already)
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
    parser.add_argument("--jobs", type=jobs_count, default=os.environ.get("DOCS_JOBS", "auto"),
                        help="Sphinx's parallel jobs: a number, or auto (one per core)")
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
    settings = Settings(out=args.out.resolve(), docs=args.docs.resolve(), jobs=args.jobs, pdf=args.pdf,
                        base_url=args.base_url, offline=args.offline, wait=args.wait)
    # Before the first child process (git, for the content's date): a stop
    # signal from then on is reported, never a silent death.
    stop_on()
    try:
        # The content's date too: it dates the editions, and a commit can change it alone.
        epoch = content_epoch(settings.docs)
        inputs = stamp.digest(settings.docs, {"pdf": args.pdf, "pdf_possible": pdf_unavailable() is None,
                                              "base_url": args.base_url, "content_epoch": epoch,
                                              "offline": args.offline})
        if not os.environ.get("SOURCE_DATE_EPOCH"):
            settings = replace(settings, epoch=epoch)
        return build(settings, inputs=None if args.force else inputs, record=inputs)
    except KeyboardInterrupt:
        print(f"error: interrupted; the last good site in {settings.out} is unchanged.", file=sys.stderr)
        return 2
    finally:
        end_children()
        if received:  # SIGTERM or SIGHUP: end as that signal says, once the workers are gone
            print(f"error: stopped by {signal.Signals(received[0]).name}; the last good site in "
                  f"{settings.out} is unchanged.", file=sys.stderr)
            sys.stderr.flush()
            signal.signal(received[0], signal.SIG_DFL)
            os.kill(os.getpid(), received[0])


def jobs_count(value: str) -> str:
    """--jobs as Sphinx's -j takes it: a positive number, or auto."""
    if value != "auto" and (not value.isdigit() or int(value) < 1):
        raise argparse.ArgumentTypeError(f"{value!r} is neither a positive number nor auto")
    return value
