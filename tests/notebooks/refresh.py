"""Write the nbval references: each committed notebook executed on the shipped data, with its
outputs, into this folder (``make references``).

``make test`` then runs nbval on these copies: nbval executes every cell again and compares
each output with the stored one, after the substitutions in ``sanitize.cfg`` (solve times,
memory addresses, embedded images). A changed number in a notebook therefore fails a test;
when the change is intended, run ``make references`` and commit the new copies.

The committed notebooks stay without outputs. ``tests/test_notebooks.py`` checks that every
reference holds exactly the code of its notebook, so the two cannot drift apart. Cells whose
output legitimately differs between checkouts (provenance: absolute paths and the git
commit) get nbval's ``nbval-ignore-output`` tag here; they still run.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
NOTEBOOKS = ROOT / "notebooks"
# cells whose output names this checkout, or draws a progress bar (a widget whose timings differ)
IGNORE_OUTPUT = ("provenance.state_table(", "progress_bar(show_progress)")


def reference(source: Path) -> nbformat.NotebookNode:
    """The notebook executed as it is (its own parameter defaults), from this folder."""
    nb = nbformat.read(source, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and any(marker in cell.source for marker in IGNORE_OUTPUT):
            tags = cell.metadata.setdefault("tags", [])
            if "nbval-ignore-output" not in tags:
                tags.append("nbval-ignore-output")
    # no cell timings: a refresh changes a reference only where an output changed
    NotebookClient(
        nb, kernel_name="digiramme", timeout=600, record_timing=False, resources={"metadata": {"path": str(HERE)}}
    ).execute()
    nb.metadata.pop("widgets", None)
    return nb


def main(names: list[str]) -> None:
    sources = [NOTEBOOKS / n for n in names] if names else sorted(NOTEBOOKS.glob("*.ipynb"))
    for source in sources:
        print(f"Kører {source.name} …", file=sys.stderr)
        nbformat.write(reference(source), HERE / source.name)
    print(f"Referencerne er skrevet til {HERE.relative_to(ROOT)}/", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
