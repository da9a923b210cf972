"""The web app's files as built (issue 30): each edition's manifest, worker and
summary, what the worker keeps, and nothing of it in the e-books.
The browser side is tests/browser/test_offline_app.py."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

from helpers import DOCS, Edition

from macrohard_docs.publish.webapp import write_web_app

APP_FILES = ("sw.js", "offline.json", "manifest.webmanifest", "offline-app", "app-icon")


def worker_files(edition: Edition) -> list[str]:
    text = (edition.html_dir / "sw.js").read_text(encoding="utf-8")
    return json.loads(re.search(r"^const EDITION = (\{.*\});$", text, re.MULTILINE).group(1))["files"]


def test_each_edition_names_itself_in_its_language(editions: list[Edition]) -> None:
    names = {}
    for edition in editions:
        manifest = json.loads((edition.html_dir / "manifest.webmanifest").read_text(encoding="utf-8"))
        assert manifest["lang"] == edition.language
        assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("./", "./", "standalone")
        for icon in manifest["icons"]:
            assert (edition.html_dir / icon["src"]).is_file(), icon
        assert {"192x192", "512x512"} <= {icon["sizes"] for icon in manifest["icons"]}
        names[edition.language] = (manifest["name"], manifest["short_name"])
        assert len(manifest["short_name"]) <= 12
    assert names == {"en": ("Macrohard and Colossus", "MH dossier"),
                     "fr": ("Macrohard et Colossus", "Dossier MH")}


def test_the_worker_keeps_the_edition_but_not_the_books(editions: list[Edition]) -> None:
    for edition in editions:
        files = set(worker_files(edition))
        pages = {p.relative_to(edition.html_dir).as_posix() for p in edition.pages()}
        assert pages <= files, pages - files
        assert {"single/index.html", "searchindex.js", "_static/glossary-data.js", "data/figures.csv",
                "offline.json"} <= files
        assert not [f for f in files if f.startswith(("_editions/", "fr/")) or f == "sw.js"]
        summary = json.loads((edition.html_dir / "offline.json").read_text(encoding="utf-8"))
        assert summary["files"] == len(files)
        # "About 2 MB per edition", the single page included (issue 30).
        assert 1_000_000 < summary["bytes"] < 3_000_000, summary


def test_an_unchanged_build_keeps_its_worker_and_a_changed_page_makes_a_new_one(
        html_dir: Path, tmp_path: Path) -> None:
    site = tmp_path / "html"
    shutil.copytree(html_dir, site, ignore=shutil.ignore_patterns("_editions"))
    targets = {"en": "html", "fr": "html/fr"}
    workers = {lang: (site / path.removeprefix("html").lstrip("/") / "sw.js").read_bytes()
               for lang, path in targets.items()}
    write_web_app(tmp_path, targets, DOCS)
    assert (site / "sw.js").read_bytes() == workers["en"]
    assert (site / "fr" / "sw.js").read_bytes() == workers["fr"]
    page = site / "fr" / "about.html"
    page.write_text(page.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    write_web_app(tmp_path, targets, DOCS)
    assert (site / "sw.js").read_bytes() == workers["en"]  # the other edition is untouched
    assert (site / "fr" / "sw.js").read_bytes() != workers["fr"]


def test_the_pages_allow_only_their_own_worker_and_manifest(editions: list[Edition]) -> None:
    for edition in editions:
        soup = edition.soup("index.html")
        policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
        assert "worker-src 'self';" in policy and "manifest-src 'self';" in policy
        colours = {m["media"]: m["content"] for m in soup.find_all("meta", attrs={"name": "theme-color"})}
        assert set(colours) == {"(prefers-color-scheme: light)", "(prefers-color-scheme: dark)"}


def test_the_books_carry_none_of_it(editions: list[Edition]) -> None:
    for edition in editions:
        [epub] = [p for p in edition.manifest_files if p.suffix == ".epub"]
        with zipfile.ZipFile(epub) as book:
            names = book.namelist()
            assert not [n for n in names if any(app in n for app in APP_FILES)], names
            for name in names:
                if name.endswith((".xhtml", ".opf", ".css")):
                    text = book.read(name).decode("utf-8")
                    assert "offline-app" not in text and "serviceWorker" not in text, name
