"""What the note says about itself beyond the yearly amounts (those are in
:mod:`analysis.inputs.financing_frame`): cost ranges stated for groups of needs
(``notat_spaend``), checked against the register, and remarks read off the note by hand
(``notat_bemaerkninger``), such as a table number used twice.

A stated range covers needs that are either sub-items (their ranges add up) or variants of
one need (the range spans the cheapest to the dearest variant).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.inputs.cells import unknown_id
from analysis.inputs.columns import ROW_COLUMN, parse_table, typed
from analysis.inputs.contracts import RANGE_CLAIM_COLUMNS, REMARK_COLUMNS
from analysis.inputs.financing_frame import ClaimStatus
from analysis.inputs.findings import ERROR, Finding


def load_range_claims(
    path: str | Path, register: pd.DataFrame, every_id: bool = True
) -> tuple[pd.DataFrame | None, list[Finding]]:
    """Read the stated ranges. With ``every_id`` (the register the file was written for),
    every id must be a register id; without it (another register, say an analyst's copy),
    only the ranges whose needs the register holds, every one of them, are kept."""
    table, findings = parse_table(path, RANGE_CLAIM_COLUMNS, sheet="notat_spaend")
    if table is None:
        return None, findings
    known = set(register["id"])
    if not every_id:
        held = table["behov"].map(lambda ids: bool(ids) and all(need_id in known for need_id in ids))
        return typed(table[held.astype(bool)], RANGE_CLAIM_COLUMNS), findings
    for row in table.itertuples(index=False):
        for need_id in row.behov:
            if need_id not in known:
                findings.append(
                    Finding(
                        ERROR,
                        Path(path).name,
                        unknown_id(need_id, known),
                        row=getattr(row, ROW_COLUMN),
                        column="behov",
                    )
                )
    return typed(table, RANGE_CLAIM_COLUMNS), findings


def check_ranges(claims: pd.DataFrame, register: pd.DataFrame) -> pd.DataFrame:
    """Each stated range beside the register's: ``register_min``/``register_max`` (the sum of
    sub-items, or the span of one variant group) and ``status`` (a ``ClaimStatus``)."""
    reg = register.set_index("id")
    lows, highs, statuses, alone = [], [], [], []
    for claim in claims.itertuples(index=False):
        rows = reg.loc[list(claim.behov)]
        groups = set(rows["variantgruppe"].dropna())
        if len(groups) == 1 and rows["variantgruppe"].notna().all():
            low, high = rows["omkostning_min"].min(), rows["omkostning_max"].max()
        else:
            low, high = rows["omkostning_min"].sum(), rows["omkostning_max"].sum()
        lows.append(float(low))
        highs.append(float(high))
        same = abs(low - claim.omkostning_min) < 0.5 and abs(high - claim.omkostning_max) < 0.5
        # the other reading of a sum: one sub-item alone at its smallest, up to all of them
        # at their largest (the note's "5-30" for AI: AI-01 alone at 5, all four at 30)
        matching = [i for i, v in rows["omkostning_min"].items() if abs(v - claim.omkostning_min) < 0.5]
        two_ways = not same and len(rows) > 1 and bool(matching) and abs(high - claim.omkostning_max) < 0.5
        alone.append(matching[0] if two_ways else None)
        statuses.append(ClaimStatus.AGREES if same else ClaimStatus.TWO_READINGS if two_ways else ClaimStatus.DISAGREES)
    result = claims.drop(columns=[ROW_COLUMN]).copy()
    result["register_min"], result["register_max"], result["status"] = lows, highs, statuses
    result["alone"] = alone  # the sub-item whose minimum the stated one is, read alone (TWO_READINGS)
    return result


def load_remarks(path: str | Path) -> tuple[pd.DataFrame | None, list[Finding]]:
    table, findings = parse_table(path, REMARK_COLUMNS, sheet="notat_bemaerkninger")
    if table is None:
        return None, findings
    return typed(table, REMARK_COLUMNS).drop(columns=[ROW_COLUMN]), findings
