"""Incremental rebuilds that leave no stale page.

Sphinx rewrites only the pages it re-read, which leaves three things stale:

* Every page shows the titles of the others (the sidebar's site navigation,
  the previous/next links, ``<link rel="next">``). When a page's title
  changes, or a page joins or leaves a toctree, those other pages are not
  re-read and keep the old titles. Here the titles and toctrees are compared
  before and after reading; if they differ, every page is rewritten (from the
  pickled doctrees: writing, not reading, so it stays cheap).
* A page removed from the sources keeps its HTML file in the output folder,
  which the build publishes. Here each removed page's output file is deleted.
* The search index of an incremental build keeps every word a rewritten page
  no longer holds, pointing at no page (``"word":[]``): harmless to readers,
  but the index then differs from a clean build's. Here such words are dropped
  once the previous index is loaded, before the rewritten pages are indexed.

Every hook runs in the main process (before reading, after merging, and as
each page is resolved for writing), so the extension is parallel safe and
keeps nothing in the environment.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

# What every page shows of the others, as it stood before this build read anything.
_before: weakref.WeakKeyDictionary[Any, object] = weakref.WeakKeyDictionary()
# The search index this build has already cleaned.
_pruned: weakref.WeakKeyDictionary[Any, object] = weakref.WeakKeyDictionary()


def site_outline(env: BuildEnvironment) -> object:
    """The titles and toctrees every page's navigation is made of."""
    titles = {doc: title.astext() for doc, title in env.titles.items()}
    toctrees = {doc: list(children) for doc, children in env.toctree_includes.items()}
    return titles, toctrees


def before_reading(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str],
                   removed: set[str]) -> list[str]:
    """Remember the outline (removed pages are still in it) and delete removed pages' files."""
    _before[app] = site_outline(env)
    outfile = getattr(app.builder, "get_outfilename", None)
    if outfile is not None and app.builder.name in {"html", "dirhtml"}:
        for docname in sorted(removed):
            Path(outfile(docname)).unlink(missing_ok=True)
    return []


def rewrite_all_if_outline_changed(app: Sphinx, env: BuildEnvironment) -> Iterable[str]:
    before = _before.pop(app, None)
    if before is not None and before != site_outline(env):
        return sorted(env.found_docs)
    return []


def drop_emptied_words(app: Sphinx, doctree: Any, docname: str) -> None:
    """Once per build, after the builder loaded and pruned the previous search index."""
    indexer = getattr(app.builder, "indexer", None)
    if indexer is None or _pruned.get(app) is indexer:
        return
    for name in ("_mapping", "_title_mapping"):  # Sphinx's IndexBuilder: word -> set of pages
        mapping = getattr(indexer, name, None)
        if isinstance(mapping, dict):
            for word in [word for word, pages in mapping.items() if not pages]:
                del mapping[word]
    _pruned[app] = indexer


def setup_freshness(app: Sphinx) -> None:
    app.connect("env-get-outdated", before_reading)
    app.connect("env-get-updated", rewrite_all_if_outline_changed)
    app.connect("doctree-resolved", drop_emptied_words)
