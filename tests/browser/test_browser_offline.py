"""Every page works from the file system alone: nothing is requested from
anywhere but file://, and nothing goes wrong in the console."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


def test_pages_load_only_local_files_without_errors(html_dir: Path, html_pages: list[Path], tab) -> None:
    problems: list[str] = []
    visits = [(page, "") for page in html_pages] + [(html_dir / "search.html", "?q=Colossus")]
    for page, query in visits:
        name = page.relative_to(html_dir).as_posix() + query
        tab.open(page, query)
        if query:  # the search runs after load: wait for it and for what it loads
            tab.page.locator("#search-results .search-summary").wait_for(timeout=15_000)
        tab.page.wait_for_load_state("networkidle")
        requests = list(tab.recorder.requests)
        assert requests and requests[0].startswith("file://"), f"{name}: the page itself was not requested"
        assert any("/_static/" in url for url in requests), f"{name}: no static file was loaded: {requests}"
        problems += [f"{name}: requested {url}" for url in requests if not url.startswith("file://")]
        problems += [f"{name}: {error}" for error in tab.recorder.errors]
    assert not problems, "pages that reach the network or report errors:\n  " + "\n  ".join(problems)


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
