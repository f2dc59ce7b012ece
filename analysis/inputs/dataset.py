"""One validated representation of all inputs, used by every notebook and command.

:func:`check_inputs` collects every finding from every file (for ``digiramme
validate``); :func:`load_dataset` returns a :class:`Dataset` or raises
:class:`~analysis.inputs.findings.InputError` when any finding is an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.inputs import financing_frame as frame_mod
from analysis.inputs import paths, price_index
from analysis.inputs import register as register_mod
from analysis.inputs.findings import ERROR, WARNING, Finding, InputError, errors
from analysis.inputs.followup_files import FollowupData
from analysis.inputs.followup_files import load as load_followup


@dataclass
class Dataset:
    """Validated inputs. Register costs are in the frame's price level (``price_year``)."""

    register: pd.DataFrame
    frame: pd.DataFrame
    pl_index: pd.DataFrame
    price_year: int
    claims: pd.DataFrame | None = None  # the note's prose checked against the frame
    followup: FollowupData | None = None  # bevillinger, forbrug, gevinster
    findings: list[Finding] = field(default_factory=list)
    sources: dict[str, Path] = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        return frame_mod.frame_years(self.frame)

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.is_error]


FOLLOWUP_FILES = {
    "bevillinger": paths.DEFAULT_BEVILLINGER,
    "forbrug": paths.DEFAULT_FORBRUG,
    "gevinster": paths.DEFAULT_GEVINSTER,
}


def input_paths(
    register: str | Path | None = None,
    frame: str | Path | None = None,
    pl_index: str | Path | None = None,
    claims: str | Path | None = None,
    bevillinger: str | Path | None = None,
    forbrug: str | Path | None = None,
    gevinster: str | Path | None = None,
) -> dict[str, Path]:
    """Resolve input paths, falling back to the shipped files in ``data/``. The claims and
    follow-up files are optional: a default that does not exist is left out, and the
    follow-up defaults are used only with the default register."""
    resolved = {
        "register": paths.resolve(register, paths.DEFAULT_REGISTER),
        "frame": paths.resolve(frame, paths.DEFAULT_FRAME),
        "pl_index": paths.resolve(pl_index, paths.DEFAULT_PL_INDEX),
    }
    claims_path = paths.resolve(claims, paths.DEFAULT_CLAIMS)
    if claims is not None or claims_path.exists():
        resolved["claims"] = claims_path
    # The shipped follow-up examples belong to the shipped register: with another register
    # they are used only when named.
    given = {"bevillinger": bevillinger, "forbrug": forbrug, "gevinster": gevinster}
    for key, default in FOLLOWUP_FILES.items():
        path = paths.resolve(given[key], default)
        if given[key] is not None or (register is None and path.exists()):
            resolved[key] = path
    return resolved


def check_inputs(**kwargs) -> tuple[Dataset | None, list[Finding]]:
    """Load and cross-check every input; return the dataset (None on errors) and findings."""
    sources = input_paths(**kwargs)
    findings: list[Finding] = []
    frame, found = frame_mod.load_frame(sources["frame"])
    findings += found
    register, found = register_mod.load_register(sources["register"])
    findings += found
    pl_index, found = price_index.load_index(sources["pl_index"])
    findings += found
    claims = None
    if "claims" in sources:
        claims, found = frame_mod.load_claims(sources["claims"])
        findings += found

    if frame is None or register is None or pl_index is None or errors(findings):
        return None, findings

    register_file = sources["register"].name
    price_year = frame_mod.price_year(frame)
    if price_year is None:
        price_year = frame_mod.frame_years(frame)[0]
        findings.append(
            Finding(
                WARNING,
                sources["frame"].name,
                f"rammen siger ikke sit prisniveau; {price_year} p/l antages",
                column="pl_aar",
            )
        )
    findings += register_mod.check_start_years(register, frame_mod.frame_years(frame), register_file)
    converted, found = price_index.register_in_price_year(register, pl_index, price_year, register_file)
    findings += found
    if errors(findings):
        return None, findings
    followup = None
    present = [key for key in FOLLOWUP_FILES if key in sources]
    if present:
        missing = [key for key in FOLLOWUP_FILES if key not in sources]
        if missing:
            findings.append(
                Finding(
                    ERROR,
                    sources[present[0]].name,
                    "opfølgningen kræver også " + ", ".join(f"{m}.csv" for m in missing),
                )
            )
            return None, findings
        followup, found = load_followup(
            register, frame, sources["bevillinger"], sources["forbrug"], sources["gevinster"]
        )
        findings += found
        if errors(findings):
            return None, findings
    checked_claims = frame_mod.check_claims(frame, claims) if claims is not None else None
    dataset = Dataset(
        register=converted,
        frame=frame,
        pl_index=pl_index,
        price_year=price_year,
        claims=checked_claims,
        followup=followup,
        findings=findings,
        sources=sources,
    )
    return dataset, findings


def load_dataset(**kwargs) -> Dataset:
    """The validated dataset; raises InputError naming every problem when there are errors."""
    dataset, findings = check_inputs(**kwargs)
    if dataset is None:
        raise InputError(findings)
    return dataset
