"""Shared helpers: small input files written into a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.inputs import paths


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
