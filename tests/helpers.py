"""What the tests share, defined once: paths, the editions as built, the build
command and copies of the project, snapshots, and the browser (Debian's
Chromium through Playwright, with a recorder of what each page did).

A module, not a conftest: test files import what they use
(`from helpers import ROOT, run_build`); the fixtures built on it are in
tests/conftest.py.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
TESTS = ROOT / "tests"
NODE_MODULES = TESTS / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
ROOTS = TESTS / "roots"  # tiny Sphinx projects: test-figures, test-i18n
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z, for the archives' and the PDF's dates
# The Java checkers (epubcheck, the Nu HTML checker) run once per test and
# exit: the quick compiler alone and one GC thread use half the CPU time of
# the defaults, for the same report. The Nu checker's schema needs a deep stack.
JAVA_OPTIONS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss8m"]


# --- The editions, as docs/conf.py declares them ----------------------------------


def _declared_editions() -> list:
    from macrohard_docs.publish.build import editions_of

    return editions_of(DOCS)


EDITIONS = _declared_editions()  # every edition and format the build makes
HTML_EDITIONS = [e for e in EDITIONS if e.builder == "html"]


@dataclass(frozen=True)
class Edition:
    """One language of the HTML site, as built: its folder and its offline files."""

    language: str
    html_dir: Path  # this edition's output folder (html/ or html/fr/)
    path: str  # the same, relative to the root edition's folder ("" or "fr")

    def pages(self) -> list[Path]:
        """Every HTML page of this edition: not those of editions nested below it,
        nor the single page (checked with the other offline formats)."""
        skipped = {"single"} if self.path else {"single"} | {
            e.target.removeprefix("html/") for e in HTML_EDITIONS if e.target != "html"}
        return sorted(page for page in self.html_dir.rglob("*.html")
                      if page.relative_to(self.html_dir).parts[0] not in skipped
                      and not underscored(page.relative_to(self.html_dir)))

    @property
    def manifest_files(self) -> list[Path]:
        """The files of its downloads page: EPUB, PDF, zip."""
        return sorted((self.html_dir / "_editions").iterdir())

    def soup(self, page: str) -> Any:
        """*page* (a path below html_dir) parsed: shared, read only (see page_soup)."""
        return page_soup(self.html_dir / page)


def page_soup(path: Path) -> Any:
    """A built page, parsed once per worker (BeautifulSoup, html.parser).

    Shared by every test that reads it: never change the tree (a test that
    must, parses its own copy: BeautifulSoup(str(tree), "html.parser"))."""
    return _parsed(Path(path).resolve())


@functools.cache
def _parsed(path: Path) -> Any:
    from bs4 import BeautifulSoup

    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def underscored(relative: Path) -> bool:
    """Whether a path below an output folder is in Sphinx's own folders (_static, _sources, ...)."""
    return any(part.startswith("_") for part in relative.parts[:-1])


def site_editions(site_dir: Path) -> list[Edition]:
    """Every HTML edition below *site_dir*, the root edition first."""
    return [Edition(e.language, site_dir / e.target, e.target.removeprefix("html").strip("/"))
            for e in HTML_EDITIONS]


# --- Copies of the project, and the build command ----------------------------------

CHECKOUT_FILES = ["pyproject.toml", "README.md", ".readthedocs.yaml", ".github", ".ci"]
NOT_CHECKED_IN = shutil.ignore_patterns("_build", "*.mo", "__pycache__", "*.egg-info")


def checkout(dest: Path, with_git: bool = False) -> Path:
    """Copy the project as a fresh clone has it into *dest*; return *dest*.

    *with_git*: its history too, so that pages are dated by their commits as
    in the working tree (without it, by the files' times)."""
    dest.mkdir(parents=True, exist_ok=True)
    if with_git and (ROOT / ".git").is_dir():  # a clone
        shutil.copytree(ROOT / ".git", dest / ".git", symlinks=True)
    elif with_git and (ROOT / ".git").is_file():  # a worktree: its history, cloned
        git = ["git", "-c", "advice.detachedHead=false"]
        subprocess.run([*git, "clone", "-q", "--no-checkout", str(ROOT), str(dest)], check=True,
                       capture_output=True)
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, check=True, capture_output=True,
                              text=True).stdout.strip()
        subprocess.run([*git, "reset", "-q", head], cwd=dest, check=True, capture_output=True)
    shutil.copytree(DOCS, dest / "docs", ignore=NOT_CHECKED_IN)
    # The package's compiled catalog is committed (a read-only install needs it).
    shutil.copytree(ROOT / "src", dest / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in CHECKOUT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name)
        elif source.is_file():
            shutil.copy2(source, dest / name)
    return dest


def copy_docs(dest: Path) -> Path:
    """A private copy of the real docs/ folder (without its build), to break; returns it."""
    shutil.copytree(DOCS, dest, ignore=shutil.ignore_patterns("_build"))
    return dest


def build_env(project: Path | None = None, **extra: str) -> dict[str, str]:
    """The environment of a build: this interpreter first on PATH, a fixed date,
    one Sphinx process (DOCS_JOBS=1; a test that needs workers passes --jobs),
    and, for a checkout, its own package ahead of the installed one.

    One process: the two test workers already fill both cores, and Sphinx's
    parallel reading costs CPU of its own (forks, pickled doctrees): -j auto took
    13% more CPU than -j 1 for the same HTML build here, and more wall time."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "DOCS_JOBS": "1", **extra}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    if project is not None:
        env["PYTHONPATH"] = str(project / "src")
    return env


def build_command(docs: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "macrohard_docs.publish", "--docs", str(docs), "--out", str(out), *extra]


def run_build(project: Path, out: Path, *extra: str, docs: Path | None = None,
              **env: str) -> subprocess.CompletedProcess[str]:
    """The build command readers run, on a project's docs/ (or *docs*), into *out*."""
    return subprocess.run(build_command(docs or project / "docs", out, *extra), cwd=project,
                          env=build_env(project, **env), capture_output=True, text=True, check=False)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below *folder*, by relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def differences(got: dict[str, bytes], expected: dict[str, bytes]) -> list[str]:
    """What differs between two snapshots: files missing, extra, or not identical."""
    return ([f"missing {name}" for name in sorted(expected.keys() - got.keys())]
            + [f"extra {name}" for name in sorted(got.keys() - expected.keys())]
            + [f"differs {name}" for name in sorted(got.keys() & expected.keys()) if got[name] != expected[name]])


def java(jar: Path | str, *args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    """Run a Java checker (epubcheck, vnu.jar); fails the test if there is no Java."""
    found = shutil.which("java")
    assert found, "java is not on PATH: the checkers need a Java runtime (Debian: default-jre-headless)"
    return subprocess.run([found, *JAVA_OPTIONS, "-jar", str(jar), *args], capture_output=True,
                          text=True, timeout=timeout, check=False)


# --- Books ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PdfPage:
    """One page of a PDF, read once: its text, and where each piece of it is drawn."""

    text: str  # as pypdf's extract_text() gives it
    runs: tuple[tuple[float, float, str], ...]  # (x, y, text) of every non-blank piece, in points
    height: float

    def lines(self) -> list[str]:
        """The page's text lines, top to bottom, each read left to right."""
        rows: dict[int, list[tuple[float, str]]] = {}
        for x, y, text in self.runs:
            rows.setdefault(round(y / 3), []).append((x, text))
        return [" ".join(t.strip() for _, t in sorted(row)) for _, row in sorted(rows.items(), reverse=True)]


@dataclass(frozen=True)
class Pdf:
    reader: Any  # pypdf.PdfReader: outline, destinations, metadata
    pages: tuple[PdfPage, ...]


def read_pdf(data: bytes) -> Pdf:
    """A PDF's pages read once, text and positions in one pass of pypdf."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    pages = []
    for page in reader.pages:
        runs: list[tuple[float, float, str]] = []

        def visit(text, cm, tm, font, size, runs=runs):
            if text.strip():
                runs.append((tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5], text))

        text = page.extract_text(visitor_text=visit) or ""
        pages.append(PdfPage(text, tuple(runs), float(page.mediabox.height)))
    return Pdf(reader, tuple(pages))


@functools.cache
def pdf_edition(path: Path) -> Pdf:
    """A PDF edition of the built site, read once per worker (the book tests share it)."""
    return read_pdf(path.read_bytes())


# --- The browser -------------------------------------------------------------------

# Debian's Chromium, never a browser downloaded by Playwright.
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
# The worker's browser (launch) reaches nothing past this machine: every request but
# to the loopback (the tests' own servers, which Chromium never proxies) goes to a
# proxy that is not there and fails (net::ERR_PROXY_CONNECTION_FAILED), still seen by
# each page's Watch. In the browser's network stack: a Playwright route would pass
# every request of every page through the driver (15-20 % of a page load's CPU time).
# Not in CHROMIUM_ARGS: tests/offline/test_from_disk.py watches the host lookups, which
# a proxy would make instead of the browser.
NO_NETWORK = "--proxy-server=http://127.0.0.1:9"
DESKTOP = {"width": 1280, "height": 800}  # the viewport of a laptop
PHONE = {"width": 390, "height": 844}  # and of a phone
LOCAL = ("file:", "data:", "blob:", "about:")
# Anything but the file system and the tests' own servers (for a route of one's own;
# launch()'s browser refuses it anyway: see NO_NETWORK).
NOT_LOCAL = re.compile(r"^(?!file:|data:|blob:|about:|http://127\.0\.0\.1[:/])")
# Every Content-Security-Policy violation of a document, in window.__cspViolations.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} in ${e.sourceFile}`));
"""


def settle(page: Any) -> None:
    """Wait until a loaded page has done what it does by itself: every image
    loaded or failed (and its handlers run), fonts ready, two frames drawn
    and the tasks queued by then run."""
    page.wait_for_function("() => [...document.images].every(i => i.complete || i.loading === 'lazy')")
    page.evaluate("""() => document.fonts.ready.then(() => new Promise(done =>
        requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done)))))""")


def launch(playwright: Any) -> Any:
    """Debian's Chromium, headless; a missing browser fails the test, it never skips it."""
    assert CHROMIUM.is_file(), f"{CHROMIUM} is missing: install Debian's chromium package"
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, NO_NETWORK])


@dataclass
class Watch:
    """What one page did: every request, failure, console message, error and dialog."""

    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # requests that got no response
    bad_responses: list[str] = field(default_factory=list)  # status 400 and above
    console_errors: list[str] = field(default_factory=list)
    console_warnings: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def attach(self, page: Any) -> None:
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} {r.failure}"))
        page.on("response", lambda r: r.status >= 400 and self.bad_responses.append(r.url))
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)
        elif message.type == "warning":
            self.console_warnings.append(message.text)

    def clear(self) -> None:
        for name in fields(self):
            getattr(self, name.name).clear()

    @property
    def errors(self) -> list[str]:
        """Console errors and uncaught errors, as the reader's console shows them."""
        return ([f"console.error: {m}" for m in self.console_errors]
                + [f"uncaught: {e}" for e in self.page_errors])

    def remote(self, allowed: tuple[str, ...] = LOCAL) -> list[str]:
        """Requests to anything but the file system (or *allowed*)."""
        return [u for u in self.requests if not u.startswith(allowed)]

    @staticmethod
    def csp(page: Any) -> list[str]:
        return page.evaluate("window.__cspViolations || []")

    def problems(self, page: Any) -> list[str]:
        """Everything a page opened from disk must not do: reach past file://, fail a
        request, log an error, throw, open a dialog, or break its own policy."""
        return ([f"network: {u}" for u in self.remote(("file://",))]
                + [f"failed: {u}" for u in self.failed]
                + [f"console: {m}" for m in self.console_errors]
                + [f"error: {m}" for m in self.page_errors]
                + [f"dialog: {m}" for m in self.dialogs]
                + [f"csp: {v}" for v in self.csp(page)])


@dataclass
class Tab:
    """A browser page on the built site, with the watch of what it did."""

    page: Any
    watch: Watch
    html_dir: Path | None = None

    def url(self, path: str) -> str:
        """The file:// address of *path* (which may carry ?query and #fragment) below html_dir."""
        assert self.html_dir is not None
        path, mark, rest = path.partition("?") if "?" in path else path.partition("#")
        url = (self.html_dir / path).as_uri()
        return f"{url}{mark}{rest}" if rest else url

    def open(self, path: Path | str, query: str = "") -> Any:
        """Load a built file (a path, an address, or a path below html_dir) and wait
        for its load event, from a clean watch."""
        self.watch.clear()
        if isinstance(path, Path):
            target = path.resolve().as_uri() + query
        elif re.match(r"^[a-z]+:", path):
            target = path + query
        else:
            target = self.url(path + query)
        self.page.goto(target, wait_until="load")
        return self.page


# axe-core's default rules (WCAG 2.x A and AA, and best practices) on the page, or
# on the parts of it that `include` names; axe is in the pages of an axe=True context.
RUN_AXE = """async (include) => {
  const results = await axe.run(include ? {include} : document);
  return {
    passes: results.passes.length,
    violations: results.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html, summary: n.failureSummary})),
    })),
  };
}"""


def run_axe(page: Any, include: list[list[str]] | None = None) -> dict:
    """axe-core's report on *page*: how many rules passed, and every violation.

    axe is in every page of an axe=True context; a document written by
    set_content() gets it here (its page's policy permitting)."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=AXE_JS)
    return page.evaluate(RUN_AXE, include)


def describe_violations(where: str, violations: list[dict]) -> list[str]:
    """axe's violations as lines to read: the rule, and each element at fault."""
    lines = []
    for violation in violations:
        lines.append(f"{where}: {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    at {node['target']}: {node['html'][:200]}")
            lines.append("       " + (node["summary"] or "").replace("\n", "\n       "))
    return lines


# Relative luminance of the body's background (0 = black, 1 = white).
BACKGROUND_LUMINANCE = """() => {
  const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/[\\d.]+/g).map(Number);
  const lin = c => (c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}"""


def assert_looks(page: Any, scheme: str, where: str) -> None:
    """The page's background is dark in the dark scheme and light in the light one."""
    luminance = page.evaluate(BACKGROUND_LUMINANCE)
    assert (luminance < 0.2) if scheme == "dark" else (luminance > 0.8), (
        f"{where}: background luminance {luminance:.2f} does not look {scheme}")


def axe_in_both_schemes(page: Any, where: str, include: list[list[str]] | None = None) -> list[str]:
    """axe's violations on *page* as it stands (a panel, a filter or a preview
    open), with the OS preference light, then dark (furo's "auto" theme follows
    it): the lines of both, each naming its scheme. The preference is light
    again at the end. Fails at once if the page does not look the scheme's."""
    lines: list[str] = []
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert_looks(page, scheme, where)
        lines += describe_violations(f"{where} ({scheme})", run_axe(page, include)["violations"])
    page.emulate_media(color_scheme="light")
    return lines


def axe_light_then_dark(tab: Tab, name: str) -> dict[str, list[str]]:
    """axe's violations on the page loaded in *tab* (a light axe=True context),
    by mode: checked as loaded, then turned dark twice over (the OS preference,
    and furo's own toggle, which stores the choice) and checked again; the OS
    preference is light again at the end. Fails at once if furo did not apply
    the stored theme on load, or the toggle did not turn the page dark."""
    report: dict[str, list[str]] = {"light": [], "dark": []}
    for theme in report:
        if theme == "dark":
            tab.page.emulate_media(color_scheme="dark")
            # furo's toggle, from a stored "light" under a dark OS, stores and applies "dark".
            tab.page.evaluate("document.querySelector('.theme-toggle').click()")
            assert tab.page.evaluate("localStorage.getItem('theme')") == "dark", f"{name}: the toggle stored no dark"
        # furo copies localStorage "theme" (set by the context) to body[data-theme].
        applied = tab.page.evaluate("document.body.dataset.theme")
        assert applied == theme, f"{name}: furo applied theme {applied!r}, not {theme!r}"
        assert_looks(tab.page, theme, name)
        results = run_axe(tab.page)
        assert results["passes"] > 10, f"{name}: axe checked almost nothing ({results['passes']} rules passed)"
        report[theme] += describe_violations(name, results["violations"])
    tab.page.emulate_media(color_scheme="light")
    return report


def axe_every_page(tab: Tab, html_dir: Path, pages: list[Path]) -> dict[str, list[str]]:
    """axe's violations on each page, by mode (axe_light_then_dark: one load per
    page), every `<details>` open (the numbers under each chart), as a reader
    who opens them sees them."""
    report: dict[str, list[str]] = {"light": [], "dark": []}
    for page in pages:
        tab.open(page)
        tab.page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
        for theme, lines in axe_light_then_dark(tab, page.relative_to(html_dir).as_posix()).items():
            report[theme] += lines
    return report


@dataclass(eq=False)
class _Context:
    context: Any
    anchor: Any  # a blank page kept open: see Browsing
    session: Any  # the anchor's DevTools session, to clear storage
    options: dict[str, Any]  # as the context was made: what a page is reset to
    origins: set[str] = field(default_factory=lambda: {"file://"})
    idle: list[tuple[Any, Watch]] = field(default_factory=list)  # pages of ended tests, blank

    def reset(self, page: Any) -> None:
        """*page* as a new page of this context is: blank, the pointer in its corner, the
        context's media and viewport (a test may have changed them)."""
        page.goto("about:blank")
        page.emulate_media(media="null", color_scheme=self.options.get("color_scheme", "light"),
                           reduced_motion=self.options.get("reduced_motion", "no-preference"),
                           forced_colors=self.options.get("forced_colors", "none"),
                           contrast=self.options.get("contrast", "no-preference"))
        viewport = self.options.get("viewport", {"width": 1280, "height": 720})
        if page.viewport_size != viewport:
            page.set_viewport_size(viewport)


class Browsing:
    """Pages on the session's one Chromium, cheaply and each test on its own.

    A browser context is made once per set of options (viewport, colour scheme,
    touch, JavaScript, ...) and kept for the whole session; each test gets fresh
    pages in it, and when the test ends its pages are closed and everything the
    site stored (localStorage, for the theme and the search highlights) is
    cleared. Each context keeps one blank page open: with it, Chromium keeps
    the context's renderer running. Opening and loading a test's page so
    costs about 60 % of the CPU time it took in a context of its own (the
    search tests: 43 CPU-seconds a file instead of 73).

    A test's page is not closed but made blank and reset (_Context.reset), and
    the next test in that context gets it: a new page and its closing cost
    0.27 CPU-seconds, a reset 0.1. What a test adds to its page that a reset
    does not undo (an init script, a route, a listener that acts) it closes
    the page on (page.close()), which is then not reused.
    """

    def __init__(self, browser: Any) -> None:
        self.browser = browser
        self.contexts: dict[str, _Context] = {}
        self.pages: list[tuple[_Context, Any, Watch]] = []  # opened by the current test
        self.kept: dict[int, _Context] = {}  # kept pages (by id), with their contexts
        self.used: dict[int, _Context] = {}  # contexts of kept pages the current test used

    def context(self, theme: str | None = None, axe: bool = False, **options: Any) -> _Context:
        """The shared context with these options. *theme* is furo's stored choice,
        set before any script of every page; *axe*: axe-core in every page, which
        the pages' policy would refuse (so the policy is bypassed: tests/offline
        checks it)."""
        key = json.dumps([theme, axe, options], sort_keys=True, default=str)
        if key not in self.contexts:
            if axe:
                assert AXE_JS.is_file(), f"{AXE_JS} is missing: run `npm ci --prefix tests`"
                options = {**options, "bypass_csp": True}
            context = self.browser.new_context(**options)
            context.add_init_script(WATCH_CSP)
            if theme:
                context.add_init_script(f"localStorage.setItem('theme', {theme!r});")
            if axe:
                context.add_init_script(path=AXE_JS)
            anchor = context.new_page()
            self.contexts[key] = _Context(context, anchor, context.new_cdp_session(anchor), options)
        return self.contexts[key]

    def new_tab(self, html_dir: Path | None = None, theme: str | None = None, axe: bool = False,
                keep: bool = False, **options: Any) -> Tab:
        """A blank page in the shared context of these options, watched; given to
        the next test when this one ends, unless *keep* (a page a module or
        session reuses)."""
        shared = self.context(theme, axe, **options)
        if shared.idle and not keep:
            page, watch = shared.idle.pop()
            watch.clear()
            page.bring_to_front()  # the focused page, as a new one is (a term preview hides otherwise)
        else:
            page = shared.context.new_page()
            watch = Watch()
            watch.attach(page)
            # Origins the test's pages visit besides file://, to clear their storage too.
            page.on("request", lambda r: r.url.startswith("http") and shared.origins.add(origin(r.url)))
        if keep:
            self.kept[id(page)] = shared
        else:
            self.pages.append((shared, page, watch))
        return Tab(page, watch, html_dir)

    def use(self, page: Any) -> None:
        """The current test uses the kept *page*: what its context stored is cleared
        when the test ends (a search typed there stores the words to highlight)."""
        shared = self.kept[id(page)]
        self.used[id(shared)] = shared

    def end_test(self) -> None:
        """Make the test's pages blank for the next tests, and clear what they stored."""
        for shared, page, watch in self.pages:
            if not page.is_closed():
                shared.reset(page)
                shared.idle.append((page, watch))
        for shared in ({id(shared): shared for shared, _, _ in self.pages} | self.used).values():
            for where in sorted(shared.origins):
                shared.session.send("Storage.clearDataForOrigin", {"origin": where, "storageTypes": "all"})
        self.pages.clear()
        self.used.clear()

    def close(self) -> None:
        for shared in self.contexts.values():
            shared.context.close()


def origin(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"


@contextmanager
def started_browser() -> Iterator[Any]:
    from playwright.sync_api import expect, sync_playwright

    # What a reader would see, however loaded the machine: expect() waits as
    # long as the other waits (30 s), not its default 5 s.
    expect.set_options(timeout=30_000)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            yield browser
        finally:
            browser.close()
