"""Shared fixtures: small input files written into a temporary folder, and the reports of
the shipped data rendered once per test run.

Tiers: tests marked ``e2e`` render reports, run notebooks or drive a browser; ``make
test-fast`` runs everything else (``pytest -m "not e2e"``), ``make test`` runs all."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.inputs import paths
from analysis.report import render

# Robustness draws in the shared test renders: enough to fill every table and figure, far
# fewer than a real report's 1.000 (which `make report` and the nbval references use).
TEST_SAMPLES = 100


@pytest.fixture(autouse=True, scope="session")
def _crash_logs_in_a_test_folder(tmp_path_factory):
    """The crash logs tests provoke go to the test's own folder, not the system's /tmp
    (where each `make test` used to leave one)."""
    import os

    folder = tmp_path_factory.mktemp("logs")
    before = os.environ.get("DIGIRAMME_LOGS")
    os.environ["DIGIRAMME_LOGS"] = str(folder)
    yield
    if before is None:
        os.environ.pop("DIGIRAMME_LOGS", None)
    else:
        os.environ["DIGIRAMME_LOGS"] = before


@pytest.fixture
def write(tmp_path: Path):
    """write(name, text, encoding="utf-8") -> path of a new file in a temporary folder."""

    def _write(name: str, text: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding=encoding, newline="")
        return path

    return _write


@pytest.fixture
def shipped() -> dict[str, Path]:
    return {
        "register": paths.DEFAULT_REGISTER,
        "frame": paths.DEFAULT_FRAME,
        "pl_index": paths.DEFAULT_PL_INDEX,
        "claims": paths.DEFAULT_CLAIMS,
    }


# The shipped data's story, in KK's order: the first udmøntning, the next budget on the
# forecast, and the transfer case on the accounts.
SHIPPED_EVENTS = {"first": (2025, "OFS"), "budget": (2027, "budget"), "OFS": (2026, "OFS")}


@pytest.fixture(scope="session")
def rendered(tmp_path_factory):
    """rendered(kind) -> the folder of a report from the shipped data: ``first`` (OFS 25/26),
    ``budget`` (Budget 2027) or ``OFS`` (OFS 26/27), rendered once per test run and shared
    by every test that reads it. Tests must not modify it."""
    base = tmp_path_factory.mktemp("reports")
    done: dict[str, Path] = {}

    def get(kind: str) -> Path:
        if kind not in done:
            year, event = SHIPPED_EVENTS[kind]
            done[kind] = render.render_report(
                year, event, out=base / f"{year}-{event}", log=lambda _m: None, parameters={"samples": TEST_SAMPLES}
            )
        return done[kind]

    return get


# The generated four-year cycle (tests/cycle.py), every event's report rendered once per run
CYCLE_SAMPLES = 30


@pytest.fixture(scope="session")
def generated_cycle(tmp_path_factory):
    """(cycle, {event name: report folder}): the generated cycle's eight events, each rendered
    from the inputs it had, with the decisions it was made with. Tests must not modify them."""
    import contextlib
    import io

    import cycle as cycle_mod

    base = tmp_path_factory.mktemp("cyklus")
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        made = cycle_mod.generate(base / "inddata")
    reports = {}
    for step in made.steps:
        parameters: dict = {"samples": CYCLE_SAMPLES}
        if "--release" in step.options:
            parameters["release"] = [step.options[step.options.index("--release") + 1]]
        reports[step.event.name] = render.render_report(
            step.event.year,
            step.event.kind,
            inputs={key: str(path) for key, path in step.inputs.items()},
            out=base / f"{step.event.year}-{step.event.kind}",
            log=lambda _m: None,
            parameters=parameters,
        )
    return made, reports
