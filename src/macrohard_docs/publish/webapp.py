"""The site as an installable web app: each HTML edition's manifest and service worker.

A pass over the files the build wrote (the list is the folder as published):
``sw.js`` (offline-worker.js with the edition's files and their hash: an
unchanged build writes the same bytes, so the browser keeps its copy),
``offline.json`` (the hash, number and size, for "Keep for offline reading")
and ``manifest.webmanifest``. Not cached: the books and the zip, the other
editions (each has its worker), the crawlers' files, the worker. Not Workbox:
its precache list comes from a Node tool, and the build runs on Python alone.
"""

from __future__ import annotations

import hashlib
import json
import runpy
from pathlib import Path
from urllib.parse import quote

from ..figures.editions import read_editions

WORKER, SUMMARY, MANIFEST = "sw.js", "offline.json", "manifest.webmanifest"
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
    """The edition's files below *root*, relative to it, sorted; none of the *nested* editions'."""
    files = (path.relative_to(root) for path in sorted(root.rglob("*"))
             if path.is_file() and not any(path.is_relative_to(folder) for folder in nested))
    return [name.as_posix() for name in files
            if name.parts[0] not in NOT_CACHED_DIRS and name.name not in NOT_CACHED and name.as_posix() != SUMMARY]


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
        edition = declared[language]
        manifest = {
            "name": edition.title, "short_name": edition.short_title,
            "description": edition.epub.get("epub_description", conf.get("epub_description", "")),
            "lang": language, "dir": "ltr", "id": "./", "start_url": "./", "scope": "./", "display": "standalone",
            "background_color": COVER_BLUE, "theme_color": COVER_BLUE, "icons": ICONS,
        }
        write_if_changed(root / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
    for root in roots.values():
        files = edition_files(root, [other for other in roots.values() if other != root and other.is_relative_to(root)])
        digest = hashlib.sha256()
        for name in files:
            digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256((root / name).read_bytes()).digest())
        version, cached = digest.hexdigest()[:20], [SUMMARY, *files]
        size = sum((root / name).stat().st_size for name in files)
        summary = {"version": version, "files": len(cached), "bytes": size}
        write_if_changed(root / SUMMARY, json.dumps(summary) + "\n")
        edition_list = {"version": version, "files": [quote(name) for name in cached]}
        worker = template.replace("/* EDITION */ {}", json.dumps(edition_list, separators=(",", ":")), 1)
        write_if_changed(root / WORKER, worker)
