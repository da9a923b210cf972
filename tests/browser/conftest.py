"""A tab in the worker's Chromium (tests/conftest.py), kept for the whole
session: light, with furo's stored choice of theme and the OS preference
(helpers.axe_every_page turns it dark, page by page). Pages are opened from file:// URLs.

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

