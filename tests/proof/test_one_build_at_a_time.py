"""Issue 14, items 2 and 3: one build at a time per output folder, a swap with
no moment without a site, and SIGTERM/SIGHUP ending the build and its workers.
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import ROOT, build_command, build_env, checkout

from macrohard_docs.publish.build import publish
from macrohard_docs.publish.lock import LOCK_NAME, exchange

POLL = """
import os, sys
page, stop = sys.argv[1], sys.argv[2]
looks = misses = 0
while not os.path.exists(stop):
    looks += 1
    misses += not os.path.isfile(page)
print(looks, misses)
"""


def test_publishing_never_leaves_the_site_missing(tmp_path: Path) -> None:
    """Another process polling html/index.html through twenty publishes always finds it."""
    out, staging, stop = tmp_path / "out", tmp_path / "staging", tmp_path / "stop"
    for number in range(50):
        (staging / "html" / f"page{number}").mkdir(parents=True)
        (staging / "html" / f"page{number}" / "index.html").write_text(f"page {number}\n")
    (staging / "html" / "index.html").write_text("home\n")
    out.mkdir()
    publish(staging, out, "html")
    reader = subprocess.Popen([sys.executable, "-c", POLL, str(out / "html" / "index.html"), str(stop)],
                              stdout=subprocess.PIPE, text=True)
    try:
        for number in range(20):
            (staging / "html" / "index.html").write_text(f"home {number}\n")
            publish(staging, out, "html")
    finally:
        stop.touch()
        looks, misses = map(int, reader.communicate(timeout=60)[0].split())
    assert looks > 1000, "the reader hardly looked"
    assert misses == 0, f"html/index.html was missing {misses} times out of {looks}"
    assert (out / "html" / "index.html").read_text() == "home 19\n"
    assert sorted(p.name for p in out.iterdir()) == ["html"]  # nothing left beside it


def test_exchange_swaps_two_folders(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "mark").write_text("a")
    assert exchange(tmp_path / "a", tmp_path / "b"), "renameat2(RENAME_EXCHANGE) is not available here"
    assert (tmp_path / "b" / "mark").read_text() == "a" and not (tmp_path / "a" / "mark").exists()


class HeldLock:
    """The output folder's lock, held by this test as a running build would hold it."""

    def __init__(self, out: Path) -> None:
        out.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(out / LOCK_NAME, os.O_RDWR | os.O_CREAT)
        fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.ftruncate(self.fd, 0)
        os.write(self.fd, f"{os.getpid()}\n".encode())

    def release(self) -> None:
        os.close(self.fd)


def test_no_wait_exits_at_once_naming_the_running_build(tmp_path: Path) -> None:
    out = tmp_path / "out"
    held = HeldLock(out)
    try:
        run = subprocess.run(build_command(ROOT / "docs", out, "--pdf", "off", "--no-wait"), cwd=ROOT,
                             env=build_env(ROOT), capture_output=True, text=True, timeout=60, check=False)
    finally:
        held.release()
    assert run.returncode == 2
    assert f"another build (pid {os.getpid()}) is running" in run.stderr
    assert run.stderr.strip().splitlines()[-1].startswith("error: another build")
    assert sorted(p.name for p in out.iterdir()) == [LOCK_NAME]  # it touched nothing


def read_until(stream, needle: str, timeout: float) -> str:
    seen = ""
    deadline = time.monotonic() + timeout
    while needle not in seen and time.monotonic() < deadline:
        line = stream.readline()
        if not line:
            break
        seen += line
    return seen


def test_a_second_build_waits_then_builds_and_a_third_does_not_wait(tmp_path: Path) -> None:
    project = checkout(tmp_path / "project")
    out = tmp_path / "out"
    held = HeldLock(out)
    # What a running build has in the folder: its staging and its "unfinished" mark.
    # A build that did not wait would "recover" by deleting them.
    (out / ".staging" / "html").mkdir(parents=True)
    (out / ".staging" / "html" / "in-progress").write_text("x")
    (out / ".build-unfinished").touch()
    # The HTML editions alone: the lock is taken before any edition is built.
    waiting = subprocess.Popen(build_command(project / "docs", out, "--html-only", "--jobs", "1"),
                               cwd=project, env=build_env(project), stderr=subprocess.PIPE, text=True)
    try:
        said = read_until(waiting.stderr, "waiting", 60)
        assert f"another build (pid {os.getpid()}) is running; waiting" in said
        time.sleep(3)
        assert waiting.poll() is None, "it did not wait"
        assert (out / ".staging" / "html" / "in-progress").is_file(), "it recovered without the lock"
        held.release()
        # Now it builds (and recovers from the unfinished build: its own business now).
        said = read_until(waiting.stderr, "afresh", 60)
        assert "the last build did not finish" in said
        # It holds the lock now; held still (it cannot finish first, however
        # slow the third is to start), it is a running build to the third.
        os.kill(waiting.pid, signal.SIGSTOP)
        try:
            third = subprocess.run(build_command(project / "docs", out, "--html-only", "--no-wait"),
                                   cwd=project, env=build_env(project), capture_output=True, text=True,
                                   timeout=60, check=False)
        finally:
            os.kill(waiting.pid, signal.SIGCONT)
        assert third.returncode == 2
        assert f"another build (pid {waiting.pid}) is running" in third.stderr
        rest = waiting.communicate(timeout=900)[1]
    finally:
        if waiting.poll() is None:
            waiting.kill()
    assert waiting.returncode == 0, rest
    assert (out / "html" / "index.html").is_file() and (out / "html" / "fr" / "index.html").is_file()


# --- Signals ------------------------------------------------------------------------


def processes() -> dict[int, tuple[int, int]]:
    """pid -> (parent pid, session id) of every process, from /proc."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            if fields[0] != "Z":  # a zombie is gone, only not yet reaped
                found[int(entry.name)] = (int(fields[1]), int(fields[3]))
    return found


def command_line(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def test_a_stop_signal_as_the_build_starts_is_reported(tmp_path: Path) -> None:
    """The first child of a build is git, asked for the content's date; a stop
    signal then is reported as any other (it once killed the build silently)."""
    project = checkout(tmp_path / "project")
    slow_bin = tmp_path / "bin"
    slow_bin.mkdir()
    (slow_bin / "git").write_text("#!/bin/sh\nexec sleep 30\n")
    (slow_bin / "git").chmod(0o755)
    env = build_env(project)
    env["PATH"] = f"{slow_bin}{os.pathsep}{env['PATH']}"
    build = subprocess.Popen(build_command(project / "docs", tmp_path / "out", "--pdf", "off"),
                             cwd=project, env=env, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and build.poll() is None and not [
                pid for pid, (parent, _) in processes().items()
                if parent == build.pid and command_line(pid).startswith(b"sleep")]:
            time.sleep(0.02)
        build.send_signal(signal.SIGTERM)
        stderr = build.communicate(timeout=60)[1]
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
    assert build.returncode == -signal.SIGTERM, stderr
    assert "stopped by SIGTERM" in stderr
    assert not (tmp_path / "out" / "html").exists()


def build_with_workers(project: Path, out: Path) -> subprocess.Popen:
    """A build of *project* with two Sphinx workers, returned once they are reading."""
    build = subprocess.Popen(build_command(project / "docs", out, "--pdf", "off", "--jobs", "2"),
                             cwd=project, env=build_env(project), stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
    deadline = time.monotonic() + 120
    workers: list[int] = []
    while not workers and time.monotonic() < deadline and build.poll() is None:
        # Sphinx's workers are forks: the build's own command line (git is not one).
        workers = [pid for pid, (parent, _) in processes().items()
                   if parent == build.pid and command_line(pid) == command_line(build.pid)]
        time.sleep(0.02)
    if not workers:
        os.killpg(build.pid, signal.SIGKILL)
        raise AssertionError("no Sphinx worker appeared")
    return build


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_stop_signal_ends_the_build_and_its_workers(tmp_path: Path, signum: int) -> None:
    project = checkout(tmp_path / "project")
    out = tmp_path / "out"
    build = build_with_workers(project, out)
    try:
        build.send_signal(signum)
        stderr = build.communicate(timeout=60)[1]
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
    assert build.returncode == -signum, stderr
    assert f"stopped by {signal.Signals(signum).name}" in stderr
    # None of its processes is left 5 s later (each is gone for good once gone:
    # nothing of the build is running to start another).
    deadline = time.monotonic() + 5
    while (left := [pid for pid, (_, session) in processes().items() if session == build.pid]) \
            and time.monotonic() < deadline:
        time.sleep(0.05)
    assert left == [], f"processes of the build still running: {left}"
    assert not (out / "html").exists()  # nothing half-built was published


SECOND_SIGNAL_WHILE_ENDING = """
import os, signal, time
from macrohard_docs.publish.lock import stop_on
stop_on()
try:
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(5)
except KeyboardInterrupt:
    # What a language process meets: Ctrl-C reached it, then the build stops it too.
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(0.2)
    print("ended its work once")
"""


def test_a_second_stop_signal_does_not_interrupt_the_ending() -> None:
    """The CI run that found it: a language process, interrupted by Ctrl-C, got the build's
    SIGTERM while it ended its Sphinx workers and printed a second KeyboardInterrupt's traceback."""
    run = subprocess.run([sys.executable, "-c", SECOND_SIGNAL_WHILE_ENDING], env=build_env(ROOT),
                         capture_output=True, text=True, timeout=30, check=False)
    assert (run.returncode, run.stdout.strip(), run.stderr) == (0, "ended its work once", "")


def test_ctrl_c_says_interrupted_once(tmp_path: Path) -> None:
    """Issue 26: Ctrl-C, which a terminal sends to every process of the build, while Sphinx's
    workers read: one line saying so, no "Interrupted!", no worker's traceback, nothing published."""
    project = checkout(tmp_path / "project")
    out = tmp_path / "out"
    build = build_with_workers(project, out)
    try:
        os.killpg(build.pid, signal.SIGINT)
        stderr = build.communicate(timeout=60)[1]
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
    assert build.returncode == 2, stderr
    assert stderr.count("error: ") == 1 and stderr.strip().splitlines()[-1] == (
        f"error: interrupted; the last good site in {out} is unchanged."), stderr
    for noise in ("Interrupted!", "Traceback", "KeyboardInterrupt", "failed"):
        assert noise not in stderr, stderr
    assert not (out / "html").exists()
