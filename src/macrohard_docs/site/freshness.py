"""Incremental rebuilds that leave no stale page.

Sphinx rewrites only the pages it re-read, which leaves three things stale:

* Every page shows the titles of the others (the sidebar's site navigation,
  the previous/next links, ``<link rel="next">``). When a page's title
  changes, or a page joins or leaves a toctree, those other pages are not
  re-read and keep the old titles.
* A page removed from the sources keeps its HTML file in the output folder,
  which the build publishes.
* The search index of an incremental build keeps every word a rewritten page
  no longer holds, pointing at no page (``"word":[]``): harmless to readers,
  but the index then differs from a clean build's. Here such words are dropped
  once the previous index is loaded, before the rewritten pages are indexed.

For the first two, an HTML builder records, beside the environment, what its
folder was last written from: the outline (every page's title and toctree)
and each page with the time it was read. The next build compares: a page read
since is rewritten, every page if the outline differs (from the pickled
doctrees: writing, not reading, so it stays cheap), and a page no longer
there has its file deleted. Recorded rather than seen while reading, because
a language's builders share one environment (macrohard_docs.publish.build):
the single page's build reads what changed (a page, the data file, a
catalog, the extension's code), and the HTML build that follows reads
nothing, while Sphinx would rewrite only the pages whose source is newer.

Every hook runs in the main process (after merging, as each page is resolved
for writing, once the build is done), so the extension is parallel safe and
keeps nothing in the environment.
"""

from __future__ import annotations

import hashlib
import json
import weakref
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..figures.sphinx_private import drop_unused_search_words

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

# The builders whose folder holds a file per page (the others write every page each time).
PAGE_BUILDERS = {"html", "dirhtml"}
# The search index this build has already cleaned.
_pruned: weakref.WeakKeyDictionary[Any, object] = weakref.WeakKeyDictionary()


def site_outline(env: BuildEnvironment) -> str:
    """The titles and toctrees every page's navigation is made of, as a digest."""
    titles = {doc: title.astext() for doc, title in sorted(env.titles.items())}
    toctrees = {doc: list(children) for doc, children in sorted(env.toctree_includes.items())}
    text = json.dumps([titles, toctrees], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record_of(app: Sphinx) -> Path:
    """What this builder's folder was last written from, kept with the environment."""
    return Path(app.doctreedir, f"written-{app.builder.name}.json")


def bring_up_to_date(app: Sphinx, env: BuildEnvironment) -> Iterable[str]:
    """The pages to write besides those Sphinx finds outdated: every page read
    since the folder was written (by this build or another builder sharing the
    environment), and all of them if the outline changed; and delete the files
    of pages gone since then."""
    if app.builder.name not in PAGE_BUILDERS:
        return []
    try:
        written = json.loads(record_of(app).read_text(encoding="utf-8"))
        pages = dict(written["pages"])
    except (OSError, ValueError, KeyError, TypeError):
        return sorted(env.found_docs)  # a folder this environment has no record of: write it whole
    for docname in sorted(set(pages) - env.found_docs):
        Path(app.builder.get_outfilename(docname)).unlink(missing_ok=True)
    if written.get("outline") != site_outline(env):
        return sorted(env.found_docs)
    # env.all_docs: when each page was last read.
    return sorted(doc for doc in env.found_docs if pages.get(doc) != env.all_docs.get(doc))


def record_written(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.name not in PAGE_BUILDERS:
        return
    env = app.env
    record = {"outline": site_outline(env), "pages": {doc: env.all_docs.get(doc) for doc in sorted(env.found_docs)}}
    record_of(app).write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def drop_emptied_words(app: Sphinx, doctree: Any, docname: str) -> None:
    """Once per build, after the builder loaded and pruned the previous search index."""
    indexer = getattr(app.builder, "indexer", None)
    if indexer is None or _pruned.get(app) is indexer:
        return
    drop_unused_search_words(indexer)
    _pruned[app] = indexer


def setup_freshness(app: Sphinx) -> None:
    app.connect("env-get-updated", bring_up_to_date)
    app.connect("doctree-resolved", drop_emptied_words)
    app.connect("build-finished", record_written)
