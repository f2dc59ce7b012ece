"""One state of the plan per event (#35): the ledger is built once, the pages read the state
and never compute it again, a notebook refuses a state made from other inputs, and every
fact a report shows in more than one place is the same model value."""

from __future__ import annotations

import ast
import json
import pickle
from pathlib import Path

import nbformat
import pytest

from analysis.inputs import dataset, paths
from analysis.inputs.parameters import Sampling
from analysis.inputs.settings import Settings
from analysis.model import economics, ledger, plan, transfers
from analysis.model.allocation import solver
from analysis.model.cycle import Event
from analysis.report import state_file

PACKAGE = Path(__file__).resolve().parents[1] / "analysis"
REPORT = PACKAGE / "report"
# What only the model's steps may call: building the ledger, solving, and the economics, the
# transfers and the follow-up they compute. A report module that calls one of these computes
# what a page should only show.
FORBIDDEN_IN_REPORT = {
    "from_table",  # Ledger.from_table: the ledger is built once, by the state
    "allocate",
    "allocate_option",
    "run_all",
    "run_scenario",
    "variant_fits",
    "start_year_fit",
    "measures",
    "change",
    "in_and_out",
    "by_group",
    "commitments",
    "position",
    "followup_run",
    "robustness_run",
    "reference_options",
    "flows",
    "npv",
    "payback",
    "portfolio",
    "portfolio_flows",
    "need_economics",
    "npv_range",
    "benefits_followed",
    "reductions_in_year",
    "of_option",
    "of_needs",
}
# the modules a name above may come from (a local function of the same name is no call of theirs)
MODEL_MODULES = {"comparison", "runs", "economics", "ledger", "Ledger", "plan", "transfers", "followup", "robustness",
                 "allocation", "business_case", "kroner", "analysis"}  # fmt: skip


def _calls(path: Path, root: Path = PACKAGE):
    """Every call in ``path`` of a model function by a module's attribute (``comparison.measures``)
    or by a name imported from a model module (``from analysis.model.allocation import allocate``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("analysis.model")
        for alias in node.names
    }
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in FORBIDDEN_IN_REPORT:
            owner = func.value.id if isinstance(func.value, ast.Name) else getattr(func.value, "attr", "")
            if owner in MODEL_MODULES:
                yield f"{path.relative_to(root)}:{node.lineno} {owner}.{func.attr}"
        elif isinstance(func, ast.Name) and func.id in FORBIDDEN_IN_REPORT and func.id in imported:
            yield f"{path.relative_to(root)}:{node.lineno} {func.id}"


def test_no_report_module_builds_the_ledger_solves_or_computes_a_model_quantity():
    found = [call for path in sorted(REPORT.rglob("*.py")) for call in _calls(path)]
    assert not found, "a report module computes what the event state holds:\n" + "\n".join(found)


def test_the_scan_finds_a_page_that_solves(tmp_path):
    """The scan above can fail: a page that builds the ledger and solves is found."""
    page = tmp_path / "page.py"
    page.write_text(
        "from analysis.model.allocation import allocate\n"
        "from analysis.model import ledger\n"
        "def shown(data, options):\n"
        "    book = ledger.Ledger.from_table(data.followup.bevillinger, data.years)\n"
        "    return allocate(data.register, data.frame, options)\n",
        encoding="utf-8",
    )
    assert sorted(call.split(" ", 1)[1] for call in _calls(page, tmp_path)) == ["Ledger.from_table", "allocate"]


def test_the_ledger_is_built_in_one_place():
    """``Ledger.from_table`` is called by the event state alone (and by the ledger module's own
    reader): every page, command and the workbench read the state's ledger."""
    callers = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "from_table":
                callers.append(str(path.relative_to(PACKAGE)))
    assert callers == ["model/state.py"]


# --- the state, once, and the pages that read it ---------------------------------------------


SHIPPED = {"first": Event("OFS", 2025), "budget": Event("budget", 2027), "OFS": Event("OFS", 2026)}
QUICK = Settings(sampling=Sampling(samples=30, min_samples=20, adaptive=False, workers=1))


@pytest.fixture(scope="module")
def states(tmp_path_factory):
    """The shipped data's three events, every step computed, saved and loaded back as a
    notebook loads it."""
    from analysis.report import render

    folder = tmp_path_factory.mktemp("tilstande")
    out = {}
    for kind, event in SHIPPED.items():
        state = state_file.build(dataset.input_paths(), event, QUICK)
        render.compute_steps(state, PAGES[kind])  # as the renderer does, before any notebook runs
        (folder / kind).mkdir()
        out[kind] = state_file.save(state, folder / kind)
    return out


def _code_cells(name: str) -> list[str]:
    nb = nbformat.read(paths.NOTEBOOK_DIR / name, as_version=4)
    return [c.source for c in nb.cells if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])]


def _notebook_namespace(name: str, path: Path, event: Event) -> dict:
    """A notebook's namespace as papermill leaves it: its parameters cell run, then the
    report's values (the year, the event, the settings the state was made with, the state)."""
    nb = nbformat.read(paths.NOTEBOOK_DIR / name, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    namespace: dict = {}
    exec(cell.source, namespace)  # noqa: S102 - the committed notebook's own parameters cell
    injected = {"year": event.year, "event": event.kind, "state_path": str(path)}
    injected |= {"show_progress": False, "interactive": False}
    return namespace | QUICK.notebook_parameters(Path(name).stem) | injected


PAGES = {
    "first": ["01_behovsregister.ipynb", "02_allokering.ipynb", "05_businesscase.ipynb", "04_robusthed.ipynb"],
    "budget": ["01_behovsregister.ipynb", "02_allokering.ipynb", "05_businesscase.ipynb", "04_robusthed.ipynb"],
    "OFS": ["03_effektopfoelgning.ipynb", "02_allokering.ipynb", "05_businesscase.ipynb", "01_behovsregister.ipynb"],
}


def _refuse(*_args, **_kwargs):
    raise AssertionError("a page computed what the event state holds")


@pytest.mark.parametrize("kind", list(SHIPPED))
def test_every_page_of_a_report_reads_the_saved_state_and_computes_nothing(kind, states, monkeypatch):
    """Each notebook's code, run on the state the renderer saved, with the ledger's builder,
    the solver, the economics, the transfers and the commitments made to fail: no page, and
    not the index, computes anything the state holds."""
    from analysis.report import front_page, index_summary

    monkeypatch.setattr(ledger.Ledger, "from_table", classmethod(_refuse))
    monkeypatch.setattr(solver.Model, "solve", _refuse)
    monkeypatch.setattr(economics, "flows", _refuse)
    monkeypatch.setattr(transfers, "position", _refuse)
    monkeypatch.setattr(plan, "commitments", _refuse)
    for name in PAGES[kind]:
        namespace = _notebook_namespace(name, states[kind], SHIPPED[kind])
        for source in _code_cells(name):
            exec(compile(source, name, "exec"), namespace)  # noqa: S102 - the committed notebook's code
    state = state_file.load(states[kind])
    index_summary.report_summary(state), front_page.resume(state)  # noqa: B018


def test_a_notebook_refuses_a_state_made_from_other_inputs_or_parameters(states, write):
    namespace = {"year": 2027, "event": "budget", "state_path": str(states["budget"])}
    assert state_file.for_notebook("01_behovsregister", namespace).event == Event("budget", 2027)
    with pytest.raises(state_file.StaleState, match="year, event"):
        state_file.for_notebook("01_behovsregister", namespace | {"year": 2028})
    other = write("reg.csv", paths.DEFAULT_REGISTER.read_text(encoding="utf-8") + "\n")  # another file's bytes
    with pytest.raises(state_file.StaleState, match="register_path"):
        state_file.for_notebook("01_behovsregister", namespace | {"register_path": str(other)})
    with pytest.raises(state_file.StaleState, match="force_out"):
        state_file.for_notebook("02_allokering", namespace | {"force_out": ["AI-01"]})
    with pytest.raises(state_file.StaleState, match="samples"):
        state_file.for_notebook("04_robusthed", namespace | {"samples": 31})


def test_a_notebook_alone_builds_the_state_the_renderer_saved(states):
    """Papermill's parameters stay the contract: the notebook's own parameters build the same
    state (the same main option and figures) as the one the renderer handed it."""
    saved = state_file.load(states["budget"])
    alone = state_file.for_notebook(
        "02_allokering", {"year": 2027, "event": "budget"} | QUICK.notebook_parameters("02_allokering")
    )
    assert alone.main.selected == saved.main.selected
    assert alone.key_figures.decided == saved.key_figures.decided
    assert alone.fingerprint["register"] == saved.fingerprint["register"]


def test_a_saved_state_loads_back_equal(states):
    state = state_file.load(states["OFS"])
    again = pickle.loads(pickle.dumps(state))
    assert again.followup.pools.equals(state.followup.pools)
    assert json.dumps(again.settings.as_parameters()) == json.dumps(state.settings.as_parameters())
