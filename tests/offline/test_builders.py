"""Output work is done by our builders, through Sphinx's API for them (issue 25, item 1):
the pages' policy by the HTML builders' template bridge, not by a patch of it;
the e-book's package files from Sphinx's templates with one element more."""

from __future__ import annotations

import re
import shutil
import zlib
from pathlib import Path

import sphinx
from helpers import ROOTS

from macrohard_docs import PACKAGE
from macrohard_docs.site.book import BookSingleFileHTMLBuilder
from macrohard_docs.site.csp import PolicyHTMLBuilder, PolicyTemplates

POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; [^"]+">')


def test_each_page_gets_its_policy_from_the_builder_not_a_patch(make_app, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOTS / "test-figures", project)
    for name, builder_class, page in (("html", PolicyHTMLBuilder, "index.html"),
                                      ("singlehtml", BookSingleFileHTMLBuilder, "index.html")):
        app = make_app(name, srcdir=project, builddir=tmp_path / name, freshenv=True)
        app.build()
        assert isinstance(app.builder, builder_class)
        assert type(app.builder.templates) is PolicyTemplates
        # Nothing assigned over the bridge's own methods at run time.
        assert "render" not in vars(app.builder.templates)
        assert len(POLICY.findall((app.outdir / page).read_text(encoding="utf-8"))) == 1
        app.cleanup()


def test_the_translations_run_under_the_policy_and_are_linked_as_served(fr_html_dir: Path) -> None:
    """Sphinx's catalog with its plural rule as code (the policy forbids eval), and
    the pages' ?v= is the checksum of that file, so a browser never keeps a stale copy."""
    served = (fr_html_dir / "_static" / "translations.js").read_bytes()
    assert b"Documentation.PLURAL_EXPR = (n) =>" in served and b"plural_expr" not in served
    page = (fr_html_dir / "about.html").read_text(encoding="utf-8")
    linked = re.search(r'src="_static/translations\.js\?v=([0-9a-f]{8})"', page)
    checksum = zlib.crc32(served.translate(None, b"\r"))  # as Sphinx computes it
    assert linked and linked.group(1) == f"{checksum:08x}"


def test_the_epub_templates_are_sphinxs_plus_the_source_and_item_properties() -> None:
    """The package files' templates are Sphinx's own (held to them here on every
    Sphinx upgrade), content.opf's with <dc:source> and a manifest item's properties."""
    ours = PACKAGE / "templates" / "epub3"
    theirs = Path(sphinx.__file__).parent / "templates" / "epub3"
    assert sorted(p.name for p in ours.iterdir()) == sorted(p.name for p in theirs.iterdir())
    for template in theirs.iterdir():
        mine = (ours / template.name).read_text(encoding="utf-8")
        if template.name != "content.opf.jinja":
            assert mine == template.read_text(encoding="utf-8"), template.name
            continue
        expected = template.read_text(encoding="utf-8").replace(
            "    <dc:description>",
            "    {%- if source %}\n    <dc:source>{{ source }}</dc:source>\n    {%- endif %}\n"
            "    <dc:description>", 1).replace(
            'media-type="{{ item.media_type }}" />',
            'media-type="{{ item.media_type }}"{% if item.href in item_properties %} '
            'properties="{{ item_properties[item.href] }}"{% endif %} />', 1)
        assert mine == expected


def test_a_content_document_s_properties_reach_the_manifest() -> None:
    """What a builder puts in content_metadata()'s item_properties (inline SVG: "svg")
    is declared on that document's manifest item, and nothing on the others."""
    from types import SimpleNamespace as Item

    from sphinx.util.template import SphinxRenderer

    template = (PACKAGE / "templates" / "epub3" / "content.opf.jinja").read_text(encoding="utf-8")
    items = [Item(href="chart.xhtml", id="epub-0", media_type="application/xhtml+xml"),
             Item(href="text.xhtml", id="epub-1", media_type="application/xhtml+xml")]
    opf = SphinxRenderer().render_string(template, {"manifest_items": items, "spines": [], "guides": [],
                                                     "item_properties": {"chart.xhtml": "svg"}})
    assert '<item id="epub-0" href="chart.xhtml" media-type="application/xhtml+xml" properties="svg" />' in opf
    assert '<item id="epub-1" href="text.xhtml" media-type="application/xhtml+xml" />' in opf


BRANCH_ON_BUILDER = re.compile(r"builder\.(?:name|format)\b")


def test_no_code_asks_which_builder_runs_it() -> None:
    """Work tied to an output is a step of the builder that writes it
    (macrohard_docs.site.pages): the figures layer never tests a builder's name
    or format, and the site layer only where the HTML theme needs it (issue 25's bar)."""
    found = {layer: [f"{path.relative_to(PACKAGE)}:{number}"
                     for path in sorted((PACKAGE / layer).rglob("*.py"))
                     for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                     if BRANCH_ON_BUILDER.search(line)]
             for layer in ("figures", "site")}
    assert found["figures"] == []
    assert len(found["site"]) <= 3, found["site"]
