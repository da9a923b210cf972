"""Two tabs in the worker's Chromium (tests/conftest.py), kept for the whole
session: light and dark, each with furo's stored choice of theme and the OS
preference. Pages are opened from file:// URLs.

No `playwright install`: the browser is the system one. When it is missing
the tests fail, they do not skip.
"""

from __future__ import annotations

import pytest
from helpers import DESKTOP, Browsing, Tab


@pytest.fixture(scope="session")
def tab(browsing: Browsing) -> Tab:
    """Light mode; axe-core in every page (the pages' policy would refuse it injected:
    the policy itself is checked, page by page, in tests/offline)."""
    return browsing.new_tab(theme="light", axe=True, keep=True, color_scheme="light", viewport=DESKTOP)


@pytest.fixture(scope="session")
def dark_tab(browsing: Browsing) -> Tab:
    """Dark twice over: the OS preference and furo's stored choice."""
    return browsing.new_tab(theme="dark", axe=True, keep=True, color_scheme="dark", viewport=DESKTOP)
