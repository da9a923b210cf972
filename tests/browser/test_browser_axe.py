"""axe-core finds no accessibility violation on any page, in light mode and in
dark mode (dark twice over: the OS preference and furo's stored choice), with
its default rules (WCAG 2.x A and AA, and best practices).

Every page of both editions, the single pages included, at a desktop width,
with every `<details>` (the numbers under each chart) open, as a reader who
opens them sees them. Each page is loaded once and checked in both modes
(helpers.axe_every_page); the two tests read the one report.
(The charts at a phone's width: tests/charts/test_chart_layout.py.)

No rule is disabled: a violation is fixed in the page (docs/_templates,
docs/_static) or in the content, never silenced here."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import Tab, axe_every_page, run_axe

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def axe_report(html_dir: Path, html_pages: list[Path], tab: Tab) -> dict[str, list[str]]:
    """Every page's violations, by mode."""
    return axe_every_page(tab, html_dir, html_pages)


def test_no_axe_violation_in_light_mode(axe_report: dict[str, list[str]]) -> None:
    assert not axe_report["light"], "axe-core violations in light mode:\n" + "\n".join(axe_report["light"])


def test_no_axe_violation_in_dark_mode(axe_report: dict[str, list[str]]) -> None:
    assert not axe_report["dark"], "axe-core violations in dark mode:\n" + "\n".join(axe_report["dark"])


def test_axe_reports_violations(tab) -> None:
    """axe, as run here, does see violations (so the tests of every page can fail)."""
    tab.page.set_content('<html><body><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
                         '<p style="color:#777;background:#888">low contrast</p></body></html>')
    found = {violation["id"] for violation in run_axe(tab.page)["violations"]}
    assert {"image-alt", "color-contrast", "html-has-lang"} <= found, found
