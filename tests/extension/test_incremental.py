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


def build(make_app, srcdir: Path, **kwargs):
    """One build; cleaned up so that the next app in the test starts fresh."""
    app = make_app("html", srcdir=srcdir, **kwargs)
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
