"""Bad input stops the build with one sentence, not a crash report.

Every error the extension raises about the project's own files (the figures
data, a catalog, a page) is a :class:`BadInput` reading "FILE:LINE: problem.
Fix: what to do.". Sphinx reports any exception as a crash (a traceback, a bug
report invitation, a ``sphinx-err-*.log``); the build command
(macrohard_docs.publish.sphinxrun) asks :func:`bad_input_message` which are
ours, and prints those as the sentence alone; a real crash keeps its traceback.
"""

from __future__ import annotations

import difflib
import errno
import re

from sphinx.errors import SphinxError, SphinxParallelError


class BadInput(SphinxError):
    """A file of the project that cannot be used as it is; the message names it, its line and the fix."""

    category = "Bad input"


def _our_error_names(cls: type = BadInput) -> set[str]:
    """The qualified names of BadInput and its subclasses, as a parallel worker writes them."""
    return {f"{cls.__module__}.{cls.__qualname__}"}.union(*map(_our_error_names, cls.__subclasses__()))


# A parallel Sphinx worker sends its exception back as text only: "module.Class: message".
PARALLEL_ERROR = re.compile(r"^([\w.]+): (.*)$", re.DOTALL)

# A disk that cannot take Sphinx's files (its environment pickle, a page): a fault, not a bug.
DISK_ERRORS = {errno.ENOSPC: ("the disk is full", "free space on that disk"),
               errno.EDQUOT: ("the disk quota is used up", "free space on that disk"),
               errno.EROFS: ("it is read-only", "make the folder writable")}
PARALLEL_DISK_ERROR = re.compile(r"\[Errno (\d+)\][^']*'([^']+)'")
# What every disk fault's message says, and how is_disk_fault knows one.
DISK_FAULT = "cannot write Sphinx's files"
UNNAMED_FILE = "the output folder"  # a disk error's file when it names none: publish.build names the folder


def disk_message(code: int, filename: object) -> str:
    why, fix = DISK_ERRORS[code]
    return f"{filename}: {DISK_FAULT} ({why}). Fix: {fix}, or build elsewhere with --out DIR."


def bad_input_message(exception: BaseException) -> str | None:
    """The one-line message of a BadInput raised in this process or in a Sphinx worker, or of a
    full or read-only disk; else None."""
    if isinstance(exception, BadInput):
        return str(exception)
    if isinstance(exception, OSError) and exception.errno in DISK_ERRORS:
        return disk_message(exception.errno, exception.filename or UNNAMED_FILE)
    if isinstance(exception, SphinxParallelError):
        match = PARALLEL_ERROR.match(exception.message)
        if match and match.group(1) in _our_error_names():
            return match.group(2)
        if (disk := PARALLEL_DISK_ERROR.search(exception.message)) and int(disk.group(1)) in DISK_ERRORS:
            return disk_message(int(disk.group(1)), disk.group(2))
    cause = exception.__cause__ or exception.__context__
    return bad_input_message(cause) if cause is not None else None


def is_disk_fault(message: str) -> bool:
    """A full or read-only disk (disk_message): Sphinx's files may be half written."""
    return DISK_FAULT in message


def closest(word: str, choices: list[str]) -> str:
    """The nearest of *choices* to *word*, case aside, as " (did you mean 'x'?)"; else ""."""
    folded = {choice.casefold(): choice for choice in choices}
    match = difflib.get_close_matches(word.casefold(), list(folded), n=1)
    return f" (did you mean {folded[match[0]]!r}?)" if match else ""
