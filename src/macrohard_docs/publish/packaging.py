"""Byte-for-byte reproducible offline files: the EPUB, the site's zip, the PDF.

Zip archives record each member's time, order, permissions and the system
that wrote them; Sphinx's EPUB writer takes them from the files on disk, so
two builds of the same sources differ. Both archives are written member by
member here (member()), in sorted order, dated by the build's epoch
(site/dating.py's edition_epoch), an EPUB's ``mimetype`` first and stored.

Chromium stamps a PDF with the time it was printed, and writes relative links
as file:// URLs of the folder it printed from; we rewrite both dates to
SOURCE_DATE_EPOCH and those links relative to the PDF, keeping their length so
that the file's offsets stay valid (Chromium sees the page through a path of
fixed length, so that length is the same wherever the project is built).
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import importlib.util
import io
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

ZIP_EPOCH_FLOOR = 315532800  # 1980-01-01, the earliest time a zip can store
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    # Those of Playwright's (which printed the PDFs before) that the rendering may depend on.
    "--hide-scrollbars", "--mute-audio", "--force-color-profile=srgb", "--disable-extensions",
    "--blink-settings=primaryHoverType=2,availableHoverTypes=2,primaryPointerType=4,availablePointerTypes=4",
]


def member(name: str, epoch: int) -> zipfile.ZipInfo:
    """A zip member named *name*, dated *epoch* (but not before 1980, the earliest time
    a zip can store) and readable by all (0644), whatever the file on disk says."""
    info = zipfile.ZipInfo(name, time.gmtime(max(epoch, ZIP_EPOCH_FLOOR))[:6])
    info.external_attr = 0o644 << 16
    return info


def repack_epub(source: Path, dest: Path, epoch: int) -> None:
    """Rewrite Sphinx's EPUB with fixed times and order; mimetype first, stored."""
    with zipfile.ZipFile(source) as old:
        members = {name: old.read(name) for name in old.namelist() if not name.endswith("/")}
    tmp = dest.with_name(dest.name + ".tmp")
    with zipfile.ZipFile(tmp, "w") as new:
        new.writestr(member("mimetype", epoch), members.pop("mimetype"), zipfile.ZIP_STORED)
        for name in sorted(members):
            new.writestr(member(name, epoch), members[name], zipfile.ZIP_DEFLATED, 9)
    tmp.replace(dest)


def zip_tree(root: Path, dest: Path, prefix: str, epoch: int, *, exclude: Iterable[str] = ()) -> int:
    """Zip every file below *root* under the folder *prefix*; return the size.

    *exclude* holds paths relative to *root* (files or folders) left out.
    """
    excluded = {e.strip("/") for e in exclude}
    files = sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())
    tmp = dest.with_name(dest.name + ".tmp")
    # Level 6: level 9 took twice the CPU (the zip is made twice a build) for 0.4 % fewer bytes.
    with zipfile.ZipFile(tmp, "w") as archive:
        for rel in files:
            if not any(rel == e or rel.startswith(e + "/") for e in excluded):
                archive.writestr(member(f"{prefix}/{rel}", epoch), (root / rel).read_bytes(), zipfile.ZIP_DEFLATED, 6)
    tmp.replace(dest)
    return dest.stat().st_size


def chromium_path() -> str | None:
    return (os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
            or playwright_chromium())


def playwright_chromium() -> str | None:
    """The Chromium that `playwright install chromium` downloaded, if any.

    For hosts with no Chromium package of their own (Read the Docs' Ubuntu has
    it only as a snap); asked in a child process, as Playwright's sync API
    refuses to start inside a process that already drives a browser.
    """
    ask = "from playwright.sync_api import sync_playwright\nwith sync_playwright() as p: print(p.chromium.executable_path)"
    try:
        run = subprocess.run([sys.executable, "-c", ask], capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    path = run.stdout.strip()
    return path if run.returncode == 0 and os.path.isfile(path) else None


def pdf_unavailable() -> str | None:
    """Why a PDF cannot be printed here, or None when it can.

    Looked up, not imported: a build with nothing to do asks this too."""
    # pypdf reads the first printing's bookmarks for the contents.
    if importlib.util.find_spec("pypdf") is None:
        return "pypdf is not installed (it comes with the pdf and test dependency groups)"
    named = os.environ.get("CHROMIUM")
    if named and not (os.path.isfile(named) and os.access(named, os.X_OK)):
        return (f"CHROMIUM={named} is not an executable file. Fix: set CHROMIUM to Chromium's path "
                "(Debian: /usr/bin/chromium), unset it to find one, or build with --pdf off")
    if not chromium_path():
        return "no Chromium found (install Debian's chromium, or set CHROMIUM)"
    return None


PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:(\d{14})([^)]*)\)")


def fix_pdf_dates(data: bytes, epoch: int) -> bytes:
    stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime(epoch)).encode()

    def same_length(match: re.Match[bytes]) -> bytes:
        tail = match.group(3)
        zone = (b"+00'00'" if len(tail) >= 7 else b"Z").ljust(len(tail))[: len(tail)]
        return b"/" + match.group(1) + b" (D:" + stamp + zone + b")"

    return PDF_DATE.sub(same_length, data)


PDF_FILE_LINK = re.compile(rb"/URI \((file://[^()\\]*)\)")
# Chromium is shown the page through a symlink at a path of this fixed length
# (mkdtemp adds eight random characters), so that the file:// URLs it writes,
# and the PDF's length once they are made relative, are the same in any checkout.
PRINT_FROM = "/tmp"
PRINT_PREFIX = "macrohard-pdf-"


def relative_file_links(data: bytes, dest: Path, shown: Path, real: Path) -> bytes:
    """Chromium's file:// URLs of the build machine made relative to the PDF's folder (in the
    site), padded to their old length so that the offsets stay valid. *shown*: the folder
    Chromium saw the page in, *real* the folder it is in."""
    def relative(match: re.Match[bytes]) -> bytes:
        url = urlsplit(match.group(1).decode("ascii"))
        path = Path(unquote(url.path))
        if path.is_relative_to(shown):
            path = real / path.relative_to(shown)
        target = os.path.relpath(path, dest.resolve().parent)
        new = quote(Path(target).as_posix()) + (f"#{url.fragment}" if url.fragment else "")
        old = match.group(0)
        replacement = b"/URI (" + new.encode("ascii") + b")"
        return replacement.ljust(len(old)) if len(replacement) <= len(old) else old

    return PDF_FILE_LINK.sub(relative, data)


@dataclass(frozen=True)
class PrintJob:
    """One PDF edition: its single page on disk, the PDF to write, and where
    the contents' page numbers of the last printing are kept (see _print)."""

    page: Path
    dest: Path
    numbers: Path


PRINTED = "printed "  # the printer's word for a PDF written, on its standard output
NOT_STARTED = "chromium did not start: "  # the printer's last line when the browser would not launch


class Printer:
    """The PDF editions, printed by one Chromium in a child process (it waits on Chromium
    while the build goes on): add() each job once its single page is written, printed(job)
    for each PDF as the build needs it, in order, and wait() for the printer to end. It reads
    a job per line (JSON) until its input closes; says ``printed <pdf>`` as each is written."""

    def __init__(self, epoch: int) -> None:
        self.jobs: list[PrintJob] = []
        # A file, not a pipe: a child writing much to a pipe nobody reads yet would block.
        self.errors = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "macrohard_docs.publish.packaging", str(epoch)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors, text=True)

    def add(self, job: PrintJob) -> None:
        self.jobs.append(job)
        with contextlib.suppress(BrokenPipeError):  # the printer has ended: wait() says why
            self.process.stdin.write(json.dumps([str(job.page), str(job.dest), str(job.numbers)]) + "\n")
            self.process.stdin.flush()

    def stop(self) -> None:
        """End the printer if it still runs (its browser goes with it)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for stream in (self.process.stdin, self.process.stdout, self.errors):
            with contextlib.suppress(BrokenPipeError):
                stream.close()

    def printed(self, job: PrintJob) -> str | None:
        """None once *job*'s PDF is written (asked in the order the jobs were added); else
        what went wrong, in one line."""
        for line in self.process.stdout:  # other lines it may print are not ours
            if line.rstrip("\n") == f"{PRINTED}{job.dest}":
                return None
        return self.wait() or f"Chromium did not print {job.dest.name}"  # it has ended without it

    def wait(self) -> str | None:
        """None once every PDF is written and the printer has ended; else what went wrong, in one line."""
        with contextlib.suppress(BrokenPipeError):
            self.process.stdin.close()
        self.process.stdout.read()  # to its end: a full pipe would block the printer
        self.process.wait()
        if self.process.returncode == 0 and all(job.dest.is_file() for job in self.jobs):
            return None
        self.errors.seek(0)
        lines = [line.strip() for line in self.errors.read().splitlines() if line.strip()]
        last = (lines or ["no message"])[-1]
        if last.startswith(NOT_STARTED):
            return (f"Chromium ({last[len(NOT_STARTED):]}) did not start. Fix: set CHROMIUM to a working "
                    "Chromium (Debian: /usr/bin/chromium), or build with --pdf off")
        return f"Chromium could not print it (exit {self.process.returncode}: {last[:300]})"


ANSWER_SECONDS = 120  # for one DevTools message: a load or a printing takes a second or two


class Browser:
    """Chromium driven through its DevTools pipe (--remote-debugging-pipe: commands on
    its descriptor 3, replies and events on 4), one JSON message per NUL-ended line,
    one tab at a time. Playwright's driver (Node.js) cost a third of the printer's CPU
    for the few commands a printing needs; the PDFs are the same bytes."""

    def __init__(self, executable: str) -> None:
        self.profile = tempfile.TemporaryDirectory(prefix="macrohard-chromium-", ignore_cleanup_errors=True)
        pipes = [*os.pipe(), *os.pipe()]
        # Above 4, so that putting the browser's ends at 3 and 4 overwrites neither.
        to_browser, self.commands, self.replies, from_browser = (fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 5)
                                                                 for fd in pipes)
        for fd in pipes:
            os.close(fd)

        def at_3_and_4() -> None:  # dup2 makes them inheritable, as no other descriptor is
            os.dup2(to_browser, 3)
            os.dup2(from_browser, 4)

        self.process = subprocess.Popen(
            [executable, *CHROMIUM_ARGS, f"--user-data-dir={self.profile.name}", "--remote-debugging-pipe",
             "--no-startup-window"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, close_fds=False,
            preexec_fn=at_3_and_4)  # noqa: PLW1509 - the printer process runs no thread to deadlock
        for fd in (to_browser, from_browser):
            os.close(fd)
        self.received, self.sent, self.session = b"", 0, None
        self.events: list[dict[str, Any]] = []
        try:
            self.version = self.send("Browser.getVersion")["product"].split("/")[-1]
        except (OSError, RuntimeError):  # it did not start: its profile goes all the same
            self.close()
            raise

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        """*method*'s result, for the open tab if any; the events that came before it kept."""
        self.sent += 1
        message = {"id": self.sent, "method": method, "params": params}
        if self.session and not method.startswith(("Target.", "Browser.")):  # the tab's, not the browser's
            message["sessionId"] = self.session
        os.write(self.commands, json.dumps(message).encode() + b"\0")
        while (reply := self.receive()).get("id") != self.sent:
            self.events.append(reply)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error'].get('message')}")
        return reply["result"]

    def receive(self) -> dict[str, Any]:
        while b"\0" not in self.received:
            # A browser that hangs ends the printing with a message, not the build with a wait.
            if not select.select([self.replies], [], [], ANSWER_SECONDS)[0]:
                raise RuntimeError(f"Chromium did not answer in {ANSWER_SECONDS} s")
            if not (chunk := os.read(self.replies, 1 << 20)):
                raise RuntimeError("Chromium has ended")
            self.received += chunk
        message, self.received = self.received.split(b"\0", 1)
        return json.loads(message)

    def open(self, url: str) -> None:
        """A tab of Playwright's default size (1280 x 720) showing *url*, once loaded."""
        self.target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.send("Target.attachToTarget", targetId=self.target, flatten=True)["sessionId"]
        self.send("Page.enable")
        self.send("Emulation.setDeviceMetricsOverride", width=1280, height=720, deviceScaleFactor=1, mobile=False,
                  screenWidth=1280, screenHeight=720)
        self.events.clear()
        if error := self.send("Page.navigate", url=url).get("errorText"):
            raise RuntimeError(f"{error} at {url}")
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events):
            self.events.append(self.receive())

    def evaluate(self, function: str, argument: Any = None) -> Any:
        result = self.send("Runtime.evaluate", expression=f"({function})({json.dumps(argument)})",
                           returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{function[:60]}: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def pdf(self) -> bytes:
        """The tab printed; its size and margins from its own print styles (book.css, which
        puts the page numbers and running head in them); tagged, with the headings as bookmarks."""
        return base64.b64decode(self.send(
            "Page.printToPDF", printBackground=False, preferCSSPageSize=True, paperWidth=8.5, paperHeight=11,
            marginTop=0, marginBottom=0, marginLeft=0, marginRight=0, generateTaggedPDF=True,
            generateDocumentOutline=True)["data"])

    def close_tab(self) -> None:
        self.send("Target.closeTarget", targetId=self.target)
        self.session = None

    def close(self) -> None:
        try:
            self.send("Browser.close")
            self.process.wait(timeout=ANSWER_SECONDS)
        except (OSError, RuntimeError, subprocess.TimeoutExpired):  # gone, or hung: not waited for again
            self.process.kill()
            self.process.wait()
        os.close(self.commands)
        os.close(self.replies)
        self.profile.cleanup()


def _print_all(lines: Iterable[str], epoch: int) -> None:
    try:
        browser = Browser(chromium_path() or "chromium")
    except (OSError, RuntimeError):
        print(f"{NOT_STARTED}{chromium_path()}", file=sys.stderr, flush=True)
        raise SystemExit(3) from None
    try:
        for line in lines:
            job = PrintJob(*map(Path, json.loads(line)))
            _print(browser, job, epoch)
            print(f"{PRINTED}{job.dest}", flush=True)
    finally:
        browser.close()


def _print(browser: Browser, job: PrintJob, epoch: int) -> None:
    """Print one single page; write its PDF and the contents' page numbers.

    The contents give each chapter's page: the page where a printing put its
    heading. They sit in a column of fixed width, so writing them in moves
    nothing. A first build prints with the column empty, reads the numbers,
    writes them in and prints again. Later builds write in the last build's
    numbers first, and print once more only if the pages moved: either way
    the PDF is the printing whose numbers are its own, byte for byte.
    """
    real = job.page.resolve().parent
    known = read_json(job.numbers)
    layouts = job.numbers.with_name(f"{job.numbers.stem}-layout.json")
    with tempfile.TemporaryDirectory(prefix=PRINT_PREFIX, dir=PRINT_FROM) as folder:
        shown = Path(folder) / "page"
        shown.symlink_to(real, target_is_directory=True)
        try:
            browser.open((shown / job.page.name).as_uri())
            headings = browser.evaluate(CHAPTER_HEADINGS_JS)
            info = browser.evaluate(BOOK_INFO_JS)
            # A chapter whose last few lines spill onto a page of their own is
            # set a little tighter (book.css), then printed again. Decided on
            # the first printing, whose layout the page numbers do not move
            # (their column has a fixed width): clean and later builds agree.
            # Every chapter starts a page, so its layout is its own text's under
            # the page's styles: one decided by the last build, on the same text
            # and styles, is set again without a printing to decide it.
            keys = chapter_keys(browser.evaluate(CHAPTER_SOURCES_JS), real, job.page, browser.version)
            last = read_json(layouts)
            steps = {chapter: last[chapter][1] for chapter, key in keys.items()
                     if key and isinstance(last.get(chapter), list) and last[chapter][0] == key}
            settled = set(steps)
            for step, tighter in enumerate(TIGHTER):
                browser.evaluate(TIGHTEN_JS, [[chapter for chapter, done in steps.items() if done > step], tighter])
            if known:
                browser.evaluate(FILL_CONTENTS_JS, known)
            data = browser.pdf()
            numbers = chapter_pages(reader := pdf_reader(data), headings)
            for step, tighter in enumerate(TIGHTER):  # a second, tighter step where the first was not enough
                if not (spilled := spilled_chapters(reader, headings, numbers, settled)):
                    break
                steps.update({chapter: step + 1 for chapter in spilled})
                browser.evaluate(TIGHTEN_JS, [spilled, tighter])
                data = browser.pdf()
                numbers = chapter_pages(reader := pdf_reader(data), headings)
            if numbers != known:
                browser.evaluate(FILL_CONTENTS_JS, numbers)
                data = browser.pdf()
        finally:
            browser.close_tab()
    data = stable_node_ids(relative_file_links(fix_pdf_dates(data, epoch), job.dest, shown, real))
    job.dest.write_bytes(with_info(data, {key: value for key, value in info.items() if value}))
    job.numbers.write_text(json.dumps(numbers, sort_keys=True) + "\n", encoding="utf-8")
    layouts.write_text(json.dumps({chapter: [key, steps.get(chapter, 0)] for chapter, key in keys.items() if key},
                                  sort_keys=True) + "\n", encoding="utf-8")


def read_json(path: Path) -> dict[str, Any]:
    """What the last printing kept in *path* ({} when there is none to trust)."""
    try:
        kept = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return kept if isinstance(kept, dict) else {}


def chapter_keys(sources: dict[str, Any], folder: Path, page: Path, browser: str) -> dict[str, str | None]:
    """Section id -> a digest of what lays that chapter out: its own HTML as loaded, the
    page's head, every other file beside the page (styles, fonts, images) and the
    browser. None for every chapter when one holds another (its layout is not its own)."""
    if sources["nested"]:
        return dict.fromkeys(sources["chapters"])
    styles = hashlib.sha256(f"{browser}\0{sources['head']}".encode())
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path != page:
            styles.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return {chapter: hashlib.sha256(styles.digest() + html.encode()).hexdigest()
            for chapter, html in sources["chapters"].items()}


# What the title page says of the book that Chromium leaves out of the PDF's
# document information: who wrote it, and the terms of reuse (book.py).
BOOK_INFO_JS = """() => Object.fromEntries([["Author", ".book-author"], ["Rights", ".book-rights"]].map(
  ([key, selector]) => [key, (document.querySelector(selector) || {}).textContent || ""]))"""
PDF_TRAILER = re.compile(rb"trailer\s*<<(.*?)>>\s*startxref\s*(\d+)\s*%%EOF\s*$", re.DOTALL)


def pdf_text(text: str) -> bytes:
    """A PDF text string that holds any character: UTF-16BE with its byte order mark, in hex."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def with_info(data: bytes, entries: dict[str, str]) -> bytes:
    """*data* with *entries* added to its document information (/Author, /Rights).

    Written as an incremental update, the standard way to change a PDF: the
    information object again, with the new keys, a cross-reference section
    for it alone and a trailer pointing back to Chromium's; nothing before it
    moves. A PDF not shaped as Chromium writes it is returned unchanged.
    """
    trailer = PDF_TRAILER.search(data)
    info = trailer and re.search(rb"/Info (\d+) 0 R", trailer.group(1))
    if not entries or not trailer or not info:
        return data
    number = int(info.group(1))
    old = re.search(rb"(?:^|\n)%d 0 obj\s*<<(.*?)>>\s*endobj" % number, data, re.DOTALL)
    if not old:
        return data
    body = old.group(1) + b"".join(b"\n/" + key.encode("ascii") + b" " + pdf_text(value)
                                   for key, value in entries.items())
    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    at = len(out)
    out += b"%d 0 obj\n<<%s>>\nendobj\n" % (number, body)
    xref = len(out)
    fields = re.sub(rb"\s*/Prev \d+", b"", trailer.group(1))
    out += (b"xref\n%d 1\n%010d 00000 n \ntrailer\n<<%s\n/Prev %s>>\nstartxref\n%d\n%%%%EOF\n"
            % (number, at, fields, trailer.group(2), xref))
    return bytes(out)


# Each h1 in reading order (the contents' own included): its section's id and its text.
CHAPTER_HEADINGS_JS = """() => [...document.querySelectorAll("article h1")].map(h => ({
  id: (h.closest("section") || h).id, text: h.textContent.replace("\u00b6", "")}))"""
# Each chapter's section as loaded (before any class of ours), the page's head, and
# whether a chapter holds another.
CHAPTER_SOURCES_JS = """() => {
  const sections = [...document.querySelectorAll("article h1")].map(h => h.closest("section")).filter(s => s);
  return {head: document.head.outerHTML, chapters: Object.fromEntries(sections.map(s => [s.id, s.outerHTML])),
          nested: sections.some(s => sections.some(other => other !== s && s.contains(other)))}; }"""
# Empties the column first: a number the last printing knew may have no chapter now.
FILL_CONTENTS_JS = """numbers => {
  for (const cell of document.querySelectorAll(".book-toc-page")) cell.textContent = "";
  for (const [id, page] of Object.entries(numbers)) {
    const cell = document.querySelector(`.book-toc-page[data-for="${CSS.escape(id)}"]`);
    if (cell) cell.textContent = String(page); } }"""


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_reader(data: bytes) -> Any:
    """A pypdf reader of *data*, parsed once for the page numbers and the spilled chapters."""
    from pypdf import PdfReader  # here only: a build without PDFs may lack it

    return PdfReader(io.BytesIO(data))


def chapter_pages(reader: Any, headings: list[dict[str, str]]) -> dict[str, int]:
    """Section id -> page number (from 1) of each h1, read from the PDF's bookmarks.

    Chromium makes a top-level bookmark of each h1, in order; a bookmark whose
    text is not its heading's (spaces aside) is left without a number.
    """
    top = [entry for entry in reader.outline if not isinstance(entry, list)]
    numbers = {}
    for heading, entry in zip(headings, top, strict=False):
        if heading["id"] and squeeze(entry.title) == squeeze(heading["text"]):
            numbers[heading["id"]] = reader.get_destination_page_number(entry) + 1
    return numbers


SPILL_LINES = 6  # fewer lines than this alone on a chapter's last page: a page left nearly blank
TIGHTER = ("book-tight", "book-tighter")  # book.css: each sets a chapter a little tighter
TIGHTEN_JS = """([ids, tighter]) => { for (const id of ids) {
  const section = document.getElementById(id); if (section) section.classList.add(tighter); } }"""


def spilled_chapters(reader: Any, headings: list[dict[str, str]], starts: dict[str, int],
                     settled: set[str] = frozenset()) -> list[str]:
    """The chapters (section ids) of more than one page whose last page holds
    fewer than SPILL_LINES lines of text, besides its running head and number;
    none of the *settled* ones (their text is not read). *starts*: chapter_pages(reader)."""
    order = [h["id"] for h in headings if h["id"] in starts]
    ends = [starts[later] - 1 for later in order[1:]] + [len(reader.pages)]
    spilled = []
    for chapter, end in zip(order, ends):
        if end > starts[chapter] and chapter not in settled:
            lines = [line for line in (reader.pages[end - 1].extract_text() or "").splitlines() if line.strip()]
            if len(lines) - 2 < SPILL_LINES:
                spilled.append(chapter)
    return spilled


NODE_ID = re.compile(rb"\(node(\d{8})\)")


def stable_node_ids(data: bytes) -> bytes:
    """Number the tagged PDF's element ids in order of appearance.

    Chromium names them after its DOM node counter, which differs from one
    run to the next; renumbered with as many digits, every offset in the
    file stays valid.
    """
    numbers: dict[bytes, bytes] = {}

    def renumber(match: re.Match[bytes]) -> bytes:
        number = numbers.setdefault(match.group(1), b"%08d" % len(numbers))
        return b"(node" + number + b")"

    return NODE_ID.sub(renumber, data)


if __name__ == "__main__":
    # Printer.stop ends it with SIGTERM: as an exit, so that the browser closes and its profile goes.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    _print_all(sys.stdin, int(sys.argv[1]))
