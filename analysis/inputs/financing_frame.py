"""The financing frame (finansieringsramme, file ``ramme``) and the amounts the note's prose
states (file ``notat_tekst``): loading, validation, and the frame's basic accessors.

Amounts are in 1.000 kr. in fixed prices (``pl_aar``). Money never moves between the
two pools, ``service`` and ``anlæg``. A frame file may also state yearly totals
(``styringsomraade`` = ``i alt``); they are checked against the pools and then dropped,
since the total is always derived.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.inputs import frame_span
from analysis.inputs.cells import format_number
from analysis.inputs.columns import ROW_COLUMN, parse_table, typed
from analysis.inputs.contracts import ANLAEG, CLAIM_COLUMNS, FRAME_COLUMNS, POOLS, SERVICE, TOTAL
from analysis.inputs.findings import ERROR, WARNING, Finding

_POOL_SPELLINGS = {
    "service": SERVICE,
    "anlæg": ANLAEG,
    "anlaeg": ANLAEG,
    "i alt": TOTAL,
    "i_alt": TOTAL,
    "ialt": TOTAL,
    "total": TOTAL,
}


def parse_pool(value: str | None) -> str | None:
    """Map the spellings analysts use to ``service``, ``anlæg`` or ``i alt``."""
    if value is None:
        return None
    return _POOL_SPELLINGS.get(" ".join(value.strip().lower().split()))


def parse_pool_column(table: pd.DataFrame, file: str, findings: list[Finding], allow_total: bool) -> None:
    """Replace the ``styringsomraade`` column by ``service``/``anlæg`` (and ``i alt`` when
    ``allow_total``), adding a finding for each cell that is none of them."""
    allowed = (*POOLS, TOTAL) if allow_total else POOLS
    what = "service, anlæg eller i alt" if allow_total else "service eller anlæg"
    pools = []
    for row in table.itertuples(index=False):
        pool = parse_pool(row.styringsomraade)
        if row.styringsomraade is not None and pool not in allowed:
            findings.append(
                Finding(
                    ERROR,
                    file,
                    f'"{row.styringsomraade}" er ikke et styringsområde; brug {what}',
                    row=getattr(row, ROW_COLUMN),
                    column="styringsomraade",
                )
            )
            pool = None
        pools.append(pool)
    table["styringsomraade"] = pools


def load_frame(path: str | Path) -> tuple[pd.DataFrame | None, list[Finding]]:
    """Read and validate a frame file. Returns the pool rows (no totals) and findings."""
    table, findings = parse_table(path, FRAME_COLUMNS, sheet="ramme")
    if table is None:
        return None, findings
    name = Path(path).name
    parse_pool_column(table, name, findings, allow_total=True)
    table = typed(table, FRAME_COLUMNS)
    usable = table.dropna(subset=["aar", "styringsomraade", "beloeb"])

    for (year, pool), group in usable.groupby(["aar", "styringsomraade"]):
        if len(group) > 1:
            rows = ", ".join(str(r) for r in group[ROW_COLUMN])
            findings.append(
                Finding(
                    ERROR,
                    name,
                    f"{pool.capitalize()} {year} står i flere rækker ({rows})",
                    row=int(group[ROW_COLUMN].iloc[-1]),
                    column="styringsomraade",
                )
            )

    frame = usable[usable["styringsomraade"] != TOTAL].copy()
    totals = usable[usable["styringsomraade"] == TOTAL]
    for total in totals.itertuples(index=False):
        pool_sum = frame.loc[frame["aar"] == total.aar, "beloeb"].sum()
        if abs(pool_sum - total.beloeb) > 0.5:
            findings.append(
                Finding(
                    ERROR,
                    name,
                    f"i alt for {total.aar} er {format_number(total.beloeb)}, men service og anlæg "
                    f"giver tilsammen {format_number(pool_sum)} (1.000 kr.)",
                    row=getattr(total, ROW_COLUMN),
                    column="beloeb",
                )
            )

    price_years = sorted({int(y) for y in frame["pl_aar"].dropna()})
    if len(price_years) > 1:
        findings.append(
            Finding(
                ERROR,
                name,
                "rammen står i flere prisniveauer ("
                + ", ".join(str(y) for y in price_years)
                + "); omregn den til ét p/l-år",
                column="pl_aar",
            )
        )

    if frame.empty:
        findings.append(Finding(ERROR, name, "rammen har ingen rækker for service eller anlæg"))
        return None, findings

    for year in sorted(frame["aar"].unique()):
        present = set(frame.loc[frame["aar"] == year, "styringsomraade"])
        for pool in POOLS:
            if pool not in present:
                findings.append(
                    Finding(
                        WARNING,
                        name,
                        f"ingen række for {pool.capitalize().lower()} i {year}; regnes som 0",
                        column="styringsomraade",
                    )
                )
    years = sorted(int(y) for y in frame["aar"].unique())
    gaps = sorted(set(range(years[0], years[-1] + 1)) - set(years))
    if gaps:
        findings.append(
            Finding(
                WARNING,
                name,
                "rammen springer år over: " + ", ".join(str(y) for y in gaps) + "; regnes som 0",
                column="aar",
            )
        )
    findings += _out_of_line(frame, name)
    frame = frame.drop(columns=[ROW_COLUMN]).sort_values(["aar", "styringsomraade"])
    frame["aar"] = frame["aar"].astype(int)
    return frame.reset_index(drop=True), findings


OUT_OF_LINE = 10  # a year's frame this many times the pool's median year looks like a typing error


def _out_of_line(frame: pd.DataFrame, name: str) -> list[Finding]:
    """Warn about a pool-year far above the pool's other years (more than ``OUT_OF_LINE``
    times its median year): the frame is a decision, so a warning naming the cell, not an
    error; most often the amount is written in kroner, not in 1.000 kr."""
    findings = []
    for pool, rows in frame.groupby("styringsomraade"):
        typical = float(rows["beloeb"].median())
        if typical <= 0:
            continue
        for row in rows[rows["beloeb"] > OUT_OF_LINE * typical].itertuples(index=False):
            findings.append(
                Finding(
                    WARNING,
                    name,
                    f"{pool} {row.aar}: {format_number(row.beloeb)} er mere end {OUT_OF_LINE} gange et typisk år "
                    f"({format_number(typical)}); beløb er i 1.000 kr. – er det skrevet i kroner?",
                    row=int(getattr(row, ROW_COLUMN)),
                    column="beloeb",
                )
            )
    return findings


def frame_array(frame: pd.DataFrame) -> np.ndarray:
    """The frame as a pools × years array (1.000 kr.), pools in ``POOLS`` order."""
    return amounts(frame)[list(POOLS)].to_numpy().T.astype(float)


def frame_years(frame: pd.DataFrame) -> list[int]:
    """Every year from the frame's first to its last, including any gaps."""
    return frame_span.span(frame["aar"].astype(int))


def price_year(frame: pd.DataFrame, default: int | None = None) -> int | None:
    """The frame's price level (p/l year); ``default`` when the file does not say."""
    stated = frame["pl_aar"].dropna()
    return int(stated.iloc[0]) if not stated.empty else default


def amounts(frame: pd.DataFrame) -> pd.DataFrame:
    """Amounts as a years × pools table (1.000 kr.), zero where a pool has no row."""
    wide = frame.pivot_table(index="aar", columns="styringsomraade", values="beloeb", aggfunc="sum").reindex(
        index=frame_years(frame), columns=list(POOLS)
    )
    return wide.fillna(0.0)


# --- the note's prose against its tables ---------------------------------------------------


class ClaimStatus(StrEnum):
    """How an amount in the note's prose compares with the tables."""

    AGREES = "agrees"
    DISAGREES = "disagrees"
    NOT_IN_FRAME = "not_in_frame"  # the year is in no table
    # a stated range of sub-items that reads two ways: from the smallest sub-item alone to
    # all of them at their largest (which agrees), or as the sum of the sub-items' ranges
    TWO_READINGS = "two_readings"


def load_claims(path: str | Path) -> tuple[pd.DataFrame | None, list[Finding]]:
    """Read the amounts the note's prose states (see data/README.md)."""
    table, findings = parse_table(path, CLAIM_COLUMNS, sheet="notat_tekst")
    if table is None:
        return None, findings
    parse_pool_column(table, Path(path).name, findings, allow_total=True)
    return typed(table, CLAIM_COLUMNS), findings


def check_claims(frame: pd.DataFrame, claims: pd.DataFrame) -> pd.DataFrame:
    """Compare each amount stated in the note's prose with the frame (the tables).

    Returns the claims with ``tabel`` (the frame's amount, NaN when the year is absent)
    and ``status``, a :class:`ClaimStatus`.
    """
    wide = amounts(frame)
    wide[TOTAL] = wide.sum(axis=1)
    table_amounts, statuses = [], []
    for claim in claims.itertuples(index=False):
        if claim.aar not in wide.index or claim.styringsomraade is None:
            table_amounts.append(float("nan"))
            statuses.append(ClaimStatus.NOT_IN_FRAME)
            continue
        actual = float(wide.loc[claim.aar, claim.styringsomraade])
        table_amounts.append(actual)
        statuses.append(ClaimStatus.AGREES if abs(actual - claim.beloeb) < 0.5 else ClaimStatus.DISAGREES)
    result = claims.drop(columns=[ROW_COLUMN]).copy()
    result["tabel"] = table_amounts
    result["status"] = statuses
    return result
