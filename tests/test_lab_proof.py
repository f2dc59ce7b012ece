"""The workbench's proof in the background (#26), in a real JupyterLab and Chromium: a move
whose first answer has no plan yet is answered by the proof's thread, and what that thread
puts on screen reaches the browser. The first answer here is given a nanosecond, so every
move goes through the thread, whatever the machine's speed; the funded needs shown must
be the exact solve's, computed in this process as ``digiramme allocate`` would."""

from __future__ import annotations

import shutil

import nbformat
import pytest
import test_lab
from test_lab import SHOTS, TOKEN, chromium_page, funded, press_on, run_all, solved

from analysis.inputs import paths
from analysis.inputs.dataset import load_dataset
from analysis.inputs.parameters import Options
from analysis.model.state import EventState

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium er ikke installeret"),
]

lab = test_lab.lab  # the same JupyterLab fixture, a server of this module's own

CELL = """\
from analysis import workbench
from analysis.inputs.dataset import load_dataset

box = workbench.explorer(load_dataset(), first_answer=1e-9)
box
"""


def test_the_proofs_answer_reaches_the_browser(lab):
    template = nbformat.read(paths.NOTEBOOK_DIR / "02_allokering.ipynb", as_version=4)
    notebook = nbformat.v4.new_notebook(metadata=template.metadata)
    notebook.cells = [nbformat.v4.new_code_cell(CELL)]
    nbformat.write(notebook, lab["root"] / "bevis.ipynb")
    data = load_dataset()
    base = Options(explain=True, explain_time_limit=1.0)  # as the workbench asks (no plan year)
    SHOTS.mkdir(parents=True, exist_ok=True)
    with chromium_page(f"{lab['url']}/lab/tree/bevis.ipynb?token={TOKEN}") as page:
        run_all(page)
        assert "Beregnet ✓" in solved(page, 0, timeout=180)
        exact = EventState.for_plan(data, base).option()
        assert funded(page) == exact.selected
        # Aflastning's weight to its top (5): the proof's thread answers, the page shows it.
        assert "Beregnet ✓" in press_on(page, page.locator(".dr-wb"), "Aflastning", "End")
        moved = EventState.for_plan(data, base).option(base.changed(weights=(1.0, 5.0, 1.0, 1.0)))
        assert moved.selected != exact.selected  # the move changes the plan (test_lab)
        assert funded(page) == moved.selected
        page.screenshot(path=str(SHOTS / "workbench-proof.png"))
