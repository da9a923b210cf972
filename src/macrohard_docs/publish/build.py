"""Build the site strictly and publish it only when the build succeeds.

Sphinx runs through its API, one process per language (publish/sphinxrun.py),
into a staging folder kept between runs (rebuilds stay incremental), swapped in
once every builder has passed: a failed or interrupted build leaves the last
good site in place. One build at a time writes an output folder (publish/lock.py).

Each HTML edition holds its offline editions, so that the downloads page's links
work from disk and in the zip: ``single/`` (singlehtml), and in ``_editions/``
the EPUB, the PDF (Chromium prints the single page) and, at the root, the zip of
every edition. The order serves the sizes on the downloads pages: the single
pages; the EPUBs while Chromium prints the PDFs; each HTML edition once its PDF
is printed; the web apps and the zip, made until it has the size the pages in
it state (zip_site). The zip cannot contain itself: unpacked, that link fails.
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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from xml.etree import ElementTree

import rcssmin
import rjsmin
from sphinx import package_dir as sphinx_package

from .. import STATIC
from ..figures.editions import EditionsError, editions_in
from ..figures.reporting import UNNAMED_FILE
from ..site.dating import content_epoch, edition_epoch
from . import stamp
from .lock import BuildRunning, OutputLock, end_children, exchange, received, stop_on
from .packaging import Printer, PrintJob, pdf_unavailable, repack_epub, zip_tree
from .sphinxrun import Ending, LanguageProcess, Result, SphinxRun, preload
from .webapp import write_if_changed, write_web_app

DOCS = Path("docs")  # relative to the project root, where nox runs
EDITIONS_DIR = "_editions"  # below each HTML edition: the files offered for download
SINGLE_DIR = "single"
NAME = "macrohard-dossier"
SITEMAP, ROBOTS, SITEMAP_NS = "sitemap.xml", "robots.txt", "http://www.sitemaps.org/schemas/sitemap/0.9"
KEPT = "The last good site there is unchanged."
# What is wrong with the output folder, and the fix, by the error writing to it.
UNWRITABLE = {**dict.fromkeys((errno.ENOSPC, errno.EDQUOT), ("the disk is full", "free space on that disk")),
              **dict.fromkeys((errno.EROFS, errno.EACCES, errno.EPERM), ("it is read-only", "make the folder writable")),
              **dict.fromkeys((errno.EEXIST, errno.ENOTDIR),
                              ("a file stands where a folder is expected", "remove or rename that file"))}
ZIP_SETTLED = 4096  # bytes: far more than a stated size moves the zip (a few characters, two pages)
MINIFIERS: dict[str, Callable[[str], str]] = {".js": rjsmin.jsmin, ".css": rcssmin.cssmin}
# Sphinx's own scripts (doctools.js, searchtools.js...), which it ships commented: 40 % fewer
# bytes on every page and before the search page's results (Lighthouse). Its templates
# (language_data.js.jinja) end in .jinja, so they are written as rendered, our data in them legible.
SPHINX_STATIC = Path(sphinx_package) / "themes" / "basic" / "static"


@dataclass(frozen=True)
class Edition:
    """One Sphinx run: a builder in a language, published under `target` ("html", "html/fr")."""

    builder: str
    language: str
    target: str


class BadConfig(Exception):
    """docs/conf.py does not say what the build needs; the message names the fix."""


def error(text: str) -> None:
    print(f"error: {text}", file=sys.stderr)


def editions_of(docs: Path) -> list[Edition]:
    """The HTML editions docs/conf.py declares (figures/editions.py checks them), in its
    order: the first at html/, each other at html/<path>/."""
    try:
        declared = editions_in(docs)
    except EditionsError as exc:
        raise BadConfig(str(exc)) from None
    return [Edition("html", e.language, posixpath.join("html", e.path) if e.path else "html") for e in declared]


@dataclass(frozen=True)
class Settings:
    out: Path  # the output root: html/ below it, and the build's own folders
    docs: Path = DOCS  # conf.py, source/, data/ and locales/
    jobs: str = "auto"  # Sphinx's parallel jobs: a number, or "auto" (one per core)
    pdf: str = "auto"  # the PDF editions: "auto" (when Chromium is there), "required" or "off"
    base_url: str = ""  # where the site will be served, when known
    offline: bool = True  # False (--html-only): the HTML editions alone
    wait: bool = True  # queue behind another build of `out`; False: exit 2 at once
    editions: tuple[Edition, ...] = ()  # the HTML editions to build; (): those docs/conf.py declares
    epoch: int | None = None  # the editions' date (SOURCE_DATE_EPOCH); None: the content's (site/dating.py)

    @property
    def staging(self) -> Path:
        return self.out / ".staging"

    @property
    def doctrees(self) -> Path:
        return self.out / ".doctrees"

    @property
    def tops(self) -> list[str]:  # the folders below `out` that the editions are published in
        return sorted({edition.target.split("/")[0] for edition in self.editions})


class Languages:
    """This build's Sphinx, one process per language, and how its last failed run ended.
    Each is forked here, before the PDF printer starts (publish/sphinxrun.py says why)."""

    def __init__(self, settings: Settings, languages: list[str]) -> None:
        from sphinx.application import builtin_extensions

        self.settings = settings
        self.failure: Result | None = None
        self.processes: dict[str, LanguageProcess] = {}
        # conf.py's extensions and theme whole (their setup() imports the rest); not Sphinx's
        # own: the packages among those (its builders) hold modules this build never uses.
        conf = runpy.run_path(str(settings.docs / "conf.py"))  # declarative (no imports): costs nothing
        extensions = conf.get("extensions")
        preload(builtin_extensions)
        preload([name for name in [*(extensions if isinstance(extensions, list) else []), conf.get("html_theme")]
                 if isinstance(name, str)], whole=True)
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
        """One builder, strictly: 0, else the build's exit status once its last line is printed.
        A language's builders share one environment, as Sphinx's Makefile has them do: the
        first reads what changed, the others only write (site/pages.py's FreshFolder)."""
        s = self.settings
        run = SphinxRun(edition.builder, s.docs / "source", s.docs, s.staging / edition.target,
                        s.doctrees / edition.language, s.jobs,
                        (("language", edition.language), *overrides,
                         # one folder of compiled templates for every language (site/pages.py)
                         ("templates_cache", str(s.out / ".templates"))), s.epoch)
        result = self.processes[edition.language].run(run)
        if result.ending == Ending.PASSED:
            return 0
        self.failure = result
        failed(edition, s.out, result)
        return 1 if result.ending == Ending.WARNINGS else 2


def failed(edition: Edition, out: Path, result: Result | None = None, why: str = "") -> None:
    """The last line of a failed build: the bad input itself when that is the cause."""
    kept = f"Nothing was published: the last good site in {out} is unchanged."
    if result and result.ending in (Ending.REFUSED, Ending.DISK_FULL):  # a disk fault names the folder
        error(f"{result.message.replace(f'{UNNAMED_FILE}:', f'{out}:', 1)} {kept}")
    elif result and result.warnings:
        first, more = result.warnings[0], len(result.warnings) - 1
        where = first.split(": ", 1)[0] if ": " in first else ""
        text = re.sub(r"^.*?\b(?:WARNING|ERROR|CRITICAL|SEVERE): ", "", first, count=1)
        error(f"{where}: {text}{f' ({more} more above)' if more else ''} {kept}")
    else:
        why = f" ({result.message})" if result and result.message else why
        error(f"the {edition.builder} build ({edition.language}) failed{why}; the last good site in {out} is unchanged.")


def listing(edition: Edition, settings: Settings, formats: list[dict[str, object]]) -> tuple[tuple[str, object], ...]:
    """The override that gives the downloads page its *formats* and the zip, by name (no
    sizes: zip_site fills them in once every file is written). Through a file per language
    (site/offline.py reads it), not a setting: the page depends on the file, so it is read
    once per language, not at each builder, and not every page of the language at each."""
    top = edition.target.split("/")[0]
    index = posixpath.normpath(posixpath.join(NAME, posixpath.relpath(edition.target, top), "index.html"))
    zip_entry = {"id": "zip", "href": posixpath.relpath(f"{top}/{EDITIONS_DIR}/{NAME}-html.zip", edition.target),
                 "folder": NAME, "index": index}
    manifest = settings.staging / ".offline" / edition.language / "manifest.json"
    manifest.parent.mkdir(parents=True, exist_ok=True)
    # Its time kept when nothing changed: Sphinx then does not re-read the page.
    write_if_changed(manifest, json.dumps({"formats": [*formats, zip_entry]}, indent=1) + "\n")
    return (("offline_manifest", str(manifest)),)


def build_single(edition: Edition, sphinx: Languages, formats: list[dict[str, object]]) -> int:
    """An HTML edition's single page (the PDF is printed from it); first empties the
    edition's folder of downloads."""
    staging = sphinx.settings.staging
    shutil.rmtree(staging / edition.target / EDITIONS_DIR, ignore_errors=True)
    (staging / edition.target / EDITIONS_DIR).mkdir(parents=True)
    single = Edition("singlehtml", edition.language, f"{edition.target}/{SINGLE_DIR}")
    return sphinx.build(single, listing(edition, sphinx.settings, formats))


def build_epub(edition: Edition, sphinx: Languages, formats: list[dict[str, object]]) -> int:
    """An HTML edition's EPUB, in its folder of downloads."""
    settings, lang = sphinx.settings, edition.language
    epub = Edition("epub", lang, f".offline/{lang}/epub")  # kept between builds (site/book.py)
    if status := sphinx.build(epub, listing(edition, settings, formats)):
        return status
    built = sorted((settings.staging / epub.target).glob("*.epub"))
    epub_file = settings.staging / edition.target / EDITIONS_DIR / f"{NAME}-{lang}.epub"
    repack_epub(built[0], epub_file, settings.epoch)
    return 0


def offline_formats(edition: Edition, pdf: bool) -> list[dict[str, object]]:
    """The files *edition*'s downloads page lists, by link from there: the same for each of
    its builders, so Sphinx reads the page once (zip_site fills in their sizes)."""
    files = {"epub": f"{EDITIONS_DIR}/{NAME}-{edition.language}.epub", "single": f"{SINGLE_DIR}/index.html",
             "pdf": f"{EDITIONS_DIR}/{NAME}-{edition.language}.pdf"}
    return [{"id": kind, "href": href} for kind, href in files.items() if pdf or kind != "pdf"]


def build_offline_and_html(html_editions: list[Edition], sphinx: Languages) -> int:
    """Each HTML edition's single page, EPUB and PDF, then the edition (its downloads page
    gives their sizes), then the zip. Chromium prints each PDF once its single page is
    written, beside Sphinx's next builds: an edition waits only for its own PDF."""
    settings = sphinx.settings
    staging, out, pdf = settings.staging, settings.out, settings.pdf
    why_not = pdf_unavailable() if pdf != "off" else "switched off (--pdf off)"
    if why_not and pdf == "required":
        failed(Edition("pdf", html_editions[0].language, ""), out, why=f": {why_not}")
        return 1
    for edition in html_editions if why_not else []:
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
                folder, lang = staging / edition.target, edition.language
                jobs[lang] = PrintJob(page=folder / SINGLE_DIR / "index.html",
                                      dest=folder / EDITIONS_DIR / f"{NAME}-{lang}.pdf",
                                      numbers=staging / ".offline" / lang / "contents-pages.json")
                printer.add(jobs[edition.language])
        for edition in html_editions:
            if status := build_epub(edition, sphinx, formats[edition.language]):
                return status
        for edition in html_editions:
            if printer and (problem := printer.printed(jobs[edition.language])):
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
    the site's zip; without (--html-only), it says that they were not made."""
    settings = sphinx.settings
    overrides = listing(edition, settings, formats) if formats is not None else ()
    if settings.base_url:
        overrides += (("site_base_url", settings.base_url),)
    return sphinx.build(edition, overrides)


def minify_editions(html_editions: list[Edition], staging: Path) -> None:
    """Each edition and its single page minified for readers, once the printer has read them."""
    for edition in html_editions:
        minify_static(staging / edition.target / "_static")
        minify_static(staging / edition.target / SINGLE_DIR / "_static")


def minify_static(static: Path) -> None:
    """Our scripts and style sheets, and Sphinx's scripts, minified in a written ``_static``;
    static/ stays commented for maintainers. rJSmin and rCSSmin know JavaScript's strings and
    literals. Idempotent: an incremental build ends with a clean one's bytes."""
    for source in sorted((*STATIC.iterdir(), *SPHINX_STATIC.iterdir())):
        name = source.name.removesuffix("_t")  # a template is written without its _t
        built, minify = static / name, MINIFIERS.get(Path(name).suffix)
        if minify is None or not built.is_file():
            continue
        text = built.read_text(encoding="utf-8")
        if (small := minify(text)) != text:
            built.write_text(small, encoding="utf-8")


def zip_site(html_editions: list[Edition], settings: Settings) -> None:
    """The sitemap, then the zip of every edition, the web apps written before each zip (they
    hash the files as published). The downloads pages get every file's size (site/offline.py's
    fill_sizes); in the zip, they state its size too, as shown (rounded). The last build's size
    is stated first, that zip kept if all sizes within ZIP_SETTLED of it read the same: as from
    no size (a clean build's start), where the second zip settles as a rule."""
    from ..site.offline import fill_sizes, human_size, pages_listing_sizes  # loads Sphinx: here only

    staging = settings.staging
    gather_sitemaps(staging, html_editions, settings.base_url)
    root = staging / html_editions[0].target.split("/")[0]
    zip_rel = f"{EDITIONS_DIR}/{NAME}-html.zip"
    zip_work = staging / ".offline" / f"{NAME}-html.zip"
    # Sphinx's .buildinfo files are its own bookkeeping, not for readers.
    exclude = [zip_rel, *(p.relative_to(root).as_posix() for p in root.rglob(".buildinfo*"))]
    pages = pages_listing_sizes(root)

    def zip_with(size: int | None) -> int:
        fill_sizes(pages, size)
        write_web_app(staging, {edition.language: edition.target for edition in html_editions}, settings.docs)
        return zip_tree(root, zip_work, NAME, settings.epoch, exclude=exclude)

    last = zip_work.stat().st_size if zip_work.is_file() else None
    size = zip_with(last) if last is not None else None
    if size is None or len({human_size(n, "en") for n in (last, size - ZIP_SETTLED, size + ZIP_SETTLED)}) > 1:
        stated, size = None, zip_with(None)
        for _attempt in range(6):
            if stated is not None and human_size(size, "en") == human_size(stated, "en"):
                break
            stated, size = size, zip_with(size)
        else:  # it never settled: the pages state no size rather than a wrong one
            zip_with(None)
    shutil.copyfile(zip_work, root / zip_rel)


def build_html_only(html_editions: list[Edition], sphinx: Languages) -> int:
    """The HTML editions alone (--html-only), for previews and the tests of the web
    pages: their downloads pages say that no offline edition was made."""
    staging = sphinx.settings.staging
    for edition in html_editions:
        for folder in (EDITIONS_DIR, SINGLE_DIR):  # an earlier full build's offline editions
            shutil.rmtree(staging / edition.target / folder, ignore_errors=True)
        if status := build_html(edition, sphinx):
            return status
    minify_editions(html_editions, staging)
    write_web_app(staging, {edition.language: edition.target for edition in html_editions}, sphinx.settings.docs)
    gather_sitemaps(staging, html_editions, sphinx.settings.base_url)
    return 0


def gather_sitemaps(staging: Path, html_editions: list[Edition], base_url: str = "") -> None:
    """One sitemap.xml at the site's root, where crawlers look, listing every edition's
    pages (each edition writes its own: site/editions.py) in order of address, and a
    robots.txt there that names it. Without the site's address, neither (one left by
    an earlier build with an address goes)."""
    sitemaps = [staging / edition.target / SITEMAP for edition in html_editions]
    robots = sitemaps[0].with_name(ROBOTS)
    if not base_url:
        for path in (*sitemaps, robots):
            path.unlink(missing_ok=True)
        return
    if not sitemaps[0].is_file():
        return
    address = base_url if base_url.endswith("/") else base_url + "/"
    robots.write_text(f"User-agent: *\nAllow: /\n\nSitemap: {address}{SITEMAP}\n", encoding="utf-8")
    ElementTree.register_namespace("", SITEMAP_NS)
    urlset = ElementTree.parse(sitemaps[0]).getroot()
    for nested in sitemaps[1:]:
        if nested.is_file():
            urlset.extend(ElementTree.parse(nested).getroot())
            nested.unlink()
    urlset[:] = sorted(urlset, key=lambda url: url.findtext(f"{{{SITEMAP_NS}}}loc") or "")
    ElementTree.ElementTree(urlset).write(sitemaps[0], xml_declaration=True, encoding="utf-8", method="xml")


def publish(staging: Path, out: Path, top: str) -> None:
    """Copy the staged tree next to the live one, then swap them in one step (two renames
    where the system cannot: lock.exchange). Sphinx's .buildinfo stays in staging: it is
    not for readers, and its hash of absolute paths would make two builds differ."""
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
    where, code = exc.filename or out, exc.errno
    if isinstance(exc, shutil.Error) and exc.args and isinstance(exc.args[0], list) and exc.args[0]:
        # copytree gathers every file's error as text: report the first, read its errno back.
        _source, where, first = exc.args[0][0]
        found = re.match(r"\[Errno (\d+)\] ([^:]+)", str(first))
        code, exc = (int(found.group(1)), OSError(int(found.group(1)), found.group(2))) if found else (None, exc)
    why, fix = UNWRITABLE.get(code, (exc.strerror or str(exc), "make the folder writable"))
    return f"cannot write the output folder {out} ({where}: {why}). Fix: {fix}, or build elsewhere with --out DIR."


def tree_size(folder: Path, blocks: bool = False) -> int:
    """The bytes of the files below *folder*; with *blocks*, the disk space a copy takes (whole blocks per file)."""
    files = [path.stat() for path in folder.rglob("*") if path.is_file()]  # none when there is no folder
    return sum(max(file.st_blocks * 512, file.st_size) if blocks else file.st_size for file in files)


def check_writable(out: Path, need: int = 0) -> str | None:
    """None if the build can write to *out* and has room to publish *need* bytes there."""
    probe = out / ".write-probe"
    try:
        out.mkdir(parents=True, exist_ok=True)
        try:
            probe.write_bytes(b"x" * 4096)
        finally:
            probe.unlink(missing_ok=True)
    except OSError as exc:
        return unwritable(out, exc)
    if (free := shutil.disk_usage(out).free) < need:
        return (f"cannot write the output folder {out} (the disk is full: {free // 1024} KB free, "
                f"publishing the site needs about {need // 1024} KB). "
                "Fix: free space on that disk, or build elsewhere with --out DIR.")
    return None


def build(settings: Settings, inputs: str | None = None, record: str | None = None) -> int:
    """Build under the output folder's lock. *inputs*: the inputs' digest (stamp.py): when the
    last publish had the same, there is nothing to do; *record*: the one to stamp the site with."""
    out = settings.out
    try:
        settings = replace(settings, editions=settings.editions or tuple(editions_of(settings.docs)))
        out.mkdir(parents=True, exist_ok=True)
        lock = OutputLock(out)
        lock.acquire(settings.wait, say=lambda text: print(f"note: {text}", file=sys.stderr, flush=True))
    except BadConfig as exc:
        error(str(exc))
        return 2
    except BuildRunning as exc:
        error(f"{exc}, writing {out}. Fix: wait for it to finish, or run without --no-wait to queue behind it.")
        return 2
    except OSError as exc:
        error(f"{unwritable(out, exc)} {KEPT}")
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
    if problem := check_writable(out, need):
        error(f"{problem} {KEPT}")
        return 2
    # Present while Sphinx runs: a build killed (or crashed) mid-write leaves
    # pages in staging that look up to date, so the next build starts afresh.
    unfinished = out / ".build-unfinished"
    started = time.perf_counter()
    sphinx = None
    try:
        for top in tops:  # the last good site back, if a build was killed between publish()'s renames
            if not (out / top).exists() and (out / f".{top}.old").is_dir():
                (out / f".{top}.old").rename(out / top)
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
                error(problem)
            return status
        for top in tops:
            publish(staging, out, top)
    except OSError as exc:  # writing the offline files or publishing (shutil.Error has no errno)
        # Publishing copies the new site: that is the room it needed.
        need = max(need, *(tree_size(staging / top, blocks=True) for top in tops))
        error(f"{check_writable(out, need) or unwritable(out, exc)} {KEPT}")
        return 2
    finally:
        if sphinx:
            sphinx.close(stop=True)  # when the build stops midway (else closed already)
    print(f"built {', '.join(e.target for e in editions)} in {time.perf_counter() - started:.1f}s -> {out}")
    return 0


def default_base_url(environ: Mapping[str, str]) -> str:
    """Where the site will be served, as the host says: DOCS_BASE_URL (the GitHub
    Pages workflow sets it), else Read the Docs' own variable, else unknown."""
    return environ.get("DOCS_BASE_URL") or environ.get("READTHEDOCS_CANONICAL_URL", "")


def jobs_count(value: str) -> str:
    """--jobs as Sphinx's -j takes it: a positive number, or auto."""
    if value != "auto" and (not value.isdigit() or int(value) < 1):
        raise argparse.ArgumentTypeError(f"{value!r} is neither a positive number nor auto")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    option = parser.add_argument
    option("--out", type=Path, default=DOCS / "_build")
    option("--jobs", type=jobs_count, default=os.environ.get("DOCS_JOBS", "auto"),
           help="Sphinx's parallel jobs: a number, or auto (one per core)")
    option("--docs", type=Path, default=DOCS)
    option("--pdf", choices=["auto", "required", "off"], default=os.environ.get("DOCS_PDF", "auto"),
           help="print the PDF edition with Chromium: when available (auto), or fail without it")
    option("--base-url", default=default_base_url(os.environ),
           help="where the site will be served (https://.../): each page then names its canonical "
                "address and its other-language versions in full, as search engines want")
    option("--no-wait", dest="wait", action="store_false",
           help="if another build is writing the output folder, exit 2 at once instead of waiting")
    option("--html-only", dest="offline", action="store_false",
           help="build the HTML editions alone, without the e-book, single page, PDF and zip")
    option("--force", action="store_true", help="build even when no input changed since the last build into --out")
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
        error(f"interrupted; the last good site in {settings.out} is unchanged.")
        return 2
    finally:
        end_children()
        if received:  # SIGTERM or SIGHUP: end as that signal says, once the workers are gone
            error(f"stopped by {signal.Signals(received[0]).name}; the last good site in {settings.out} is unchanged.")
            sys.stderr.flush()
            signal.signal(received[0], signal.SIG_DFL)
            os.kill(os.getpid(), received[0])
