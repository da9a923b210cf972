"""axe-core finds no accessibility violation on any page, in light mode (dark
mode: test_browser_axe_dark.py, a file of its own so that the two run side by
side), with its default rules (WCAG 2.x A and AA, and best practices).

Every page of both editions, the single pages included, at a desktop width,
with every `<details>` (the numbers under each chart) open, as a reader who
opens them sees them. (The charts at a phone's width: tests/charts/test_chart_layout.py.)

No rule is disabled: a violation is fixed in the page (docs/_templates,
docs/_static) or in the content, never silenced here."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import axe_every_page, run_axe

pytestmark = pytest.mark.browser


def test_no_axe_violation_in_light_mode(html_dir: Path, html_pages: list[Path], tab) -> None:
    report = axe_every_page(tab, html_dir, html_pages, "light")
    assert not report, "axe-core violations in light mode:\n" + "\n".join(report)


def test_axe_reports_violations(tab) -> None:
    """axe, as run here, does see violations (so the tests of every page can fail)."""
    tab.page.set_content('<html><body><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
                         '<p style="color:#777;background:#888">low contrast</p></body></html>')
    found = {violation["id"] for violation in run_axe(tab.page)["violations"]}
    assert {"image-alt", "color-contrast", "html-has-lang"} <= found, found
