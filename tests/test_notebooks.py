"""Notebooks are committed clean: no outputs, a tagged and documented parameters cell,
thin code (no function or class definitions)."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import papermill
import pytest

from analysis.inputs import paths
from analysis.report import render

NOTEBOOKS = sorted(paths.NOTEBOOK_DIR.glob("*.ipynb"))
REFERENCES = Path(__file__).parent / "notebooks"


def test_every_report_notebook_exists():
    for names in render.EVENTS.values():
        for name in names:
            assert (paths.NOTEBOOK_DIR / name).exists(), name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_is_committed_clean_and_thin(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and nb.cells.index(tagged[0]) == 1
    assert nb.metadata["kernelspec"]["name"] == render.KERNEL_NAME
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
            tree = ast.parse(cell.source)
            assert not [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef | ast.Lambda)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_parameters_are_typed_and_documented_for_papermill(path):
    parameters = papermill.inspect_notebook(str(path))
    assert parameters
    for name, info in parameters.items():
        assert info["inferred_type_name"] not in ("None", ""), name
        assert info["help"], name
    for name in ("year", "event", "register_path", "frame_path"):
        assert name in parameters


@pytest.mark.e2e
def test_notebook_runs_under_plain_papermill_from_another_folder(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "ud.ipynb"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "papermill",
            str(paths.NOTEBOOK_DIR / "01_behovsregister.ipynb"),
            str(out),
            "-k",
            render.KERNEL_NAME,
            "-p",
            "year",
            "2027",
            "--no-progress-bar",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    nb = nbformat.read(out, as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and "year = 2027" in injected[0].source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_nbval_reference_holds_exactly_the_notebooks_code(path):
    """tests/notebooks/ holds each notebook executed on the shipped data (make references);
    nbval compares fresh outputs with it, so it must run the very code that is committed."""
    reference = REFERENCES / path.name
    assert reference.exists(), f"kør `make references` for {path.name}"
    committed = [(c.cell_type, c.source) for c in nbformat.read(path, as_version=4).cells]
    stored = nbformat.read(reference, as_version=4)
    assert [(c.cell_type, c.source) for c in stored.cells] == committed, f"kør `make references` for {path.name}"
    outputs = [c for c in stored.cells if c.cell_type == "code" and c.outputs]
    assert outputs, "the reference has no outputs to compare"
    assert not any(o.get("output_type") == "error" for c in outputs for o in c.outputs)


def _defaults(path: Path) -> dict:
    return {name: ast.literal_eval(info["default"]) for name, info in papermill.inspect_notebook(str(path)).items()}
