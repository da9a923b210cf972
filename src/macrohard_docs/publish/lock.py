"""One build at a time per output folder, an atomic swap, and clean stops.

* :class:`OutputLock`: ``fcntl.flock``, which the kernel drops however its
  holder exits (no stale lock); the holder's pid in the file, for a waiting
  build to name (filelock truncates the file as it locks).
* :func:`exchange`: ``renameat2(RENAME_EXCHANGE)`` (ctypes: the standard library
  lacks it) swaps the new site and the live one in one step, and ``html/`` stays
  a real folder, not a symlink every copy, zip or ``file://`` reader must follow.
* :func:`stop_on`, :func:`end_children`, :func:`die_with_parent`: SIGTERM and
  SIGHUP stop the build as Ctrl-C does, and no worker outlives it.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType

import psutil

LOCK_NAME = ".build.lock"


class BuildRunning(Exception):
    """Another build holds the output folder and the caller chose not to wait."""

    def __init__(self, pid: str) -> None:
        super().__init__(f"another build (pid {pid}) is running")


class OutputLock:
    """An exclusive lock on one output folder for the life of this process."""

    def __init__(self, out: Path) -> None:
        self.path = out / LOCK_NAME
        self.fd: int | None = None

    def holder(self) -> str:
        """The pid the holding build wrote; it writes it just after locking, so wait a moment for it."""
        for _ in range(50):
            with contextlib.suppress(OSError, UnicodeDecodeError):
                if (text := self.path.read_text(encoding="ascii").strip()).isdigit():
                    return text
            time.sleep(0.01)
        return "unknown"

    def acquire(self, wait: bool = True, say: Callable[[str], None] = lambda text: None) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                pid = self.holder()
                if not wait:
                    raise BuildRunning(pid) from None
                say(f"another build (pid {pid}) is running; waiting")
                fcntl.flock(fd, fcntl.LOCK_EX)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        except BaseException:
            os.close(fd)
            raise
        self.fd = fd

    def release(self) -> None:
        if self.fd is not None:
            os.ftruncate(self.fd, 0)
            os.close(self.fd)  # closing the last descriptor drops the flock
            self.fd = None


AT_FDCWD, RENAME_EXCHANGE = -100, 2  # linux/fcntl.h, linux/fs.h
UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV}


def exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths in one atomic step; False where the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2  # Linux, glibc 2.28 and later
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    if (code := ctypes.get_errno()) in UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(first), None, str(second))


STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
received: list[int] = []


def stop_on() -> None:
    """Make the stop signals and Ctrl-C interrupt the build (a KeyboardInterrupt, so that Sphinx
    ends its workers), in this process only. Sphinx's forked workers inherit the handler:
    there it puts the signal's default action back and dies of it, as a worker should."""
    main_pid = os.getpid()
    stopping = False

    def interrupt(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        if os.getpid() != main_pid:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        if stopping:
            # Once only: Ctrl-C reaches every process of the build, which then stops its
            # language processes too; a second KeyboardInterrupt, raised in the cleanup
            # the first one started, would print its traceback.
            return
        stopping = True
        if signum != signal.SIGINT:  # Ctrl-C: the build says "interrupted" and exits 2
            received.append(signum)
        raise KeyboardInterrupt

    for signum in (*STOP_SIGNALS, signal.SIGINT):
        signal.signal(signum, interrupt)
    received.clear()


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(parent: int) -> None:
    """Have the kernel kill this process, forked by *parent*, when the parent ends (Linux)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it ended before the call
        os._exit(1)


def end_children(grace: float = 2.0) -> None:
    """Terminate, then kill, every process this build started that still runs: the language
    processes first (each ends its own Sphinx workers), then anything left, Chromium's
    included (psutil finds them, children first, and waits for those not ours to reap)."""
    for child in multiprocessing.active_children():
        child.terminate()
    deadline = time.monotonic() + grace
    for child in multiprocessing.active_children():
        child.join(max(0.0, deadline - time.monotonic()))
    left = psutil.Process().children(recursive=True)
    for stop in (psutil.Process.terminate, psutil.Process.kill):
        for process in left:
            with contextlib.suppress(psutil.NoSuchProcess):
                stop(process)
        left = psutil.wait_procs(left, timeout=max(0.0, deadline - time.monotonic()))[1]
        deadline = time.monotonic() + 1.0
    for child in multiprocessing.active_children():  # reaps the ones that ended
        child.join(0)
