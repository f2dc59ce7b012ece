"""Where a report lands: the folder it may replace (only one this package wrote), the
archive of the report it replaces, and the lock that keeps two runs from writing one
report."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from datetime import datetime
from pathlib import Path

from analysis.inputs import paths
from analysis.inputs.findings import BadArgument
from analysis.report import locks
from analysis.report.render import manifest, swap
from analysis.report.render.manifest import DRAFT

RUN_FILE = "koersel.json"  # when and how a report was made
ARCHIVE = "arkiv"
MARKER = ".digiramme-rapport"  # written in every report folder: only such a folder is ever replaced


def replace(staging: Path, target: Path) -> None:
    """Put the finished folder in place, in one step: the target is at every moment the old
    report or the whole new one. The report it replaces is kept under
    ``<parent>/arkiv/<name>/<its date>/`` (the date its marker was written, never a value
    read from a file in it); a second run the same day gets ``<date>-2`` and so on, so no
    archive is ever overwritten. Only a folder whose every file the package wrote moves
    (checked again here, just before the move); SIGTERM waits while the folders move."""
    with swap.sigterm_deferred():
        if target.exists():
            strange = manifest.foreign(target)
            if strange:
                raise BadArgument(manifest.foreign_text(target, strange))
            (staging / DRAFT).unlink()  # from here on the folder is a whole report
            swap.exchange(staging, target)  # the old report now lies where the draft was
            try:
                archive_folder(staging, target)
            except BaseException:
                swap.exchange(staging, target)  # put the old report back; the draft is the caller's to remove
                _mark_draft(staging)
                raise
        else:
            (staging / DRAFT).unlink()
            swap.rename_noreplace(staging, target)


def archive_folder(folder: Path, target: Path) -> Path:
    """Move an earlier report ``folder`` of ``target`` into the archive; returns where."""
    base = target.parent / ARCHIVE / target.name / archive_date(folder)
    base.parent.mkdir(parents=True, exist_ok=True)
    k = 2
    archive = base
    while True:
        try:
            swap.rename_noreplace(folder, archive)
            return archive
        except FileExistsError:
            archive = base.with_name(f"{base.name}-{k}")
            k += 1


def archive_date(folder: Path) -> str:
    """The day a report was written: its marker's (or, from before the marker, its record's
    or the folder's) modification time, as ``YYYY-MM-DD``; computed, never read."""
    for path in (folder / MARKER, folder / RUN_FILE, folder):
        try:
            return datetime.fromtimestamp(path.stat().st_mtime).date().isoformat()
        except OSError:
            continue
    return datetime.now().date().isoformat()


def draft_folder(target: Path) -> Path:
    """A new hidden draft folder beside ``target``, marked as a draft of this package."""
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    _mark_draft(staging)
    return staging


def _mark_draft(folder: Path) -> None:
    (folder / DRAFT).write_text("Kladde skrevet af digiramme; fjernes af næste kørsel.\n", encoding="utf-8")


def remove_draft(folder: Path) -> None:
    """Remove ``folder`` if it is still a draft of this package (never a whole report)."""
    if (folder / DRAFT).is_file():
        shutil.rmtree(folder, ignore_errors=True)


def recover(target: Path) -> None:
    """Under the lock, before a run: what a run killed (SIGKILL) left beside ``target``.
    A draft folder (still marked as one) is removed; a whole report (the old one, moved
    aside by the swap the killed run did not finish) goes to the archive. Anything else
    is left alone."""
    if not target.parent.is_dir():
        return
    pattern = re.compile(re.escape(f".{target.name}.") + r"[A-Za-z0-9_]{8}$")
    for folder in sorted(target.parent.iterdir()):
        if not pattern.match(folder.name) or folder.is_symlink() or not folder.is_dir():
            continue
        if (folder / DRAFT).is_file():
            shutil.rmtree(folder, ignore_errors=True)
        elif is_report(folder) and not manifest.foreign(folder):
            archive_folder(folder, target)


def is_report(folder: Path) -> bool:
    """A folder this package wrote: it holds the marker (or, from before the marker, a
    koersel.json with the run's provenance)."""
    if (folder / MARKER).is_file():
        return True
    try:
        return "provenance" in json.loads((folder / RUN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError):
        return False


def check_target(target: Path, sources: dict[str, Path]) -> None:
    """Refuse, before anything is written, a report folder that would cost the user a file:
    the project root, a folder holding an input file, an ancestor of either, a file, a
    non-empty folder that is not an earlier report, or a place that cannot be written."""
    target = target.resolve()
    root = paths.ROOT.resolve()
    protected = {root: "projektets rod"} | {
        Path(p).resolve().parent: f"mappen med inddatafilen {Path(p).name}" for p in sources.values()
    }
    for folder, what in protected.items():
        if target == folder or target in folder.parents:
            raise BadArgument(f"--out {target} er {what} eller en mappe over den; vælg en ny mappe til rapporten")
    if target.exists():
        if not target.is_dir():
            raise BadArgument(f"--out {target} er en fil, ikke en mappe")
        if any(target.iterdir()) and not is_report(target):
            raise BadArgument(
                f"--out {target} er en mappe med andre filer og ikke en tidligere digiramme-rapport; "
                "vælg en tom eller ny mappe"
            )
        strange = manifest.foreign(target) if any(target.iterdir()) else []
        if strange:
            raise BadArgument(manifest.foreign_text(target, strange))
    existing = target
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise BadArgument(f"--out {target} kan ikke oprettes: {existing} er en fil")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise BadArgument(f"--out {target} kan ikke skrives: ingen skriveadgang til {existing}")


@contextlib.contextmanager
def lock(target: Path):
    """One run at a time per report folder: a second run exits at once, saying why (the
    command line has usually taken the lock already, before loading anything)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with locks.held(target):
        yield


def _copy_order(name: str) -> tuple:
    """Archive copies are named by date, a second one the same day ``<date>-2``."""
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?:-(\d+))?", name)
    return (match.group(1), int(match.group(2) or 1)) if match else ("", 0)


def prune(reports: Path, keep: int, dry_run: bool = False) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Keep the newest ``keep`` archived copies of each report under ``reports/arkiv/`` and
    remove the older ones, but only a copy the package wrote whole (its marker, and every
    file on its manifest, unchanged). Returns what was (or, with ``dry_run``, would be)
    removed, and what was kept although old, with why."""
    removed, spared = [], []
    root = reports / ARCHIVE
    if not root.is_dir():
        return removed, spared
    for report in sorted(p for p in root.iterdir() if p.is_dir() and not p.is_symlink()):
        copies = sorted(
            (p for p in report.iterdir() if p.is_dir() and not p.is_symlink() and _copy_order(p.name)[0]),
            key=lambda p: _copy_order(p.name),
        )
        for copy in copies[: max(len(copies) - keep, 0)]:
            if not is_report(copy):
                spared.append((copy, "ikke en rapport skrevet af digiramme"))
                continue
            strange = manifest.foreign(copy)
            if strange:
                spared.append((copy, "indeholder filer, som digiramme ikke har skrevet: " + ", ".join(strange[:5])))
                continue
            if not dry_run:
                shutil.rmtree(copy)
            removed.append(copy)
    return removed, spared
