"""No page types a figure by hand: every number in the prose comes from the
figures data through {fig}, {derived} (or another role), never as digits.

The checker masks what is not prose (roles, inline code, code fences, link
targets, labels, directive names, arguments and options, and the content of
directives that are not prose, such as a toctree), keeping line numbers, and
reports every line on which a digit is left."""

from __future__ import annotations

import re

import pytest
from helpers import ROOT

SOURCE = ROOT / "docs" / "source"

# Directives whose content is data, code or document names, not prose.
NOT_PROSE = {
    "toctree", "figure-glossary", "our-arithmetic", "code", "code-block", "sourcecode",
    "code-cell", "literalinclude", "include", "math", "raw", "eval-rst", "image", "mermaid",
    "graphviz", "csv-table", "list-table",
}
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,}|:{3,})\s*(?P<info>.*)$")
DIRECTIVE = re.compile(r"^\{(?P<name>[\w:.+-]+)\}")
OPTION = re.compile(r"^\s*:[\w-]+:(\s.*)?$")
LABEL = re.compile(r"^\s*\([^()\n]+\)=\s*$")
COMMENT = re.compile(r"^\s*%")
LINK_DEFINITION = re.compile(r"^\s*\[[^\]\n]+\]:\s*\S+.*$")
# Inline syntax, applied to the prose that is left (it may span lines).
ROLE = re.compile(r"\{[\w:.+-]+\}(`+)(?:(?!\1).)+?\1", re.DOTALL)
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)
LINK_TARGET = re.compile(r"\]\([^()\s]*(?:\s+\"[^\"]*\")?\)")
AUTOLINK = re.compile(r"<(?:[a-zA-Z][\w+.-]*:|#)[^<>\s]*>")
ATTRIBUTES = re.compile(r"\{#[\w-]+\}|\{\.[\w-]+\}")
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def _blank(match: re.Match[str]) -> str:
    """Replace a match by its newlines only, so that line numbers hold."""
    return "\n" * match.group(0).count("\n")


def prose_of(text: str) -> str:
    """*text* with everything that is not prose blanked out, line for line."""
    lines = text.split("\n")
    kept: list[str] = []
    # Open fences: (character, length, is the content prose?)
    stack: list[tuple[str, int, bool]] = []
    # After a directive's opening line: "options" (":key: value" lines may
    # follow), "yaml" (inside a "---" block of options), or "" (content).
    options = ""
    front_matter = bool(lines) and lines[0].strip() == "---"
    for number, line in enumerate(lines):
        if front_matter:
            kept.append("")
            if number > 0 and line.strip() == "---":
                front_matter = False
            continue
        match = FENCE.match(line)
        if match:
            fence, info = match["fence"], match["info"].strip()
            if stack and fence[0] == stack[-1][0] and len(fence) >= stack[-1][1] and not info:
                stack.pop()  # closes the innermost fence
                kept.append("")
                options = ""
                continue
            if not stack or stack[-1][2]:
                directive = DIRECTIVE.match(info)
                # A plain ``` fence is code; a directive is prose unless listed.
                prose = bool(directive) and directive["name"] not in NOT_PROSE
                if fence[0] == ":" and not directive:
                    prose = True  # a ::: block without a directive name
                stack.append((fence[0], len(fence), prose))
                # A prose directive's argument is a title, and prose too.
                kept.append(info[directive.end():] if prose and directive else "")
                options = "options"
                continue
        if stack and not stack[-1][2]:
            kept.append("")
            continue
        if options == "yaml":
            kept.append("")
            if line.strip() == "---":
                options = ""
            continue
        if options == "options":
            if OPTION.match(line):
                kept.append("")
                continue
            if line.strip() == "---":
                kept.append("")
                options = "yaml"
                continue
            options = ""
        if LABEL.match(line) or COMMENT.match(line) or LINK_DEFINITION.match(line):
            kept.append("")
            continue
        kept.append(line)
    prose = "\n".join(kept)
    for pattern in (HTML_COMMENT, ROLE, INLINE_CODE, LINK_TARGET, AUTOLINK, ATTRIBUTES):
        prose = pattern.sub(_blank, prose)
    return prose


def handtyped_figures(text: str) -> list[tuple[int, str]]:
    """(line number, line) for each line of *text* whose prose holds a digit."""
    original = text.split("\n")
    return [(number, original[number - 1].strip())
            for number, line in enumerate(prose_of(text).split("\n"), start=1)
            if re.search(r"\d", line)]


@pytest.mark.parametrize("text", [
    "Colossus draws 300 MW of power.",
    "It cost $7 billion.",
    "Built in {fig}`colossus-build-time`, it draws 300\u00a0MW.",
    "A list:\n\n- first 1,000,000 GPUs\n",
    ":::{note}\nThe note says 30 turbines.\n:::\n",
    "```{admonition} Power\n:class: tip\n\nIt draws 1.55 GW.\n```\n",
    "```{admonition} Power in 2025\n:class: tip\n\nNo figure here.\n```\n",
    ":::{dropdown} More\n---\nopen: true\n---\nIt draws 1.55 GW.\n:::\n",
    "See [the 2025 post](https://example.org/2025).",
    "Dated August ٢٢ (Arabic-Indic digits).",
])
def test_checker_catches_a_handtyped_figure(text: str) -> None:
    assert handtyped_figures(text), f"the checker missed the figure in {text!r}"


def test_checker_reports_the_line() -> None:
    page = "# Title\n\nFirst {fig}`colossus-power`.\n\nThen it draws 300 MW.\n"
    assert handtyped_figures(page) == [(5, "Then it draws 300 MW.")]


@pytest.mark.parametrize("text", [
    "Colossus draws {fig}`colossus-power`, or {derived}`power-per-home` a home.",
    "{name}`Colossus 2 <colossus-2>` and {name}`h100`, with {doc}`part 2 <article/part2>`.",
    "Multi-line {name}`Elon\nMusk 2 <elon-musk>` role.",
    "Inline code `x = 42` and ``a `b` 3``.",
    "```python\nprint(42)\n```\n",
    "````{note}\n```\nnested 42\n```\nno digits here\n````\n",
    "```{toctree}\n:maxdepth: 2\n\narticle/part1\n```\n",
    "```{our-arithmetic}\ncolossus-2-ratio\n```\n",
    ":::{figure-glossary} figures\n:::\n",
    "(section-2)=\n# A title\n",
    "See [the post](https://example.org/2025/08/22) and <https://example.org/1>.",
    "[ref]: https://example.org/2025\n",
    "% a comment with 2025\n",
    "## Heading {#part-2}\n",
    "---\nmyst:\n  html_meta:\n    version: 2\n---\n# Title\n",
])
def test_checker_ignores_what_is_not_prose(text: str) -> None:
    assert handtyped_figures(text) == []


def test_no_page_types_a_figure_by_hand() -> None:
    pages = sorted(SOURCE.rglob("*.md"))
    assert len(pages) > 3, f"no pages found in {SOURCE}"
    found = [f"{page.relative_to(ROOT).as_posix()}:{number}: {line}"
             for page in pages
             for number, line in handtyped_figures(page.read_text(encoding="utf-8"))]
    assert not found, ("figures typed by hand (write {fig}`id` or {derived}`id` and put the value in "
                       "docs/data/figures.toml):\n  " + "\n  ".join(found))
