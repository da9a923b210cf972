"""Dates from the content, never from the clock.

* The edition's date is the time of the last commit that touched the content (outside
  git, the newest content file's); ``SOURCE_DATE_EPOCH``, when set, wins. The publish
  step sets it to this date, so two clean builds of one commit are identical.
* Each page's "Last updated on ...": sphinx-last-updated-by-git's date of the last commit
  touching the page or what it depends on (the data file, the page's own catalog).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..figures.editions import is_source_build
from ..figures.data import format_date_value
from ..figures.i18n import page_catalog

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

# In the doctrees: the edition's date, rewritten only when it changes. The pages that print
# it depend on it (citation.py): re-read then, not at every builder's run.
EPOCH_FILE = "edition-epoch"
# What the site is made of, relative to the folder holding conf.py (docs/).
CONTENT = ("source", "data", "locales", "conf.py")
BUILT_SUFFIXES = (".mo", ".pyc")  # files in it that the build writes (compiled catalogs, bytecode)


def git(folder: Path, *args: str) -> str | None:
    """git's output run in *folder*, or None when git or a repository is missing."""
    try:
        run = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True,
                             check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return run.stdout.strip() if run.returncode == 0 else None


def newest_mtime(paths: Iterable[Path]) -> int | None:
    """The newest time of the files at or below *paths*, but those the build writes."""
    files = [p for path in paths for p in (path.rglob("*") if path.is_dir() else [path])
             if p.is_file() and p.suffix not in BUILT_SUFFIXES and "__pycache__" not in p.parts]
    return max((int(p.stat().st_mtime) for p in files), default=None)


def content_epoch(confdir: Path) -> int:
    confdir = Path(confdir).resolve()
    paths = [confdir / name for name in CONTENT if (confdir / name).exists()]
    committed = git(confdir, "log", "-1", "--format=%ct", "--", *map(str, paths))
    return int(committed) if committed else newest_mtime(paths) or 0


def edition_epoch(confdir: Path) -> int:
    return int(os.environ.get("SOURCE_DATE_EPOCH") or content_epoch(confdir))


def utc_date(epoch: float) -> dt.date:
    return dt.datetime.fromtimestamp(epoch, tz=dt.UTC).date()


def set_edition_epoch(app: Sphinx, config: Config) -> None:
    if not config.edition_epoch:
        config.edition_epoch = edition_epoch(Path(app.confdir))
    file = Path(app.doctreedir, EPOCH_FILE)
    if not file.is_file() or file.read_text("utf-8") != str(config.edition_epoch):
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(str(config.edition_epoch), "utf-8")
    # The format is ours (Babel's long date): the library needs only a non-None value.
    if config.html_last_updated_fmt is None:
        config.html_last_updated_fmt = ""
    if "git_last_updated_metatags" in config:
        config.git_last_updated_metatags = False  # <meta property> is RDFa, not in our pages' HTML
    # A shallow clone knows no commit for the pages changed before it starts: they get
    # the edition's date (see last_updated), not a warning failing the strict build.
    if git(Path(app.confdir), "rev-parse", "--is-shallow-repository") == "true":
        config.suppress_warnings = [*config.suppress_warnings, "git.too_shallow"]


def note_catalog(app: Sphinx, docname: str, source: list[str]) -> None:
    """A translated page changes with its catalog: its date and rebuilds follow it."""
    if docname not in app.env.found_docs or is_source_build(app.config):
        return  # an included file, not a page; or no translation
    if po := page_catalog(app.env, docname):
        app.env.note_dependency(po)


def last_updated(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                 doctree: Any) -> None:
    """The page's own date, in the page's language. A handler, after
    sphinx-last-updated-by-git's, which sets the same field."""
    env = app.env
    if not getattr(app.builder, "dates_each_page", True) or pagename not in env.found_docs:
        return  # the single page is the whole edition: its date is the edition's
    if hasattr(env, "git_last_updated"):
        recorded = env.git_last_updated.get(pagename)
        # No commit of its own in reach (not committed yet, a shallow clone): the edition's date.
        epoch = int(recorded[0]) if recorded and recorded[0] is not None else app.config.edition_epoch
    else:  # outside git: the newest of the page's source and its content dependencies
        content = [Path(app.confdir).resolve() / name for name in CONTENT]
        # Not the compiled catalogs, which a translated page depends on all of (newest_mtime would skip them).
        paths = [Path(env.doc2path(pagename)).resolve(), *(Path(env.srcdir, dep).resolve()
                 for dep in env.dependencies.get(pagename, ()) if not os.fspath(dep).endswith(BUILT_SUFFIXES))]
        # Only content: not the build's own files (the downloads page's manifest, say).
        epoch = newest_mtime(p for p in paths if p.exists() and any(p.is_relative_to(c) for c in content))
    if epoch is not None:
        context["last_updated"] = format_date_value(utc_date(epoch), app.config.language or "en")


def setup_dating(app: Sphinx) -> None:
    # 0: from SOURCE_DATE_EPOCH or the content.
    app.add_config_value("edition_epoch", 0, "", types=frozenset({int}))
    # Outside git the library could only warn (and a strict build fails on warnings).
    if git(Path(app.confdir), "rev-parse", "--is-inside-work-tree") == "true":
        app.setup_extension("sphinx_last_updated_by_git")
    app.connect("config-inited", set_edition_epoch, priority=400)
    app.connect("source-read", note_catalog)
    app.connect("html-page-context", last_updated, priority=600)
