"""One snapshot of the inputs per run: every input file is copied once, at the start, into
a private folder, and everything the run reads (every page, the Excel appendix, the
provenance) reads the copy. A register replaced while a report renders (atomically, as
``collect --out`` writes) can then no longer give one report from two registers.

Each copy keeps its file's name (in a sub-folder of its own), so every message and every
page names the file as the analyst knows it; the provenance records the original path with
the copy's hash.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from analysis.inputs.findings import ERROR, Finding, InputError, os_error_text


@dataclass
class Snapshot:
    """The private folder, and for each input its copy and its original."""

    folder: Path
    copies: dict[str, Path] = field(default_factory=dict)
    originals: dict[str, Path] = field(default_factory=dict)
    _by_copy: dict[str, Path] = field(default_factory=dict)

    def add(self, key: str, original: str | Path) -> Path:
        """Copy ``original`` (once: the same file again gives the same copy)."""
        original = Path(original)
        known = next((c for c, o in self._by_copy.items() if o == original), None)
        if known is not None:
            copy = Path(known)
        else:
            place = self.folder / str(len(self._by_copy))
            place.mkdir()
            copy = place / (original.name or "fil")
            try:
                shutil.copyfile(original, copy)
            except FileNotFoundError:
                raise InputError([Finding(ERROR, original.name, f"filen findes ikke ({original})")]) from None
            except OSError as exc:
                raise InputError(
                    [Finding(ERROR, original.name, f"filen kan ikke læses: {os_error_text(exc)}")]
                ) from None
            self._by_copy[str(copy)] = original
        self.copies[key] = copy
        self.originals[key] = original
        return copy

    def original(self, value):
        """``value`` with any copy's path (a str, a Path or a list of them) put back to its
        original: what a record of the run shows."""
        if isinstance(value, list | tuple):
            return type(value)(self.original(v) for v in value)
        if isinstance(value, str | Path) and str(value) in self._by_copy:
            found = self._by_copy[str(value)]
            return found if isinstance(value, Path) else str(found)
        return value

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def take(sources: dict[str, Path]) -> Snapshot:
    """Copy every file of ``sources`` (key → path) into a new private folder."""
    snapshot = Snapshot(Path(tempfile.mkdtemp(prefix="digiramme-inddata-")))
    try:
        for key, path in sources.items():
            if Path(path).is_file():
                snapshot.add(key, path)
            else:  # a folder, a missing file: the reader names the problem at the original path
                snapshot.copies[key] = Path(path)
                snapshot.originals[key] = Path(path)
    except BaseException:
        snapshot.remove()
        raise
    return snapshot
