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


@pytest.fixture(scope="session")
def rendered(tmp_path_factory):
    """rendered(event) -> the folder of that event's 2026 report from the shipped data,
    rendered once per test run and shared by every test that reads it. Tests must not
    modify it."""
    base = tmp_path_factory.mktemp("reports")
    done: dict[str, Path] = {}

    def get(event: str) -> Path:
        if event not in done:
            done[event] = render.render_report(
                2026, event, out=base / f"2026-{event}", log=lambda _m: None, parameters={"samples": TEST_SAMPLES}
            )
        return done[event]

    return get
