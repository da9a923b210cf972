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

Every step runs in the main process (after merging, as the builder prepares
to write, once it is done), so the extension is parallel safe and keeps
nothing in the environment.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..figures.sphinx_private import drop_unused_search_words

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def site_outline(env: BuildEnvironment) -> str:
    """The titles and toctrees every page's navigation is made of, as a digest."""
    titles = {doc: title.astext() for doc, title in sorted(env.titles.items())}
    toctrees = {doc: list(children) for doc, children in sorted(env.toctree_includes.items())}
    text = json.dumps([titles, toctrees], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class FreshFolder:
    """Mixin of the builders whose folder holds a file per page (html, dirhtml;
    the others write every page each time): the record of what their folder
    was last written from, kept with the environment, and written as they finish."""

    name: str
    doctreedir: Path
    env: BuildEnvironment

    def written_record(self) -> Path:
        return Path(self.doctreedir, f"written-{self.name}.json")

    def pages_to_bring_up_to_date(self) -> list[str]:
        """The pages to write besides those Sphinx finds outdated: every page read
        since the folder was written (by this build or another builder sharing the
        environment), and all of them if the outline changed; and delete the files
        of pages gone since then."""
        env = self.env
        try:
            written = json.loads(self.written_record().read_text(encoding="utf-8"))
            pages = dict(written["pages"])
        except (OSError, ValueError, KeyError, TypeError):
            return sorted(env.found_docs)  # a folder this environment has no record of: write it whole
        for docname in sorted(set(pages) - env.found_docs):
            Path(self.get_outfilename(docname)).unlink(missing_ok=True)  # type: ignore[attr-defined]
        if written.get("outline") != site_outline(env):
            return sorted(env.found_docs)
        # env.all_docs: when each page was last read.
        return sorted(doc for doc in env.found_docs if pages.get(doc) != env.all_docs.get(doc))

    def finish(self) -> None:
        super().finish()  # type: ignore[misc]
        env = self.env
        record = {"outline": site_outline(env),
                  "pages": {doc: env.all_docs.get(doc) for doc in sorted(env.found_docs)}}
        self.written_record().write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n",
                                         encoding="utf-8")


def bring_up_to_date(app: Sphinx, env: BuildEnvironment) -> Iterable[str]:
    """Sphinx asks every extension, not the builder, what else to write: the builder's answer."""
    return app.builder.pages_to_bring_up_to_date() if isinstance(app.builder, FreshFolder) else []


def drop_emptied_words(indexer: Any) -> None:
    """Called by our HTML builders once they loaded and pruned the previous search
    index (macrohard_docs.site.pages), before the rewritten pages are indexed."""
    if indexer is not None:
        drop_unused_search_words(indexer)


def setup_freshness(app: Sphinx) -> None:
    app.connect("env-get-updated", bring_up_to_date)
