"""Issue 26: every page, opened from disk, makes Chromium look up no host at all.

A Content-Security-Policy blocks a frame's or a form's request, but not the DNS
lookup and preconnect that come first; and a request the policy blocks never
reaches Playwright's request log. Chromium's own network log (--log-net-log)
shows every lookup, each with the key of the page that caused it: the pages'
keys start with file://, the browser's own background lookups (its updater,
its accounts) have others. A control page with a frame to another host shows
that the check sees such a lookup.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

# Run in a child process: Playwright's sync API refuses to start in a process that drives a
# browser already (the session's shared one), and the network log is a launch option.
OPEN_EVERY_PAGE = """
import json, sys
from playwright.sync_api import sync_playwright
chromium, log, args, pages = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4:]
with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path=chromium, args=[*args, f"--log-net-log={log}"])
    page = browser.new_page()
    for path in pages:
        page.goto(path, wait_until="load")
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => setTimeout(done)))")
    browser.close()
"""


def hosts_looked_up_by_pages(pages: list[Path], log: Path) -> dict[str, str]:
    """Each host a page made Chromium resolve, with the page's network key."""
    subprocess.run([sys.executable, "-c", OPEN_EVERY_PAGE, str(CHROMIUM), str(log), json.dumps(CHROMIUM_ARGS),
                    *(page.as_uri() for page in pages)], check=True, capture_output=True, timeout=600)
    netlog = json.loads(log.read_text(encoding="utf-8"))
    names = {number: name for name, number in netlog["constants"]["logEventTypes"].items()}
    found = {}
    for event in netlog["events"]:
        params = event.get("params", {})
        if names.get(event["type"], "").startswith("HOST_RESOLVER_MANAGER") and "host" in params:
            key = str(params.get("network_anonymization_key", ""))
            if key.startswith("file:"):
                found[params["host"]] = key
    return found


def test_no_page_makes_chromium_look_up_a_host(html_pages: list[Path], tmp_path: Path) -> None:
    control = tmp_path / "control.html"
    control.write_text('<!doctype html><meta http-equiv="Content-Security-Policy" content="default-src '
                       "'self'\"><title>x</title><iframe src=\"https://lookup.example.invalid/\"></iframe>",
                       encoding="utf-8")
    found = hosts_looked_up_by_pages([*html_pages, control], tmp_path / "netlog.json")
    assert "https://lookup.example.invalid" in found, "the network log no longer shows pages' lookups"
    del found["https://lookup.example.invalid"]
    assert found == {}
