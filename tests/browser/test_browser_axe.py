"""axe-core finds no accessibility violation on any page, in light and in dark
mode, with its default rules (WCAG 2.x A and AA, and best practices).

No rule is disabled: a violation is fixed in the page (docs/_templates,
docs/_static) or in the content, never silenced here."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

RUN_AXE = """async () => {
  const results = await axe.run(document);
  return {
    passes: results.passes.length,
    violations: results.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html, summary: n.failureSummary})),
    })),
  };
}"""
# Relative luminance of the body's background (0 = black, 1 = white).
BACKGROUND_LUMINANCE = """() => {
  const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/[\\d.]+/g).map(Number);
  const lin = c => (c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}"""


def run_axe(tab, axe_source: str) -> dict:
    tab.page.add_script_tag(content=axe_source)
    return tab.page.evaluate(RUN_AXE)


def describe(page: str, violations: list[dict]) -> list[str]:
    lines = []
    for violation in violations:
        lines.append(f"{page}: {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    at {node['target']}: {node['html'][:200]}")
            lines.append("       " + (node["summary"] or "").replace("\n", "\n       "))
    return lines


def check_every_page(html_dir: Path, pages: list[Path], tab, axe_source: str, theme: str) -> None:
    report: list[str] = []
    for page in pages:
        name = page.relative_to(html_dir).as_posix()
        tab.open(page)
        # furo copies localStorage "theme" (set by the context) to body[data-theme].
        applied = tab.page.evaluate("document.body.dataset.theme")
        assert applied == theme, f"{name}: furo applied theme {applied!r}, not {theme!r}"
        luminance = tab.page.evaluate(BACKGROUND_LUMINANCE)
        assert (luminance < 0.2) if theme == "dark" else (luminance > 0.8), (
            f"{name}: background luminance {luminance:.2f} does not look {theme}")
        results = run_axe(tab, axe_source)
        assert results["passes"] > 10, f"{name}: axe checked almost nothing ({results['passes']} rules passed)"
        report += describe(name, results["violations"])
    assert not report, f"axe-core violations in {theme} mode:\n" + "\n".join(report)


def test_no_axe_violation_in_light_mode(html_dir: Path, html_pages: list[Path], tab, axe_source: str) -> None:
    check_every_page(html_dir, html_pages, tab, axe_source, "light")


def test_no_axe_violation_in_dark_mode(html_dir: Path, html_pages: list[Path], dark_tab,
                                       axe_source: str) -> None:
    assert dark_tab.page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    check_every_page(html_dir, html_pages, dark_tab, axe_source, "dark")


def test_axe_reports_violations(tab, axe_source: str) -> None:
    """axe, as run here, does see violations (so the tests above can fail)."""
    tab.page.set_content('<html><body><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
                         '<p style="color:#777;background:#888">low contrast</p></body></html>')
    found = {violation["id"] for violation in run_axe(tab, axe_source)["violations"]}
    assert {"image-alt", "color-contrast", "html-has-lang"} <= found, found
