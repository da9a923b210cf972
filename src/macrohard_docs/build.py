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
    <target>/_editions/macrohard-dossier-html-<lang>.zip

Order, for the sizes on the downloads page: EPUB, single page and PDF first;
then the HTML, whose downloads page states their sizes; then the zip of that
HTML. The zip holds the downloads page, which states the zip's own size, so
the HTML pass repeats until the size it states is the size it gets. The page
is stored uncompressed in the zip and its sizes are kept out of the search
index, so the zip's size depends only on how many digits the size has: the
loop settles within three passes. The zip cannot contain itself: in the
unpacked copy, that one link is the only one with nothing behind it.

    python -m macrohard_docs.build [--jobs N] [--out docs/_build] [--pdf auto|required|off]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import sphinx.locale
from sphinx.cmd.build import build_main

from .offline import DOWNLOADS_DOC
from .packaging import pdf_unavailable, print_pdf, repack_epub, source_date_epoch, zip_tree

DOCS = Path("docs")  # relative to the project root, where nox runs
STRICT = ["-W", "--keep-going", "-n", "-q"]


@dataclass(frozen=True)
class Edition:
    """One Sphinx run: a builder in a language, published under `target`."""

    builder: str
    language: str
    target: str  # path below the output root, e.g. "html" or "html/fr"


# English at html/, French beside it at html/fr/ (the paths site_editions in
# docs/conf.py links between; tests/i18n checks that the two lists agree).
EDITIONS = [Edition("html", "en", "html"), Edition("html", "fr", "html/fr")]
EDITIONS_DIR = "_editions"  # below each HTML edition: the files offered for download
SINGLE_DIR = "single"
NAME = "macrohard-dossier"
ZIP_PASSES = 4


def run_sphinx(edition: Edition, staging: Path, doctrees: Path, jobs: str, docs: Path,
               overrides: tuple[str, ...] = ()) -> int:
    args = [
        "-b", edition.builder, "-c", str(docs), "-d", str(doctrees / edition.target),
        "-j", jobs, "-D", f"language={edition.language}", *STRICT,
        *(arg for value in overrides for arg in ("-D", value)),
        str(docs / "source"), str(staging / edition.target),
    ]
    # Sphinx caches message catalogs per process: start each language afresh.
    sphinx.locale.translators.clear()
    return build_main(args)


def failed(edition: Edition, out: Path, why: str = "") -> None:
    print(
        f"error: the {edition.builder} build ({edition.language}) failed{why}; "
        f"the last good site in {out} is unchanged.",
        file=sys.stderr,
    )


def write_if_changed(path: Path, text: str) -> None:
    """Keep the file's time when nothing changed, so Sphinx does not re-read the page."""
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def build_offline(edition: Edition, editions: list[Edition], staging: Path, doctrees: Path,
                  jobs: str, docs: Path, out: Path, pdf: str) -> int:
    """The HTML edition and its offline editions; see the module docstring for the order."""
    lang = edition.language
    work = staging / ".offline" / lang
    site = staging / edition.target
    files = site / EDITIONS_DIR
    work.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(files, ignore_errors=True)
    files.mkdir(parents=True)
    epoch = source_date_epoch()
    formats: list[dict[str, object]] = []

    epub = Edition("epub", lang, f".offline/{lang}/epub")
    # Sphinx packs every file it finds in its output folder: start empty, so a
    # page removed from the sources (or a .buildinfo.bak) never ends up in the book.
    shutil.rmtree(staging / epub.target, ignore_errors=True)
    if run_sphinx(epub, staging, doctrees, jobs, docs):
        failed(epub, out)
        return 1
    built = sorted((staging / epub.target).glob("*.epub"))
    epub_file = files / f"{NAME}-{lang}.epub"
    repack_epub(built[0], epub_file, epoch)
    formats.append({"id": "epub", "href": f"{EDITIONS_DIR}/{epub_file.name}", "bytes": epub_file.stat().st_size})

    single = Edition("singlehtml", lang, f"{edition.target}/{SINGLE_DIR}")
    if run_sphinx(single, staging, doctrees, jobs, docs):
        failed(single, out)
        return 1
    page = staging / single.target / "index.html"
    formats.append({"id": "single", "href": f"{SINGLE_DIR}/index.html", "bytes": page.stat().st_size})

    why_not = pdf_unavailable() if pdf != "off" else "switched off (--pdf off)"
    if why_not and pdf == "required":
        failed(Edition("pdf", lang, ""), out, f": {why_not}")
        return 1
    if why_not:
        print(f"note: no PDF edition ({lang}): {why_not}.", file=sys.stderr)
    else:
        pdf_file = files / f"{NAME}-{lang}.pdf"
        print_pdf(page, pdf_file, epoch)
        formats.append({"id": "pdf", "href": f"{EDITIONS_DIR}/{pdf_file.name}", "bytes": pdf_file.stat().st_size})

    # The zip: the whole edition, minus other editions nested in it and itself.
    zip_name = f"{NAME}-html-{lang}.zip"
    manifest = work / "manifest.json"
    previous = json.loads(manifest.read_text(encoding="utf-8")) if manifest.is_file() else {"formats": []}
    zip_bytes = next((f["bytes"] for f in previous["formats"] if f["id"] == "zip"), 0)
    prefix = edition.target.rstrip("/") + "/"
    nested = [e.target[len(prefix):] for e in editions
              if e.builder == "html" and e.target.startswith(prefix)]
    zip_work = work / zip_name
    for _ in range(ZIP_PASSES):
        listed = [*formats, {"id": "zip", "href": f"{EDITIONS_DIR}/{zip_name}", "bytes": zip_bytes}]
        write_if_changed(manifest, json.dumps({"formats": listed}, indent=1) + "\n")
        if run_sphinx(edition, staging, doctrees, jobs, docs, (f"offline_manifest={manifest}",)):
            failed(edition, out)
            return 1
        size = zip_tree(site, zip_work, f"{NAME}-{lang}", epoch,
                        exclude=[*nested, f"{EDITIONS_DIR}/{zip_name}", ".buildinfo"],
                        stored=[f"{DOWNLOADS_DOC}.html"])
        if size == zip_bytes:
            shutil.copyfile(zip_work, files / zip_name)
            return 0
        zip_bytes = size
    failed(edition, out, f": the zip's size did not settle in {ZIP_PASSES} passes")
    return 1


def publish(staging: Path, out: Path, top: str) -> None:
    """Copy the staged tree next to the live one, then swap them by renames."""
    live = out / top
    fresh = out / f".{top}.new"
    old = out / f".{top}.old"
    for leftover in (fresh, old):
        shutil.rmtree(leftover, ignore_errors=True)
    shutil.copytree(staging / top, fresh)
    if live.exists():
        live.rename(old)
    fresh.rename(live)
    shutil.rmtree(old, ignore_errors=True)


def check_writable(out: Path) -> str | None:
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".write-probe"
        probe.write_bytes(b"x" * 4096)
        probe.unlink()
    except OSError as exc:
        return f"{out}: cannot write the output folder ({exc.strerror}). Fix: free space or make it writable."
    return None


def build(out: Path, jobs: str = "auto", docs: Path = DOCS, editions: list[Edition] = EDITIONS,
          pdf: str = "auto") -> int:
    problem = check_writable(out)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    staging = out / ".staging"
    doctrees = out / ".doctrees"
    started = time.perf_counter()
    for edition in editions:
        if edition.builder == "html":
            status = build_offline(edition, editions, staging, doctrees, jobs, docs, out, pdf)
        else:
            status = run_sphinx(edition, staging, doctrees, jobs, docs)
            if status:
                failed(edition, out)
        if status:
            return status
    for top in sorted({edition.target.split("/")[0] for edition in editions}):
        publish(staging, out, top)
    print(f"built {', '.join(e.target for e in editions)} in {time.perf_counter() - started:.1f}s "
          f"-> {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DOCS / "_build")
    parser.add_argument("--jobs", default=os.environ.get("DOCS_JOBS", "auto"))
    parser.add_argument("--docs", type=Path, default=DOCS)
    parser.add_argument(
        "--pdf", choices=["auto", "required", "off"], default=os.environ.get("DOCS_PDF", "auto"),
        help="print the PDF edition with Chromium: when available (auto), or fail without it")
    args = parser.parse_args(argv)
    return build(args.out.resolve(), args.jobs, args.docs.resolve(), pdf=args.pdf)


if __name__ == "__main__":
    sys.exit(main())
