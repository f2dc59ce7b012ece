"""Moving folders in one step: Linux's ``renameat2`` exchanges two folders atomically (the
target is at every moment the old report or the new one) and renames without replacing
(an existing archive, even an empty one, is never overwritten). Elsewhere, or on a file
system without it, two plain renames and a check stand in."""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
from pathlib import Path

from analysis import stopping

AT_FDCWD = -100
RENAME_NOREPLACE, RENAME_EXCHANGE = 1, 2
_UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP}


def _renameat2():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_RENAMEAT2 = _renameat2()


def _call(source: Path, target: Path, flags: int) -> bool:
    """True when renameat2 did it; False when it is not available here."""
    if _RENAMEAT2 is None:
        return False
    result = _RENAMEAT2(AT_FDCWD, os.fsencode(source), AT_FDCWD, os.fsencode(target), flags)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(source), None, str(target))


def exchange(a: Path, b: Path) -> None:
    """Swap the folders ``a`` and ``b``: afterwards ``b`` holds what ``a`` held and ``a``
    what ``b`` held. Without renameat2: ``b`` is renamed aside to ``a`` after ``a`` is
    renamed to a third name (a moment without ``b``, never a mixed folder)."""
    if _call(a, b, RENAME_EXCHANGE):
        return
    aside = a.with_name(a.name + "~")
    os.rename(a, aside)
    os.rename(b, a)
    os.rename(aside, b)


def rename_noreplace(source: Path, target: Path) -> None:
    """Rename ``source`` to ``target``; raises FileExistsError when ``target`` exists."""
    if _call(source, target, RENAME_NOREPLACE):
        return
    if os.path.lexists(target):
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(target))
    os.rename(source, target)


def sigterm_deferred():
    """SIGTERM waits (is raised at the end) while the folders move, so a scheduler's stop
    never lands between the two steps of a swap."""
    return stopping.deferred()
