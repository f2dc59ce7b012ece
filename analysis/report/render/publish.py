"""Where a report lands: the folder it may replace (only one this package wrote), the
archive of the report it replaces, and the lock that keeps two runs from writing one
report."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from datetime import datetime
from pathlib import Path

from analysis.inputs import paths
from analysis.inputs.findings import BadArgument
from analysis.report.render.kernel import RenderError

RUN_FILE = "koersel.json"  # when and how a report was made; also names its archive folder
ARCHIVE = "arkiv"
MARKER = ".digiramme-rapport"  # written in every report folder: only such a folder is ever replaced


def replace(staging: Path, target: Path) -> None:
    """Put the finished folder in place. The report it replaces is kept under
    ``<parent>/arkiv/<name>/<its run date>/``; a second run the same day gets
    ``<run date>-2`` and so on, so no archive is ever overwritten."""
    if target.exists():
        base = target.parent / ARCHIVE / target.name / _run_date(target)
        base.parent.mkdir(parents=True, exist_ok=True)
        archive, k = base, 2
        while archive.exists():
            archive = base.with_name(f"{base.name}-{k}")
            k += 1
        target.rename(archive)
    staging.rename(target)


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
    existing = target
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise BadArgument(f"--out {target} kan ikke oprettes: {existing} er en fil")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise BadArgument(f"--out {target} kan ikke skrives: ingen skriveadgang til {existing}")


def _run_date(folder: Path) -> str:
    try:
        return json.loads((folder / RUN_FILE).read_text(encoding="utf-8"))["run_date"]
    except (OSError, ValueError, KeyError):
        return datetime.fromtimestamp(folder.stat().st_mtime).date().isoformat()


@contextlib.contextmanager
def lock(target: Path):
    """One run at a time per report folder: a second run exits at once, saying why."""
    target.parent.mkdir(parents=True, exist_ok=True)
    path = target.parent / f".{target.name}.lock"
    with open(path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RenderError(f"en anden kørsel skriver allerede {target}; prøv igen, når den er færdig") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
