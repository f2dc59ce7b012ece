"""Provenance: which inputs, parameters, package version and git commit made a report."""

from __future__ import annotations

import hashlib
import platform
import subprocess
from pathlib import Path

import pandas as pd

from analysis import __version__
from analysis.inputs import paths
from analysis.inputs.cells import format_plain
from analysis.report.blocks import Table

INPUT_LABELS = {
    "register": "Behovsregister",
    "frame": "Ramme",
    "pl_index": "P/l-indeks",
    "claims": "Notatets tekst (beløb)",
    "bevillinger": "Bevillinger",
    "forbrug": "Forbrug",
    "gevinster": "Gevinster",
    "range_claims": "Notatets omkostningsspænd",
    "remarks": "Notatets uoverensstemmelser",
    "previous_register": "Forrige behovsregister",
}


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


UNKNOWN_DIRTY = " (lokale ændringer ukendt: git svarede ikke i tide)"


def git_commit(root: Path = paths.ROOT) -> str | None:
    """The checkout's commit, with ``+lokale ændringer`` when the tree differs from it.

    The commit is read on its own, so a slow ``git status`` never loses it; the status
    compares notebooks as they are (``cat``) instead of running the notebook filter
    ``make setup`` installs, which starts Python once per notebook and took 9–14 s on a
    busy machine."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None

    def git(*args: str, timeout: float) -> str:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True, timeout=timeout)
        return done.stdout

    try:
        changed = [
            line[3:]
            for line in git(
                "-c", "filter.nbstripout.clean=cat", "status", "--porcelain", "--untracked-files=no", timeout=30
            ).splitlines()
            if line.strip()
        ]
        # a notebook that differs byte for byte may differ only in what the filter strips:
        # ask again for those alone, through the filter
        notebooks = [path for path in changed if path.endswith(".ipynb")]
        if notebooks and len(notebooks) == len(changed):
            changed = [line for line in git("diff", "--name-only", "HEAD", "--", *notebooks, timeout=60).splitlines()]
    except subprocess.TimeoutExpired:
        return commit + UNKNOWN_DIRTY
    except (OSError, subprocess.SubprocessError):
        return commit
    return f"{commit} +lokale ændringer" if changed else commit


# The libraries whose version can change a report's numbers: HiGHS's choice between plans of
# equal value (and its time-limited answers), numpy's random streams (the robustness draws),
# pandas' arithmetic and Babel's Danish number formats. Distribution name → how a reader knows it.
LIBRARIES = {"highspy": "HiGHS (highspy)", "numpy": "numpy", "pandas": "pandas", "babel": "Babel"}


def library_versions() -> dict[str, str]:
    """Each of :data:`LIBRARIES` with its installed version (from the package metadata)."""
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for distribution in LIBRARIES:
        try:
            found[distribution] = version(distribution)
        except PackageNotFoundError:
            found[distribution] = "ikke installeret"
    return found


def describe(sources: dict[str, Path], parameters: dict | None = None, shown: dict[str, Path] | None = None) -> dict:
    """Everything needed to reproduce a result, as plain data. ``shown``: the path to record
    for an input read from a copy (the run's snapshot), whose hash is the copy's."""
    shown = shown or {}
    return {
        "inputs": {key: {"path": str(shown.get(key, path)), "sha256": sha256(path)} for key, path in sources.items()},
        "parameters": dict(parameters or {}),
        "version": __version__,
        "commit": git_commit(),
        "python": platform.python_version(),
        "libraries": library_versions(),
    }


def _shown(value) -> str:
    """A parameter as a Danish reader writes it: a list as its items (or "ingen"), a
    weighting as 1/2/1/1, a decimal with a comma (0,03; 10 for 10.0), yes/no as ja/nej,
    not Python's repr. Whole numbers stay as typed: they are years, seeds and counts."""
    if isinstance(value, list | tuple):
        if not value:
            return "ingen"
        if all(isinstance(v, int | float) for v in value):
            return "/".join(_shown(v) for v in value)
        return ", ".join(_shown(v) for v in value)
    if value is None:
        return "ikke angivet"
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float):  # Danish, as typed: 0,03; 10; 1.000.000 (not 1e+06)
        return format_plain(value)
    return str(value)


def table(sources: dict[str, Path], parameters: dict | None = None) -> Table:
    """The provenance as a table for the end of a report page."""
    info = describe(sources, parameters)
    rows = [
        (f"Inddata: {INPUT_LABELS.get(key, key)}", f"{Path(item['path']).name} (sha256 {item['sha256']})")
        for key, item in info["inputs"].items()
    ]
    rows += [(f"Parameter: {key}", _shown(value)) for key, value in info["parameters"].items()]
    rows += [
        ("digiramme-version", info["version"]),
        ("Git-commit", info["commit"] or "ingen git-historik"),
        ("Python", info["python"]),
        *((LIBRARIES[name], found) for name, found in info["libraries"].items()),
    ]
    return Table(pd.DataFrame(rows, columns=["Oplysning", "Værdi"]), caption="Herkomst")


def state_table(state, *parts: str) -> Table:
    """The provenance at the end of a page, from the event state it shows: each input by its
    file's name and the hash the state was built from, the report's year and event, and the
    settings the page rests on (``parts``: ``grid``, ``options`` the main option's rules and
    decisions at the plan year, ``judged`` the option robustness judges, ``sampling``,
    ``rules``)."""
    settings = state.settings
    chosen = {"year": state.event.year, "event": state.event.kind}
    for part in parts:
        if part == "grid":
            chosen |= settings.grid.as_dict()
        elif part == "options":
            chosen |= (state.allocation.base if state.allocation is not None else settings.options).as_dict()
        elif part == "judged":
            chosen |= {"plan_year": state.plan_year} | state.judged.as_dict()
        elif part in ("sampling", "rules"):
            chosen |= getattr(settings, part).as_dict()
    rows = [
        (f"Inddata: {INPUT_LABELS.get(key, key)}", f"{Path(path).name} (sha256 {state.fingerprint.get(key, '?')})")
        for key, path in state.data.sources.items()
        if key in state.fingerprint
    ]
    rows += [(f"Parameter: {key}", _shown(value)) for key, value in chosen.items()]
    rows += [
        ("digiramme-version", __version__),
        ("Git-commit", git_commit() or "ingen git-historik"),
        ("Python", platform.python_version()),
        *((LIBRARIES[name], found) for name, found in library_versions().items()),
    ]
    return Table(pd.DataFrame(rows, columns=["Oplysning", "Værdi"]), caption="Herkomst")
