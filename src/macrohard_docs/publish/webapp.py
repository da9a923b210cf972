"""The site as an installable web app: each HTML edition's manifest and service worker.

A pass over the files the build wrote, once every edition's HTML is in
staging (no Sphinx event: the list is the folder as it will be published).
Each edition gets, at its root:

* ``sw.js``: the worker (offline-worker.js) with the edition's file list and
  a content hash of those files. An unchanged build writes the same bytes, so
  the browser keeps its copy; any changed file changes the hash, the browser
  installs the new worker beside the old one, and the new cache replaces the
  old once the reader reloads (static/offline-app.js tells them, once).
* ``offline.json``: the hash, the number of files and their size, which the
  page's "Keep for offline reading" control reads.
* ``manifest.webmanifest``: the edition's name, language, start address,
  colours and icons (drawn from the cover: static/app-icon.svg and its PNGs).

What is cached: every file of the edition but the books and the zip
(``_editions/``, fetched only when a reader asks for one), the other editions
(below their own folder, with their own worker), the crawlers' files and
the worker itself.

Why no Workbox: it is an npm package whose precache list is made by a Node
tool (workbox-build) or its CLI; the build must run on Python alone on a
fresh machine. Vendored as files it would still be about 20 KB of runtime
spread over a loader and modules for a worker whose whole job here is fifty
lines: precache one list, serve it cache-first, drop the old list, wait for
the reader before switching. The list and the hash are written here, from
the files themselves.
"""

from __future__ import annotations

import hashlib
import json
import runpy
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..figures.editions import Edition, read_editions

WORKER = "sw.js"
SUMMARY = "offline.json"
MANIFEST = "manifest.webmanifest"
WORKER_SOURCE = Path(__file__).with_name("offline-worker.js")
NOT_CACHED_DIRS = ("_editions",)  # the books and the zip: only on request
NOT_CACHED = {WORKER, "sitemap.xml", "robots.txt", ".buildinfo", ".buildinfo.bak"}
ICONS = [
    {"src": "_static/app-icon.svg", "sizes": "any", "type": "image/svg+xml"},
    {"src": "_static/app-icon-192.png", "sizes": "192x192", "type": "image/png"},
    {"src": "_static/app-icon-512.png", "sizes": "512x512", "type": "image/png"},
    {"src": "_static/app-icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
]
COVER_BLUE = "#14213d"  # the cover's background (static/cover.svg)


def edition_files(root: Path, nested: list[Path]) -> list[str]:
    """The edition's files below *root*, as paths relative to it, sorted;
    none from the *nested* editions' folders."""
    files = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if not path.is_file() or relative.parts[0] in NOT_CACHED_DIRS or path.name in NOT_CACHED:
            continue
        if any(path.is_relative_to(folder) for folder in nested) or relative.as_posix() == SUMMARY:
            continue
        files.append(relative.as_posix())
    return files


def content_hash(root: Path, files: list[str]) -> str:
    digest = hashlib.sha256()
    for name in files:
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256((root / name).read_bytes()).digest())
    return digest.hexdigest()[:20]


def manifest(edition: Edition | None, language: str, description: str) -> dict[str, Any]:
    return {
        "name": edition.title if edition else "", "short_name": edition.short_title if edition else "",
        "description": description, "lang": language, "dir": "ltr",
        "id": "./", "start_url": "./", "scope": "./", "display": "standalone",
        "background_color": COVER_BLUE, "theme_color": COVER_BLUE, "icons": ICONS,
    }


def write_if_changed(path: Path, text: str) -> None:
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def write_web_app(staging: Path, targets: dict[str, str], docs: Path) -> None:
    """Each edition's worker, summary and manifest; *targets* maps a language to its folder below staging."""
    conf = runpy.run_path(str(docs / "conf.py"))
    declared = {e.language: e for e in read_editions(conf.get("site_editions"), docs / "conf.py", conf)}
    roots = {language: staging / target for language, target in targets.items()}
    template = WORKER_SOURCE.read_text(encoding="utf-8")
    # The manifests first: each is one of its edition's files, so a clean build
    # lists and hashes it as a rebuild (which finds the last one there) does.
    for language, root in roots.items():
        edition = declared.get(language)
        description = (edition.epub if edition else {}).get("epub_description", conf.get("epub_description", ""))
        write_if_changed(root / MANIFEST,
                         json.dumps(manifest(edition, language, description), ensure_ascii=False, indent=1) + "\n")
    for language, root in roots.items():
        nested = [other for other in roots.values() if other != root and other.is_relative_to(root)]
        files = edition_files(root, nested)
        version = content_hash(root, files)
        cached = [SUMMARY, *files]
        size = sum((root / name).stat().st_size for name in files)
        summary = {"version": version, "files": len(cached), "bytes": size}
        write_if_changed(root / SUMMARY, json.dumps(summary) + "\n")
        edition = {"version": version, "files": [quote(name) for name in cached]}
        write_if_changed(root / WORKER, template.replace(
            "/* EDITION */ {}", json.dumps(edition, separators=(",", ":")), 1))
