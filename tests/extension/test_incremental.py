"""Rebuilds after a change give what a clean build gives."""

from __future__ import annotations

import os
import time
from pathlib import Path

from bs4 import BeautifulSoup


def touch_later(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    later = time.time() + 2
    os.utime(path, (later, later))


def text_of(outdir: Path, name: str, selector: str) -> str:
    soup = BeautifulSoup((outdir / name).read_text(encoding="utf-8"), "html.parser")
    return soup.select_one(selector).get_text(" ", strip=True)


def mentioned_in(outdir: Path, anchor: str) -> str:
    soup = BeautifulSoup((outdir / "glossary.html").read_text(encoding="utf-8"), "html.parser")
    entry = soup.find(id=anchor).find_next_sibling("dd")
    return entry.select_one(".mentioned-in").get_text(" ", strip=True)


def build(make_app, srcdir: Path, builder: str = "html", **kwargs):
    """One build; cleaned up so that the next app in the test starts fresh."""
    app = make_app(builder, srcdir=srcdir, **kwargs)
    app.build()
    app.cleanup()
    return app


def html_files(outdir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(outdir)): p.read_bytes() for p in sorted(outdir.rglob("*.html"))}


def test_changed_figure_reaches_every_page(make_app, project: Path, tmp_path: Path) -> None:
    app = build(make_app, project, freshenv=True)
    assert "100,000" in text_of(app.outdir, "article/one.html", "div.body")

    touch_later(project / "figures.toml", "value = 100000", "value = 125000")
    app = build(make_app, project)
    assert app.warning.getvalue() == ""
    assert "125,000\u00a0GPUs" in text_of(app.outdir, "article/one.html", "div.body")
    assert "125,000\u00a0GPUs" in text_of(app.outdir, "glossary.html", "#fig-gpus")
    # The derived figure follows: 1.55 GW / 125,000 = 12.4 kW.
    assert "12.4\u00a0kW" in text_of(app.outdir, "glossary.html", "div.body")

    clean = build(make_app, project, builddir=tmp_path / "clean", freshenv=True)
    assert html_files(app.outdir) == html_files(clean.outdir)


def test_mentions_follow_an_edited_page(make_app, project: Path, tmp_path: Path) -> None:
    app = build(make_app, project, freshenv=True)
    mentioned = mentioned_in(app.outdir, "fig-post")
    assert "One" in mentioned and "Two" in mentioned

    touch_later(project / "article" / "two.md", "posted on {fig}`post`", "posted")
    app = build(make_app, project)
    mentioned = mentioned_in(app.outdir, "fig-post")
    assert "One" in mentioned and "Two" not in mentioned

    clean = build(make_app, project, builddir=tmp_path / "clean", freshenv=True)
    assert html_files(app.outdir) == html_files(clean.outdir)


# --- One environment, several builders ---------------------------------------------
# The build command has a language's builders share one environment (the single
# page first, then the EPUB, then the HTML): the HTML build that follows may
# read nothing, the single page's having read the change already.

def edit_now(path: Path, old: str, new: str) -> None:
    """An edit dated now, not later as touch_later dates it: the builder that
    runs next reads it, and the one after that finds nothing newer to read."""
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    now = time.time()
    os.utime(path, (now, now))  # to the microsecond, whatever the file system rounds to


def test_changed_data_reaches_the_html_pages_after_another_builder_read_it(
        make_app, project: Path, tmp_path: Path) -> None:
    # The pages' sources are older than their HTML files: only the record of
    # what each page was read from tells that they changed (site/pages.py, FreshFolder).
    shared = tmp_path / "shared"
    build(make_app, project, builddir=shared, freshenv=True)
    edit_now(project / "figures.toml", "value = 100000", "value = 125000")
    build(make_app, project, "singlehtml", builddir=shared)  # reads the pages again
    app = build(make_app, project, builddir=shared)  # reads nothing
    assert app.warning.getvalue() == ""
    assert "125,000" in text_of(app.outdir, "article/one.html", "div.body")
    clean = build(make_app, project, builddir=tmp_path / "clean", freshenv=True)
    assert html_files(app.outdir) == html_files(clean.outdir)


def test_a_title_changed_reaches_every_html_page_after_another_builder_read_it(
        make_app, project: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    build(make_app, project, builddir=shared, freshenv=True)
    edit_now(project / "article" / "two.md", "# Two", "# Second part")
    build(make_app, project, "singlehtml", builddir=shared)  # reads the change
    app = build(make_app, project, builddir=shared)  # reads nothing
    # Page one was not rewritten for its own sake, yet its navigation names the new title.
    assert "Second part" in (app.outdir / "article" / "one.html").read_text(encoding="utf-8")
    clean = build(make_app, project, builddir=tmp_path / "clean", freshenv=True)
    assert html_files(app.outdir) == html_files(clean.outdir)


def test_a_page_removed_leaves_no_html_file_after_another_builder_read_it(
        make_app, project: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    app = build(make_app, project, builddir=shared, freshenv=True)
    assert (app.outdir / "article" / "two.html").is_file()
    (project / "article" / "two.md").unlink()
    edit_now(project / "index.md", "article/two\n", "")
    build(make_app, project, "singlehtml", builddir=shared)  # sees the page gone
    app = build(make_app, project, builddir=shared)
    assert not (app.outdir / "article" / "two.html").exists()
    clean = build(make_app, project, builddir=tmp_path / "clean", freshenv=True)
    assert html_files(app.outdir) == html_files(clean.outdir)


def test_an_edited_template_is_compiled_again(make_app, project: Path, tmp_path: Path) -> None:
    # Compiled templates are kept beside the environment (site/pages.py, CompiledTemplates).
    (project / "_templates").mkdir()
    template = project / "_templates" / "page.html"
    template.write_text('{%- extends "!page.html" %}{% block body %}<p>first wording</p>{{ super() }}'
                        '{% endblock %}', encoding="utf-8")
    overrides = {"templates_path": ["_templates"]}
    app = build(make_app, project, builddir=tmp_path / "out", freshenv=True, confoverrides=overrides)
    assert list((app.doctreedir / "templates").iterdir()), "no compiled template was kept"
    assert "first wording" in (app.outdir / "index.html").read_text(encoding="utf-8")
    touch_later(template, "first wording", "second wording")
    app = build(make_app, project, builddir=tmp_path / "out", confoverrides=overrides)
    page = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert "second wording" in page and "first wording" not in page


def test_runs_in_one_process_see_the_same_configuration(make_app, project: Path, tmp_path: Path) -> None:
    # The build command and the tests run many builds in one process: adding our
    # folders to a default list in place made it grow with each run, and every
    # HTML page was rewritten (its configuration looked changed).
    first = build(make_app, project, builddir=tmp_path / "one", freshenv=True)
    second = build(make_app, project, builddir=tmp_path / "two", freshenv=True)
    for name in ("templates_path", "html_static_path"):
        assert second.config[name] == first.config[name], name
        assert len(set(first.config[name])) == len(first.config[name]), name


def test_builds_sharing_a_templates_cache_compile_the_templates_once(
        make_app, project: Path, tmp_path: Path) -> None:
    # publish gives every language one folder of compiled templates (templates_cache).
    overrides = {"templates_cache": str(tmp_path / "templates")}
    build(make_app, project, builddir=tmp_path / "first", freshenv=True, confoverrides=overrides)
    kept = {path.name: path.stat().st_mtime_ns for path in (tmp_path / "templates").iterdir()}
    assert kept, "no compiled template was kept in templates_cache"
    app = build(make_app, project, builddir=tmp_path / "second", freshenv=True, confoverrides=overrides)
    assert not (app.doctreedir / "templates").exists()
    assert {path.name: path.stat().st_mtime_ns for path in (tmp_path / "templates").iterdir()} == kept


def packed(outdir: Path) -> dict[str, bytes]:
    """What the EPUB builder packs (every file in its folder, but its bookkeeping) and its
    package files, as bytes; not the book itself, dated by the build."""
    return {str(p.relative_to(outdir)): p.read_bytes() for p in sorted(outdir.rglob("*"))
            if p.is_file() and p.suffix != ".epub" and not p.name.startswith(".buildinfo")}


def test_the_epub_folder_kept_between_builds_packs_what_a_clean_one_does(
        make_app, project: Path, tmp_path: Path, monkeypatch) -> None:
    # The build keeps the EPUB's folder, so that Sphinx writes only the pages that
    # changed (site/book.py); Sphinx packs every file it finds there.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the book's date
    shared = tmp_path / "shared"
    settings = {"epub_cover": ("_static/cover.svg", "epub-cover.html"), "epub_copyright": "CC BY 4.0", "version": "1"}
    build(make_app, project, "epub", builddir=shared, freshenv=True, confoverrides=settings)
    (project / "article" / "two.md").unlink()
    edit_now(project / "index.md", "article/two\n", "")
    build(make_app, project, "singlehtml", builddir=shared, confoverrides=settings)  # sees the page gone
    settings["epub_description"] = "Changed: Sphinx keeps its last record as .buildinfo.bak."
    app = build(make_app, project, "epub", builddir=shared, confoverrides=settings)
    assert app.warning.getvalue() == ""
    assert not (app.outdir / "article" / "two.xhtml").exists()
    clean = build(make_app, project, "epub", builddir=tmp_path / "clean", freshenv=True, confoverrides=settings)
    assert packed(app.outdir) == packed(clean.outdir)


def test_the_citation_is_read_again_when_the_edition_date_changes_and_only_then(
        make_app, project: Path, tmp_path: Path, monkeypatch) -> None:
    # The citation prints the edition's date (site/citation.py): read again at every
    # builder's run, it made each of the build command's six runs re-read its page.
    (project / "cite.md").write_text("---\norphan: true\n---\n# Cite\n\n```{cite-this}\n```\n", encoding="utf-8")
    shared = tmp_path / "shared"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023
    read_at = build(make_app, project, builddir=shared, freshenv=True).env.all_docs["cite"]
    assert build(make_app, project, "singlehtml", builddir=shared).env.all_docs["cite"] == read_at
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # 2027
    app = build(make_app, project, builddir=shared)
    assert app.env.all_docs["cite"] != read_at
    assert "2027" in text_of(app.outdir, "cite.html", "div.cite-this")
    clean = build(make_app, project, builddir=tmp_path / "clean", freshenv=True)
    assert text_of(app.outdir, "cite.html", "div.cite-this") == text_of(clean.outdir, "cite.html", "div.cite-this")
