"""One run at a time per report folder: ``.<name>.lock`` beside the folder, held with
``flock`` for the whole run.

The command line takes the lock before it loads the renderer or the data, so a second run
started a second after the first is refused at once; the renderer takes it too (for a
caller that renders without the command line) and finds it already held by this very run.
The lock is re-entrant within one thread only: another thread of the same process that
wants the same report is refused like another process.

Standard library only, so the command line can take the lock before anything heavy loads.
"""

from __future__ import annotations

import contextlib
import fcntl
import threading
from collections.abc import Iterator
from pathlib import Path

from analysis.report.errors import RenderError

_held: dict[Path, tuple[int, int]] = {}  # lock file → (thread that holds it, depth)
_guard = threading.Lock()


def lock_file(target: Path) -> Path:
    """The lock file of a report folder: ``reports/.2027-budget.lock`` for ``reports/2027-budget``."""
    return target.parent / f".{target.name}.lock"


def busy(target: Path) -> RenderError:
    return RenderError(f"en anden kørsel skriver allerede {target}; prøv igen, når den er færdig")


def is_busy(target: Path) -> bool:
    """Whether another run holds the report's lock (looks only; takes nothing)."""
    path = lock_file(target)
    with _guard:
        entry = _held.get(path)
    if entry is not None:
        return entry[0] != threading.get_ident()
    if not path.exists():
        return False
    with open(path, "rb") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
    return False


@contextlib.contextmanager
def held(target: Path) -> Iterator[None]:
    """Hold the report's lock for the block; raises :class:`RenderError` when another run
    (or another thread) holds it. ``target``'s folder must exist: the lock file is made there."""
    path = lock_file(target)
    me = threading.get_ident()
    with _guard:
        entry = _held.get(path)
        if entry is not None and entry[0] != me:
            raise busy(target)
        if entry is not None:  # this run took it already (the command line, before loading)
            _held[path] = (me, entry[1] + 1)
    if entry is not None:
        try:
            yield
        finally:
            with _guard:
                _held[path] = (me, _held[path][1] - 1)
        return
    with open(path, "a") as handle:  # "a": opening never empties the file another run holds
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise busy(target) from None
        with _guard:
            _held[path] = (me, 1)
        try:
            yield
        finally:
            with _guard:
                del _held[path]
            fcntl.flock(handle, fcntl.LOCK_UN)
