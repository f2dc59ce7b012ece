"""What the package wrote into a report folder, and so may move: the manifest.

Every report folder holds ``.digiramme-filer.json``, listing each file the package wrote
with its size and sha256. Only a folder whose every file is on its list (unchanged) is
ever moved to the archive; anything else in it (a user's notes, a scenario kept there, a
page edited by hand) makes the run refuse, naming the files, before anything moves.
A report from before the manifest counts as ours only for the names a report has.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

MANIFEST = ".digiramme-filer.json"
DRAFT = ".digiramme-kladde"  # in a draft folder while it is written; gone before it is published

# the names a report had before the manifest (its marker, record, pages, appendix, PDF)
_LEGACY = re.compile(
    r"^(?:\.digiramme-rapport|koersel\.json|index\.html|metode\.html|bilag\.xlsx|rapport\.pdf"
    r"|\d{2}_[a-z0-9_]+\.html|notebooks/\d{2}_[a-z0-9_]+\.ipynb)$"
)
_SHOWN = 10  # names listed in a refusal; the rest are counted


def _sha256(path: Path) -> str:
    from analysis.report.provenance import sha256

    return sha256(path)


def _entries(folder: Path) -> list[tuple[str, Path]]:
    """Every entry below ``folder`` that is not a directory (symlinks as themselves), by
    its path relative to ``folder`` with ``/``; directories only as the way to their files,
    an empty one as itself."""
    found = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        base = Path(root)
        for name in list(dirs):
            if (base / name).is_symlink():
                files.append(name)  # a link to a folder is an entry of its own, never followed
                dirs.remove(name)
            elif not any((base / name).iterdir()):
                found.append(((base / name).relative_to(folder).as_posix() + "/", base / name))
        found += [((base / name).relative_to(folder).as_posix(), base / name) for name in files]
    return sorted(found)


def write(folder: Path) -> None:
    """List every file now in ``folder`` (all written by this run) in its manifest."""
    files = {
        rel: {"bytes": path.stat().st_size, "sha256": _sha256(path)}
        for rel, path in _entries(folder)
        if rel not in (MANIFEST, DRAFT) and path.is_file() and not path.is_symlink()
    }
    (folder / MANIFEST).write_text(json.dumps({"files": files}, indent=1, sort_keys=True), encoding="utf-8")


def _listed(folder: Path) -> dict | None:
    try:
        listed = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        return {}  # an unreadable manifest vouches for nothing
    return listed if isinstance(listed, dict) else {}


def foreign(folder: Path) -> list[str]:
    """The entries in ``folder`` the package did not write (or that changed since),
    sorted; empty when the whole folder is the package's own."""
    listed = _listed(folder)
    strange = []
    for rel, path in _entries(folder):
        if rel == MANIFEST:
            continue
        if path.is_symlink() or not path.is_file():
            strange.append(rel)
        elif listed is None:
            if not _LEGACY.match(rel):
                strange.append(rel)
        else:
            entry = listed.get(rel)
            if (
                not isinstance(entry, dict)
                or entry.get("bytes") != path.stat().st_size
                or entry.get("sha256") != _sha256(path)
            ):
                strange.append(rel)
    return strange


def foreign_text(folder: Path, names: list[str]) -> str:
    """One Danish line naming what in ``folder`` the package did not write."""
    shown = ", ".join(names[:_SHOWN])
    more = f" og {len(names) - _SHOWN} flere" if len(names) > _SHOWN else ""
    return (
        f"{folder} er en tidligere rapport, men den indeholder filer, som digiramme ikke har skrevet "
        f"(eller som er ændret siden): {shown}{more}; flyt dem ud af mappen, eller vælg en anden --out. "
        "Intet er flyttet."
    )
