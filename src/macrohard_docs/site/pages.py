"""What the site adds to the pages it writes, done by the builders that write them.

Each module keeps its own page work as a function (editions.py, metadata.py,
search.py); the builder classes below call the set that fits their output from
their own methods, so no function asks which builder runs it. :class:`SitePages`
works per page in ``update_page_context``, before any ``html-page-context``
handler: the Open Graph library reads the fields written there. Its subclasses
say what their output holds: :class:`WebSitePages`, the multi-page site (Open
Graph tags, the editions' switcher, the glossary's filter box, the sitemap);
:class:`BookPages`, the single page (no search files, the edition's date).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from jinja2 import FileSystemBytecodeCache
from sphinx.jinja2glue import BuiltinTemplateLoader

from ..figures.datafiles import write_data_files
from ..figures.sphinx_private import drop_unused_search_words
from .editions import add_alternates, write_sitemap
from .metadata import PREVIEW, add_description
from .search import add_filter_box, add_page_assets, write_search_data

if TYPE_CHECKING:
    from collections.abc import Iterable, Set

    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment
    from sphinx.theming import Theme

# Every page got Pygments' colours and sphinx-copybutton's files (about 40 KB),
# though only the "cite this" block has code; furo-extensions.css styles only the
# copy button, code blocks and extensions this site does not use.
CODE_ONLY = ("pygments.css", "copybutton.css", "copybutton.js", "clipboard.min.js", "furo-extensions.css")


def is_code_asset(asset: Any) -> bool:
    return str(getattr(asset, "filename", asset) or "").split("?")[0].endswith(CODE_ONLY)


def drop_unused_code_assets(context: dict[str, Any], doctree: nodes.document | None) -> None:
    """Code assets only on pages that show code (the single page shows the About page's)."""
    if doctree is not None and next(doctree.findall(nodes.literal_block), None) is not None:
        return
    # New lists: the builder shares the originals between pages.
    context["css_files"] = [c for c in context.get("css_files", []) if not is_code_asset(c)]
    context["script_files"] = [s for s in context.get("script_files", []) if not is_code_asset(s)]


class SitePages:
    """Mixin of the site's HTML builders (before Sphinx's class in the bases)."""

    env: BuildEnvironment

    # What the builder's output holds, asked instead of the builder's name
    # (dates_each_page by dating.py's handler too).
    ships_search_data = True  # the glossary and search files and scripts (search.py)
    dates_each_page = True  # "Last updated on" from each page's own history (dating.py)
    open_graph = False  # link previews' tags (metadata.py)
    links_editions = False  # the switcher to the other languages (editions.py)
    single_page = False

    def update_page_context(self, pagename: str, templatename: str, ctx: dict[str, Any],
                            event_arg: Any) -> None:
        super().update_page_context(pagename, templatename, ctx, event_arg)  # type: ignore[misc]
        add_description(self, pagename, ctx, event_arg, self.open_graph)  # type: ignore[arg-type]
        if self.links_editions:
            add_alternates(self, pagename, ctx, single_page=self.single_page)  # type: ignore[arg-type]
        if self.ships_search_data:
            add_page_assets(self, pagename)  # type: ignore[arg-type]
            drop_unused_code_assets(ctx, event_arg)

    def prepare_writing(self, docnames: Set[str]) -> None:
        if self.ships_search_data:
            write_search_data(self)  # type: ignore[arg-type]
        super().prepare_writing(docnames)  # type: ignore[misc]
        # Sphinx has loaded and pruned the previous index: drop the words no page
        # holds any more, before the rewritten pages are indexed.
        if getattr(self, "indexer", None) is not None:
            drop_unused_search_words(self.indexer)  # type: ignore[attr-defined]

    def finish(self) -> None:
        super().finish()  # type: ignore[misc]
        # Not beside an e-book (Sphinx's `embedded`): its pages say where the files are.
        if not self.embedded:  # type: ignore[attr-defined]
            write_data_files(self)  # type: ignore[arg-type]


class WebSitePages(SitePages):
    open_graph = links_editions = True

    def write_doc_serialized(self, docname: str, doctree: nodes.document) -> None:
        # Before Sphinx indexes the page: the box's words are searched as they were.
        add_filter_box(self.env, doctree, docname)
        super().write_doc_serialized(docname, doctree)  # type: ignore[misc]

    def finish(self) -> None:
        super().finish()
        write_sitemap(self)  # type: ignore[arg-type]
        if not self.config.ogp_image:  # copied by an earlier build for an address: nothing names it now
            Path(self.outdir, "_static", PREVIEW.name).unlink(missing_ok=True)


class BookPages(SitePages):
    ships_search_data = dates_each_page = False
    links_editions = single_page = True


def site_outline(env: BuildEnvironment) -> str:
    """The titles and toctrees every page's navigation is made of, as a digest."""
    titles = {doc: title.astext() for doc, title in sorted(env.titles.items())}
    toctrees = {doc: list(children) for doc, children in sorted(env.toctree_includes.items())}
    text = json.dumps([titles, toctrees], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class FreshFolder:
    """Mixin of the builders whose folder holds a file per page: a record of what
    the folder was last written from, kept beside the environment.

    Sphinx rewrites only the pages it re-read, which leaves stale the titles every
    page shows of the others (navigation, previous/next) when a title or a toctree
    changes, and the file of a page removed from the sources. Recorded rather than
    seen while reading, because a language's builders share one environment
    (macrohard_docs.publish.build): the single page's build reads what changed, and
    the HTML build that follows reads nothing.
    """

    name: str
    doctreedir: Path
    env: BuildEnvironment

    def written_record(self) -> Path:
        return Path(self.doctreedir, f"written-{self.name}.json")

    def pages_to_bring_up_to_date(self) -> list[str]:
        """Every page read since the folder was written, all of them if the outline
        changed; and delete the files of pages gone since then."""
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


class CompiledTemplates(BuiltinTemplateLoader):
    """Sphinx's template loader, with the compiled templates kept between runs.

    Sphinx gives each run a fresh Jinja environment without a bytecode cache:
    compiling some twenty templates was a tenth of the CPU of a build after one
    page is edited. Jinja's file cache keeps them beside the environment, or in
    ``templates_cache``, which the build gives every language (the first
    compiles, the others load); it checks each template's source before use,
    and writes its files whole (renamed), so parallel workers can share it.
    """

    def init(self, builder: Builder, theme: Theme | None = None, dirs: list[str] | None = None) -> None:
        super().init(builder, theme, dirs)
        folder = Path(builder.config.templates_cache or Path(builder.doctreedir, "templates"))
        folder.mkdir(parents=True, exist_ok=True)
        self.environment.bytecode_cache = FileSystemBytecodeCache(str(folder))
