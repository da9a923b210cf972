"""The recorder behind the browser tests sees what they forbid.

(Every page from the file system alone, with zero network requests and zero
errors: tests/offline/test_from_disk.py.)"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_recorder_sees_network_requests_and_errors(tab) -> None:
    """The recorder catches what the test above forbids (so that test can fail)."""
    tab.recorder.clear()
    tab.page.set_content(
        "<script>console.error('boom'); setTimeout(() => { throw new Error('uncaught boom'); });</script>"
        "<img src='http://127.0.0.1:9/pixel.png' alt=''>"
    )
    tab.page.wait_for_timeout(300)
    assert any(url.startswith("http://127.0.0.1:9/") for url in tab.recorder.requests), tab.recorder.requests
    assert any("boom" in error and error.startswith("console.error") for error in tab.recorder.errors)
    assert any("uncaught boom" in error for error in tab.recorder.errors), tab.recorder.errors
    tab.recorder.clear()
