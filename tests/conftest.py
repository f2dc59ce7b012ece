"""Shared helpers: small input files written into a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import paths

VALID_REGISTER = (
    "id;omraade;titel;omkostning_min;omkostning_max;andel_anlaeg;fordeling;forudsaetter;variantgruppe\n"
    'A;Data;Dataplatform;2000;10000;0,3;"50;50";;\n'
    "B;Data;Datakvalitet;1.000;2.500,5;0;100;A;\n"
    'C;Net;Lille net;10000;10000;0.8;"60;40";;5g\n'
    "D;Net;Stort net;25000;25000;0.8;;;5g\n"
)

VALID_FRAME = (
    "aar;styringsomraade;beloeb;pl_aar\n"
    "2026;service;15.000;2026\n"
    "2026;anlæg;5.000;2026\n"
    "2027;service;25.000;2026\n"
    "2027;anlaeg;10.000;2026\n"
)


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
