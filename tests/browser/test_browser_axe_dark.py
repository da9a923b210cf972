"""axe-core finds no accessibility violation on any page in dark mode: dark
twice over, the OS preference and furo's stored choice. (Light mode, and what
is checked on each page: test_browser_axe.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import axe_every_page

pytestmark = pytest.mark.browser


def test_no_axe_violation_in_dark_mode(html_dir: Path, html_pages: list[Path], dark_tab) -> None:
    assert dark_tab.page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    report = axe_every_page(dark_tab, html_dir, html_pages, "dark")
    assert not report, "axe-core violations in dark mode:\n" + "\n".join(report)
