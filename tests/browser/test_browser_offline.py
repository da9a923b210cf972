"""The watch behind the browser tests sees what they forbid.

(Every page from the file system alone, with zero network requests and zero
errors: tests/offline/test_from_disk.py.)"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_recorder_sees_network_requests_and_errors(tab) -> None:
    """The watch catches what the test above forbids (so that test can fail)."""
    tab.watch.clear()
    # Until the page has thrown and asked for the image (the watch hears each first).
    with tab.page.expect_event("pageerror"), tab.page.expect_request("http://127.0.0.1:9/**"):
        tab.page.set_content(
            "<script>console.error('boom'); setTimeout(() => { throw new Error('uncaught boom'); });</script>"
            "<img src='http://127.0.0.1:9/pixel.png' alt=''>"
        )
    assert any(url.startswith("http://127.0.0.1:9/") for url in tab.watch.remote()), tab.watch.requests
    assert any("boom" in error and error.startswith("console.error") for error in tab.watch.errors)
    assert any("uncaught boom" in error for error in tab.watch.errors), tab.watch.errors
    tab.watch.clear()
