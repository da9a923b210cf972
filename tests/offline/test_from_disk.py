"""Points 1 and 2: every page from file://, with no network, under a strict CSP;
issue 26: and no page makes Chromium look up a host.

A Content-Security-Policy blocks a frame's or a form's request, but not the DNS
lookup and preconnect that come first; and a request the policy blocks never
reaches Playwright's request log. Chromium's own network log (--log-net-log)
shows every lookup, each with the key of the page that caused it: the pages'
keys start with file://, the browser's own background lookups (its updater,
its accounts) have others. A control page with a frame to another host shows
that the check sees such a lookup.

One walk over every page (`walk`) serves both checks: in a Chromium launched with
that log, as the worker's shared browser cannot be (the log is a launch option),
and in a child process (Playwright's sync API refuses to start in a process that
drives a browser already).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import TESTS
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# Every page loaded afresh into one tab, as the shared browser's tests load them (the
# same context options, watch and settle), then the search page with a query (its
# results load the index and the snippets), then the control page.
WALK = """
import json, sys
sys.path.insert(0, sys.argv[1])
from helpers import CHROMIUM, CHROMIUM_ARGS, DESKTOP, NOT_LOCAL, WATCH_CSP, Watch, settle
from playwright.sync_api import sync_playwright
log, search, control, pages = sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
problems, seen = {}, 0
with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, f"--log-net-log={log}"])
    context = browser.new_context(viewport=DESKTOP)
    context.add_init_script(WATCH_CSP)
    context.route(NOT_LOCAL, lambda route: route.abort("blockedbyclient"))
    page, watch = context.new_page(), Watch()
    watch.attach(page)
    for url in pages:
        watch.clear()
        page.goto(url, wait_until="load")
        settle(page)  # deferred scripts, images, fonts: whatever the page does by itself
        seen += len(watch.requests)
        if found := watch.problems(page):
            problems[url] = found
    watch.clear()
    page.goto(search, wait_until="load")
    page.locator("#search-results .search-summary").wait_for()
    page.wait_for_load_state("networkidle")
    if found := watch.problems(page):
        problems[search] = found
    page.goto(control, wait_until="load")
    settle(page)
    browser.close()
print(json.dumps({"problems": problems, "seen": seen}))
"""


@dataclass(frozen=True)
class Walk:
    problems: dict[str, list[str]]  # what each page did that a page from disk must not (helpers.Watch)
    requests: int  # made by the pages, the search and the control left out
    hosts: dict[str, str]  # each host a page made Chromium resolve, with the page's network key


@pytest.fixture(scope="module")
def walk(html_dir: Path, html_pages: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Walk:
    work = tmp_path_factory.mktemp("walk")
    control, log = work / "control.html", work / "netlog.json"
    control.write_text('<!doctype html><meta http-equiv="Content-Security-Policy" content="default-src '
                       "'self'\"><title>x</title><iframe src=\"https://lookup.example.invalid/\"></iframe>",
                       encoding="utf-8")
    run = subprocess.run([sys.executable, "-c", WALK, str(TESTS), str(log),
                          (html_dir / "search.html").as_uri() + "?q=Colossus", control.as_uri(),
                          *(page.as_uri() for page in html_pages)],
                         check=False, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]  # a page that never settled, say: Playwright's error
    walked = json.loads(run.stdout)
    netlog = json.loads(log.read_text(encoding="utf-8"))
    names = {number: name for name, number in netlog["constants"]["logEventTypes"].items()}
    hosts = {}
    for event in netlog["events"]:
        params = event.get("params", {})
        if names.get(event["type"], "").startswith("HOST_RESOLVER_MANAGER") and "host" in params:
            key = str(params.get("network_anonymization_key", ""))
            if key.startswith("file:"):
                hosts[params["host"]] = key
    return Walk({url.removeprefix(html_dir.as_uri() + "/"): found for url, found in walked["problems"].items()},
                walked["seen"], hosts)


def policy_of(soup: BeautifulSoup) -> dict[str, list[str]]:
    meta = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert meta is not None, "no Content-Security-Policy meta tag"
    directives = [d.split() for d in meta["content"].split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


def sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_every_page_opens_from_disk_with_zero_network_and_zero_errors(html_pages: list[Path], walk: Walk) -> None:
    # The article, the glossary, the single page: a short list would hide a bug.
    assert len(html_pages) >= 12 and any(p.parent.name == "single" for p in html_pages)
    assert not walk.problems
    # Requests were recorded (stylesheets, scripts): the log is not empty by accident.
    assert walk.requests >= len(html_pages) * 5


def test_no_page_makes_chromium_look_up_a_host(walk: Walk) -> None:
    found = dict(walk.hosts)
    assert "https://lookup.example.invalid" in found, "the network log no longer shows pages' lookups"
    del found["https://lookup.example.invalid"]
    assert found == {}


def test_every_page_has_a_strict_policy_before_any_script_or_style(
        html_dir: Path, html_pages: list[Path]) -> None:
    for path in html_pages:
        source = path.read_text(encoding="utf-8")
        soup = BeautifulSoup(source, "html.parser")
        policy = policy_of(soup)
        where = path.relative_to(html_dir)
        assert policy["default-src"] == ["'none'"], where
        every = " ".join(s for sources in policy.values() for s in sources)
        assert "unsafe-eval" not in every and "'unsafe-inline'" not in every, where
        assert not re.search(r"https?:|\*", every), f"{where}: a remote source is allowed"
        assert source.find("Content-Security-Policy") < min(
            i for i in (source.find("<script"), source.find("<style")) if i >= 0), where
        # Each inline block on the page is allowed by its own hash, nothing else.
        for script in soup.find_all("script", src=False):
            assert sha(script.string or "") in policy["script-src"], f"{where}: inline script not hashed"
        for style in soup.find_all("style"):
            assert sha(style.string or "") in policy["style-src"], f"{where}: inline style not hashed"
        for tag in soup.find_all(style=True):
            assert sha(html.unescape(tag["style"])) in policy["style-src"], f"{where}: style attribute not hashed"


def test_the_policy_is_enforced_from_disk(html_dir: Path, open_page) -> None:
    """An inline script the page did not ship is refused and reported."""
    page, watch = open_page(html_dir / "index.html")
    page.evaluate("""() => { const s = document.createElement("script");
                             s.textContent = "window.__injected = true"; document.body.append(s); }""")
    # Refused: the policy reports it (the report comes as an event, after the insertion).
    page.wait_for_function("() => window.__cspViolations.some(v => v.includes('script-src'))")
    assert page.evaluate("window.__injected === undefined")
    assert any("script-src" in v for v in watch.csp(page))


def test_search_works_from_disk_under_the_policy(editions, open_page) -> None:
    for edition in editions:
        page, watch = open_page(edition.html_dir / "search.html")
        page.goto((edition.html_dir / "search.html").as_uri() + "?q=Colossus")
        page.wait_for_selector("#search-results ul.search li")
        titles = page.locator("#search-results ul.search li a").all_inner_texts()
        assert any("Colossus" in t for t in titles), titles
        assert not watch.problems(page)


def test_theme_toggle_works_under_the_policy(html_dir: Path, open_page) -> None:
    page, watch = open_page(html_dir / "glossary.html")
    before = page.evaluate("document.body.dataset.theme")
    assert before == "auto"  # set by furo's inline script: it ran, so its hash matched
    page.locator(".theme-toggle:visible").first.click()
    after = page.evaluate("document.body.dataset.theme")
    assert after != before
    page.reload()
    assert page.evaluate("document.body.dataset.theme") == after  # kept in localStorage
    assert not watch.problems(page)


def test_copy_button_works_under_the_policy(html_dir: Path, open_page) -> None:
    page, watch = open_page(html_dir / "downloads.html")
    block = page.locator("div.highlight").first
    block.hover()
    button = block.locator("button.copybtn")
    button.click()
    page.wait_for_function("document.querySelector('button.copybtn').classList.contains('success')")
    assert not watch.problems(page)


def test_hide_search_matches_works_under_the_policy(html_dir: Path, open_page) -> None:
    """A page opened from a search result highlights the words; Sphinx's link to
    hide them (a javascript: URL, which the policy refuses) still hides them."""
    page, watch = open_page(html_dir / "article" / "colossus.html")
    page.goto((html_dir / "article" / "colossus.html").as_uri() + "?highlight=memphis")
    page.wait_for_selector("span.highlighted")
    link = page.get_by_role("link", name=re.compile("hide search matches", re.IGNORECASE))
    link.click()
    expect(page.locator("span.highlighted")).to_have_count(0)  # (evaluating JS: refused by the policy)
    expect(link).to_have_count(0)  # the link goes with the highlights
    assert not watch.problems(page), watch.problems(page)
