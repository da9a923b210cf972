"""Sphinx through its API, each language in a process of its own.

Sphinx keeps the message catalogs it loads (``sphinx.locale.translators``) for
the life of the process: a second language read in the same process would be
translated with the first one's. So each language's builders (single page,
EPUB, HTML: they share ``.doctrees/<lang>``) run one after the other in one
forked child, :class:`LanguageProcess`, and the main process loads no catalog.

Forked (POSIX only) once the main process has imported the extensions
(:func:`preload`), which the children then share. Safe: the main process runs no
thread, and every child is forked before the PDF printer starts (which ends when
its input closes: no child may hold a copy). A child turns whatever ends a run into a
:class:`Result`: bad input or a full disk as one line (no crash report, no
``sphinx-err-*.log``), a bug with its traceback.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import io
import multiprocessing
import os
import pkgutil
import re
import signal
import sys
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from multiprocessing.connection import Connection
from pathlib import Path
from types import ModuleType
from typing import Any

from .lock import STOP_SIGNALS, die_with_parent, end_children, stop_on


class Ending(IntEnum):
    """How a Sphinx run ended (a language process that stops on one exits with it)."""

    PASSED = 0
    WARNINGS = 1  # every page written, then failed on its warnings (-W --keep-going)
    REFUSED = 2  # bad input stopped it: Result.message says where and the fix
    DISK_FULL = 3  # the disk took no more of Sphinx's files (Result.message): its caches may be half written
    CRASHED = 4  # anything else: a bug, its traceback printed above
    INTERRUPTED = 5  # Ctrl-C or a stop signal: the process exits with it, and sends no Result


@dataclass(frozen=True)
class SphinxRun:
    """One run of one builder, as `sphinx-build -W --keep-going -n -q` would make it."""

    builder: str
    srcdir: Path
    confdir: Path
    outdir: Path
    doctreedir: Path
    jobs: str = "1"  # a number, or "auto": one per core
    overrides: tuple[tuple[str, Any], ...] = ()  # Sphinx's confoverrides (-D), the language among them
    epoch: int | None = None  # SOURCE_DATE_EPOCH, which Sphinx reads (the e-books' dates, the copyright year)


@dataclass(frozen=True)
class Result:
    ending: Ending
    message: str = ""  # REFUSED or DISK_FULL: the one line; CRASHED: how the process ended, if it did
    warnings: tuple[str, ...] = ()  # the warning lines printed, each with its fix


# Sphinx's and MyST's own warnings say what is wrong but not what to do: the fix for each
# kind we have met, matched in the warning's text (first match wins).
WARNING_FIXES = (
    ("isn't included in any toctree", "list the page in a toctree (docs/source/index.md), or add "
     "`orphan: true` to its front matter"),
    ("toctree contains reference to", "list only pages that exist in the toctree (check the name)"),
    ("Unknown directive type", "check the directive's name (```{name}): Sphinx's, MyST's and this "
     "project's directives are listed in CONTRIBUTING.md and their documentation"),
    ("Unknown interpreted text role", "check the role's name: {fig}, {derived}, {name}, {doc}, {ref}, ..."),
    ("YAML", "correct the YAML front matter between the two --- lines at the top of the page"),
    ("topmatter", "correct the YAML front matter between the two --- lines at the top of the page"),
    ("Non-consecutive header level", "go down one heading level at a time (# then ##, never # then ###)"),
    ("undefined label", "link to a label that exists (check its spelling), or add the label"),
    ("unknown document", "link to a page that exists (its path without .md, from docs/source)"),
    ("target not found", "link to a page, label or entry that exists (check its spelling)"),
    ("duplicate", "give each label, heading anchor or entry its own name"),
    ("image file not readable", "put the image inside docs/source and name it relative to the page"),
    ("start-string without end-string", "close the markup, or put a backslash before the character"),
    ("Lexing literal_block", "give the code block its real language, or write ```text"),
)
FIX_ANY_WARNING = "correct the file at that line as the message says (any warning stops the build)"
WARNING_LINE = re.compile(r"\b(WARNING|ERROR|CRITICAL|SEVERE):")
# Sphinx colours its warnings on a terminal; the last line quotes the first one plain.
TERMINAL_COLOUR = re.compile(r"\x1b\[[0-9;]*m")


def with_fix(line: str) -> str:
    """A Sphinx warning line, with what to do appended when it gives none."""
    if not WARNING_LINE.search(line) or "Fix:" in line:
        return line
    fix = next((fix for clue, fix in WARNING_FIXES if clue.lower() in line.lower()), FIX_ANY_WARNING)
    return f"{line.rstrip()} Fix: {fix}."


class WarningsWithFixes(io.TextIOBase):
    """Sphinx's warning stream: each warning line given its fix, and kept (plain) in `seen`."""

    def __init__(self, stream: Any) -> None:
        self.stream, self.pending = stream, ""
        self.seen: list[str] = []

    @property
    def encoding(self) -> str:  # type: ignore[override]  # Sphinx encodes for the stream it wraps
        return getattr(self.stream, "encoding", None) or "utf-8"

    def write(self, text: str) -> int:
        *lines, self.pending = (self.pending + text).split("\n")
        for line in lines:
            fixed = with_fix(line)
            if WARNING_LINE.search(line):  # with_fix changes no other line
                self.seen.append(TERMINAL_COLOUR.sub("", fixed).strip())
            self.stream.write(fixed + "\n")
        return len(text)

    def flush(self) -> None:
        if self.pending:
            self.stream.write(with_fix(self.pending))
            self.pending = ""
        self.stream.flush()


def run_sphinx(run: SphinxRun) -> Result:
    """Run one builder in this process, strictly; whatever ends it becomes the Result."""
    from sphinx.application import Sphinx
    from sphinx.errors import SphinxError
    from sphinx.util.console import nocolor
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    from ..figures.reporting import bad_input_message, is_disk_fault

    if run.epoch is not None:  # in a language's process: for its own runs alone
        os.environ["SOURCE_DATE_EPOCH"] = str(run.epoch)
    if not sys.stderr.isatty():
        nocolor()  # as sphinx-build does away from a terminal: the warnings read plain in a log
    warnings = WarningsWithFixes(sys.stderr)
    try:
        # docutils' directives and roles are process-wide: each run registers its own afresh.
        with patch_docutils(run.confdir), docutils_namespace():
            app = Sphinx(run.srcdir, run.confdir, run.outdir, run.doctreedir, run.builder,
                         confoverrides={"nitpicky": True, **dict(run.overrides)}, status=None,
                         warning=warnings, warningiserror=True,
                         parallel=(os.cpu_count() or 1) if run.jobs == "auto" else int(run.jobs))
            app.build()
        return Result(Ending.WARNINGS if app.statuscode else Ending.PASSED, warnings=tuple(warnings.seen))
    except Exception as exc:  # noqa: BLE001 - every ending is reported, a bug's with its traceback
        if (message := bad_input_message(exc)) is not None:
            ending = Ending.DISK_FULL if is_disk_fault(message) else Ending.REFUSED
            return Result(ending, " ".join(message.split()), tuple(warnings.seen))
        if isinstance(exc, SphinxError) and exc.__cause__ is None:  # one Sphinx explains
            print(f"{exc.category}: {exc}", file=sys.stderr)  # (a configuration error, say)
        else:  # a bug (an extension's raises through Sphinx's): its traceback, for the report
            traceback.print_exception(exc)
        return Result(Ending.CRASHED, warnings=tuple(warnings.seen))
    finally:
        warnings.flush()


def preload(modules: Iterable[str], whole: bool = False) -> None:
    """Import *modules* (*whole*: with every module of those that are packages) for the children
    forked from now on to start with them: once per build, not per language (a fifteenth of a
    cold build's instructions). What one prints as it is imported is dropped: the child's
    Sphinx run could not silence it."""

    def load(name: str) -> ModuleType | None:
        with contextlib.suppress(Exception):  # any failure is the child's to meet and report
            return importlib.import_module(name)
        return None

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        for name in modules:
            module = load(name)
            for found in pkgutil.walk_packages(getattr(module, "__path__", []) if whole else [], f"{name}.",
                                               onerror=lambda name: None):
                if not found.name.endswith(".__main__"):  # a command, not a module to import
                    load(found.name)


def serve(connection: Connection, parent_ends: list[Connection], parent: int) -> None:
    """A language process: runs each SphinxRun the build sends, answers with its Result,
    and ends when the build closes its pipe (or ends itself)."""
    die_with_parent(parent)
    for end in parent_ends:  # so that the build's end closing is this pipe's end of file
        end.close()
    stop_on()  # a stop signal ends this process's Sphinx workers, then this process
    # Sphinx's doctrees live the whole run: every 700 allocations, the collector walked them for little garbage.
    gc.set_threshold(200_000, 10, 10)
    gc.enable()
    try:
        while True:
            try:
                run = connection.recv()
            except EOFError:
                return
            result = run_sphinx(run)
            sys.stderr.flush()  # before the build prints its last line
            connection.send(result)
    except KeyboardInterrupt:
        # Stopped for good (the build stops this process too): stop_on's handler interrupts
        # once, so no second KeyboardInterrupt cuts into the ending of its Sphinx workers;
        # after that, a stop signal acts as by default.
        end_children()
        for signum in (*STOP_SIGNALS, signal.SIGINT):
            signal.signal(signum, signal.SIG_DFL)
        sys.exit(Ending.INTERRUPTED)
    except BrokenPipeError:
        return  # the build has gone


class LanguageProcess:
    """The child process that runs one language's Sphinx builds."""

    started: list[Connection] = []  # the build's end of every language process's pipe

    def __init__(self, language: str) -> None:
        context = multiprocessing.get_context("fork")
        self.connection, child_end = context.Pipe()
        self.process = context.Process(target=serve, name=f"sphinx-{language}",
                                       args=(child_end, [self.connection, *LanguageProcess.started], os.getpid()))
        # Out of the collector's sight from now on: a collection in the child would write to
        # each of these objects, and so copy every page of memory the fork shares.
        gc.freeze()
        self.process.start()
        gc.enable()  # off in __main__ while the build imported
        child_end.close()
        LanguageProcess.started.append(self.connection)

    def run(self, run: SphinxRun) -> Result:
        try:
            self.connection.send(run)
            return self.connection.recv()
        except (EOFError, BrokenPipeError):
            self.process.join()
            code = self.process.exitcode
            if code == Ending.INTERRUPTED or code in (-signal.SIGINT, *(-s for s in STOP_SIGNALS)):
                raise KeyboardInterrupt from None
            how = f"killed by {signal.Signals(-code).name}" if code and code < 0 else f"exit {code}"
            return Result(Ending.CRASHED, f"its Sphinx process ended: {how}")

    def close(self, stop: bool = False) -> None:
        """Let the process end (its pipe closed), and wait for it; with *stop*, end it now."""
        LanguageProcess.started.remove(self.connection)
        self.connection.close()
        if stop and self.process.is_alive():
            self.process.terminate()
        self.process.join()
