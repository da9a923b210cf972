"""The bare project's stand-in for macrohard_docs (see BARE_CONF): our roles and directives
by name, each printing its own text, so that plain Sphinx reads, translates and writes the
same pages. What the site shows and the stub does not is the work the benchmark measures."""

from __future__ import annotations

import re

from docutils import nodes
from docutils.parsers.rst import Directive

TITLED = re.compile(r"^(.+?)\s*<[^<>]+>$", re.S)  # {name}`Elon Musk <elon-musk>` shows its title
# Ours, as the pages use them (tests/test_bench.py fails on a new one until it is named here).
ROLES = ("fig", "derived", "name")
DIRECTIVES = ("figure-glossary", "our-arithmetic", "implications", "figure-chart", "figure-downloads",
              "offline-downloads", "offline-unpack", "cite-this", "corrections-log", "report-errors")


def text_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    return [nodes.inline(rawtext, TITLED.sub(r"\1", text))], []


class TextDirective(Directive):
    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True

    def run(self) -> list[nodes.Node]:
        words = " ".join([*self.arguments, *self.content]).strip()
        return [nodes.paragraph(words, words)] if words else []


def setup(app):
    for name in ROLES:
        app.add_role(name, text_role)
    for name in DIRECTIVES:
        app.add_directive(name, TextDirective)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
