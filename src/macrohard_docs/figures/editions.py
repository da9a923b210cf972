"""The editions of the dossier: one record per language, declared once in conf.py
(``site_editions``, a dict per edition: its keys are :class:`Edition`'s fields).

The first record is the source edition, the pages' language, published at the
root; every other one is translated by its catalogs (``docs/locales/<language>/``)
into ``<path>/``. The build, ``noxfile.py`` and the extension all read the list
through :func:`read_editions`: a bad list is one message, the same everywhere.
The standard library alone: nox imports this module by its path, without Sphinx.
"""

from __future__ import annotations

import runpy
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Sphinx's own default language: the source edition's when conf.py lists no editions.
SPHINX_DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Edition:
    language: str  # the language's code, as Sphinx and the catalogs' folder name it ("fr")
    path: str  # the edition's folder below the root edition's HTML ("" for the root, "fr")
    label: str  # the language's name, in itself ("Français")
    switch: str  # the language switcher's link text, in the edition's language
    title: str  # the site's and the web app's name; "" keeps conf.py's html_title
    short_title: str  # the installed web app's name under its icon (about 12 characters)
    subtitle: str  # printed under the title on the PDF's title page
    author: str  # as the edition names the authors (citation, title page); default `author`
    copyright: str  # the footer's line; "" keeps conf.py's `copyright`
    search_language: str  # the language of Sphinx's search index (html_search_language)
    epub: Mapping[str, Any] = field(default_factory=dict, hash=False)  # the e-book's own epub_* values

    def is_source(self) -> bool:
        """The first edition, the pages' language: the only one at the root (read_editions)."""
        return not self.path


class EditionsError(ValueError):
    """conf.py's site_editions cannot be read; the one-line message names the file, the key and the fix."""


REQUIRED = ("language", "path", "label", "switch")
OPTIONAL = ("title", "short_title", "subtitle", "author", "copyright", "search_language", "epub")
FIX = ("Fix: give each edition a dict with the keys " + ", ".join(REQUIRED)
       + " (and optionally " + ", ".join(OPTIONAL) + "), the source language first, with path \"\"")


def read_editions(declared: object, conf_file: Path | str, defaults: Mapping[str, Any]) -> list[Edition]:
    """The editions *declared* as ``site_editions`` in *conf_file*, checked, in their order;
    *defaults*' ``author`` (conf.py's) is an edition's own when it does not say otherwise."""
    def fail(where: str, problem: str, fix: str = FIX) -> EditionsError:
        return EditionsError(f"{conf_file}: {where} {problem}. {fix}.")

    if not isinstance(declared, list | tuple) or not declared:
        raise fail("site_editions", f"is {declared!r}, not a list of editions")
    editions: list[Edition] = []
    for index, entry in enumerate(declared):
        where = f"site_editions[{index}]"
        if not isinstance(entry, dict) or any(key not in entry for key in REQUIRED):
            raise fail(where, f"is {entry!r}")
        if unknown := sorted(set(entry) - {*REQUIRED, *OPTIONAL}):
            raise fail(where, f"has the unknown key {unknown[0]!r}")
        if wrong := next((key for key, value in entry.items() if key != "epub" and not isinstance(value, str)), None):
            raise fail(f"{where}[{wrong!r}]", f"is {entry[wrong]!r}, not text", "Fix: write it as a string")
        epub = entry.get("epub", {})
        if not isinstance(epub, dict) or any(not str(name).startswith("epub_") for name in epub):
            raise fail(f"{where}['epub']", f"is {epub!r}", "Fix: give a dict of the e-book's own settings, "
                       "each named epub_* (epub_title, epub_description, ...)")
        language, path = entry["language"], entry["path"].strip("/")
        if not language:
            raise fail(f"{where}['language']", "is empty", "Fix: write the language's code, such as \"de\"")
        if language in (edition.language for edition in editions):
            raise fail(f"{where}['language']", f"is {language!r}, listed twice", "Fix: list each language once")
        if (index == 0) != (path == ""):
            raise fail(f"{where}['path']", f"is {entry['path']!r}",
                       "Fix: the first edition, the source language, is the root (path \"\"), "
                       "and each other one has a folder of its own (path \"fr\")")
        if path in (edition.path for edition in editions):
            raise fail(f"{where}['path']", f"is {path!r}, the folder of another edition",
                       "Fix: give each edition its own path")
        editions.append(Edition(**{
            "title": "", "subtitle": "", "copyright": "", "author": defaults.get("author") or "",
            "short_title": entry.get("title", ""), "search_language": language, **entry,
            "path": path, "epub": dict(epub)}))
    return editions


def editions_in(docs: Path | str) -> list[Edition]:
    """The editions *docs*/conf.py declares: the build's and nox's reader.
    conf.py is declarative (no imports), so running it costs nothing."""
    conf_file = Path(docs) / "conf.py"
    try:
        conf = runpy.run_path(str(conf_file))
    except (OSError, SyntaxError) as exc:
        raise EditionsError(f"{conf_file}: cannot read it ({exc}). Fix: correct the file.") from exc
    return read_editions(conf.get("site_editions"), conf_file, conf)


def edition_in(editions: list[Edition], language: str | None) -> Edition | None:
    return next((e for e in editions if e.language == language), None)


def source_language(editions: list[Edition]) -> str:
    return editions[0].language if editions else SPHINX_DEFAULT_LANGUAGE


# Each list read, by what it declares: pages ask for theirs per mention.
_read: dict[str, list[Edition]] = {}


def configured_editions(config: Any, conf_file: Path | str = "conf.py") -> list[Edition]:
    """The editions of a Sphinx build's configuration ([] for a project that lists none).
    Checked when the build starts (site/editions.py, with conf.py's name in the message)."""
    if not config.site_editions:
        return []
    declared = repr((config.site_editions, config.author))
    if declared not in _read:
        _read[declared] = read_editions(config.site_editions, conf_file, {"author": config.author})
    return list(_read[declared])


def build_edition(config: Any) -> Edition | None:
    return edition_in(configured_editions(config), config.language)


def is_source_build(config: Any) -> bool:
    """Whether this build makes the source edition: pages as written, no catalogs."""
    return (config.language or SPHINX_DEFAULT_LANGUAGE) == source_language(configured_editions(config))


def setup_editions_record(app: Any) -> None:
    # "env": which edition is the source decides how pages are read (figures/i18n.py,
    # a unit's text in domain.py), and an edition's author is in its citation.
    app.add_config_value("site_editions", [], "env", types=frozenset({list}))
