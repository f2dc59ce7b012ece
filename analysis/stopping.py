"""SIGTERM ends a command within about a second, whatever the main thread is doing.

The signal handler raises :class:`~analysis.cli.main.Terminated` so that a run unwinds and
cleans up as it always did; but Python runs a handler only between bytecodes of the main
thread, and HiGHS can hold the main thread for as long as its time limit (or an exception
raised in a ``__del__`` is swallowed). So a watcher thread also hears the signal (through
``signal.set_wakeup_fd``, written by the C-level handler at once): if the command has not
ended a moment later, it runs the cleanups the run registered (its draft folder, the
kernel's private folder, the kernel itself) and ends the process with exit code 143.

No imports beyond the standard library: any layer may register a cleanup.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable

GRACE_SECONDS = 0.8  # for the ordinary unwinding before the watcher steps in
EXIT_TERMINATED = 143
MESSAGE = "Stoppet (SIGTERM); midlertidige filer er fjernet, og en tidligere rapport er uændret."

_cleanups: dict[int, Callable[[], None]] = {}
_deferring = threading.Event()  # folders are moving: a SIGTERM waits until they have
_pending = threading.Event()
_lock = threading.Lock()
_ended = threading.Event()
_terminated = threading.Event()


@contextlib.contextmanager
def on_stop(cleanup: Callable[[], None]):
    """Run ``cleanup`` if the process is stopped by SIGTERM while in this block."""
    with _lock:
        key = id(cleanup)
        _cleanups[key] = cleanup
    try:
        yield
    finally:
        with _lock:
            _cleanups.pop(key, None)


def run_cleanups() -> None:
    with _lock:
        pending = list(_cleanups.values())[::-1]  # the innermost first
        _cleanups.clear()
    for cleanup in pending:
        with contextlib.suppress(BaseException):
            cleanup()


@contextlib.contextmanager
def deferred():
    """SIGTERM waits while in this block (a swap of two folders): the handler notes it,
    and it is raised again at the end of the block; the watcher waits for the block too.
    (Blocking the signal would not do: the kernel hands a process's signal to any thread
    that does not block it.)"""
    _deferring.set()
    try:
        yield
    finally:
        _deferring.clear()
        if _pending.is_set() and threading.current_thread() is threading.main_thread():
            _pending.clear()
            signal.raise_signal(signal.SIGTERM)


def defer_if_moving() -> bool:
    """For the signal handler: True when the signal must wait (noted for later)."""
    if _deferring.is_set():
        _pending.set()
        return True
    return False


def terminated() -> bool:
    """Whether a SIGTERM has arrived."""
    return _terminated.is_set()


def ended() -> None:
    """The command has ended on its own: the watcher stands down."""
    _ended.set()


def _watch(read_fd: int) -> None:
    while True:
        try:
            data = os.read(read_fd, 64)
        except OSError:
            return
        if not data:
            return
        if signal.SIGTERM in data:
            break
    _terminated.set()
    if _ended.wait(GRACE_SECONDS):
        return
    for _ in range(300):  # folders that are moving finish first (a swap takes milliseconds)
        if not _deferring.is_set():
            break
        if _ended.wait(0.1):
            return
    run_cleanups()
    with contextlib.suppress(BaseException):
        sys.stderr.write(MESSAGE + "\n")
        sys.stderr.flush()
    os._exit(EXIT_TERMINATED)


_wake: list[int] = []  # the watcher's pipe, written by set_wakeup_fd and by heard()


def heard() -> None:
    """For the Python-level handler: wake the watcher too, in case another library (an
    asyncio loop closing) has taken the wakeup fd since."""
    for fd in _wake:
        try:
            os.write(fd, bytes([signal.SIGTERM]))
        except OSError:
            pass


def install_watcher() -> bool:
    """Start the watcher (main thread only); returns whether it runs."""
    if threading.current_thread() is not threading.main_thread():
        return False
    read_fd, write_fd = os.pipe()
    os.set_blocking(write_fd, False)
    try:
        signal.set_wakeup_fd(write_fd, warn_on_full_buffer=False)
    except (ValueError, OSError):
        os.close(read_fd)
        os.close(write_fd)
        return False
    _wake.append(write_fd)
    threading.Thread(target=_watch, args=(read_fd,), name="digiramme-sigterm", daemon=True).start()
    return True
