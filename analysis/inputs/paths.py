"""Where things are. Every path is resolved from the project root, never from the
working directory of a notebook or a shell."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # analysis/


def project_root() -> Path:
    """The checkout holding ``data/`` and ``notebooks/``.

    ``DIGIRAMME_ROOT`` overrides; otherwise the folder above the installed package (the
    project is installed editable, see the Makefile); otherwise the working directory.
    """
    override = os.environ.get("DIGIRAMME_ROOT")
    if override:
        return Path(override).resolve()
    candidate = PACKAGE_DIR.parent
    if (candidate / "notebooks").is_dir():
        return candidate
    return Path.cwd()


ROOT = project_root()
DATA_DIR = ROOT / "data"
NOTEBOOK_DIR = ROOT / "notebooks"
REPORT_DIR = ROOT / "reports"

# Where the workbench's "Gem scenarie" writes; DIGIRAMME_SCENARIER overrides (the browser test).
SCENARIO_DIR = Path(os.environ.get("DIGIRAMME_SCENARIER") or ROOT / "scenarier")

DEFAULT_REGISTER = DATA_DIR / "behovsregister.csv"
DEFAULT_FRAME = DATA_DIR / "ramme.csv"
DEFAULT_PL_INDEX = DATA_DIR / "pl_indeks.csv"
DEFAULT_CLAIMS = DATA_DIR / "notat_tekst.csv"
DEFAULT_RANGE_CLAIMS = DATA_DIR / "notat_spaend.csv"
DEFAULT_REMARKS = DATA_DIR / "notat_bemaerkninger.csv"
DEFAULT_BEVILLINGER = DATA_DIR / "bevillinger.csv"
DEFAULT_FORBRUG = DATA_DIR / "forbrug.csv"
DEFAULT_GEVINSTER = DATA_DIR / "gevinster.csv"


def resolve(path: str | os.PathLike | None, default: Path | None = None) -> Path | None:
    """An input path as given on a command line or in a notebook parameter.

    Absolute paths stay; relative ones are tried from the working directory first (what a
    shell user means) and then from the project root (what a notebook default means).
    """
    if path is None or str(path) == "":
        return default
    candidate = Path(path).expanduser()
    if candidate.is_absolute():
        return candidate
    if candidate.exists():
        return candidate.resolve()
    return (ROOT / candidate).resolve()


LOOP = "stien går i ring: et symbolsk link peger på sig selv eller tilbage på et andet link"


def loop_problem(path: str | os.PathLike) -> str | None:
    """Why ``path`` cannot be followed, when it is a symbolic link pointing at itself (or a
    ring of links), anywhere along the path; None otherwise. ``Path.resolve`` raises a
    RuntimeError there and ``Path.exists`` says False, so a loop would read as a missing file
    or end a command with an unexpected error."""
    import errno

    try:
        os.stat(Path(path).expanduser())
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return f"{path}: {LOOP}"
    except ValueError:  # a NUL in the path: the reader names it
        return None
    return None


def write_atomically(path: Path, write) -> Path:
    """Call ``write(temporary_name)`` and rename the result onto ``path``: readers see the
    old file or the whole new one, and a failure leaves no half file behind."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    os.close(handle)
    try:
        write(temporary)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; these files are for readers
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
