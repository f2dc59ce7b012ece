"""Price and wage levels (p/l, file ``pl_indeks``): converting the register to the frame's
price year, so the validated dataset holds one price level.

The index file gives one index per year for service and for anlæg. An amount in
``from_year`` prices is ``amount × index[to_year] / index[from_year]`` in ``to_year``
prices. A need's cost is split by ``andel_anlaeg`` and each part converted with its
own pool's index.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from analysis.inputs.cells import format_plain
from analysis.inputs.columns import ROW_COLUMN, parse_table, typed
from analysis.inputs.contracts import ANLAEG, COST_COLUMNS, INDEX_COLUMNS, SERVICE, SERVICE_AMOUNTS
from analysis.inputs.findings import ERROR, Finding


def factor_text(factor: float) -> str:
    """A conversion factor in a message: Danish, four decimals at most, never an exponent."""
    return format_plain(round(factor, 4)) if math.isfinite(factor) else "ikke et endeligt tal"


def load_index(path: str | Path) -> tuple[pd.DataFrame | None, list[Finding]]:
    """Read a p/l index file: ``aar``, ``service``, ``anlaeg`` (any base year)."""
    table, findings = parse_table(path, INDEX_COLUMNS, sheet="pl_indeks")
    if table is None:
        return None, findings
    name = Path(path).name
    for row in table.itertuples(index=False):
        for pool in ("service", "anlaeg"):
            if getattr(row, pool) == 0:
                findings.append(
                    Finding(ERROR, name, "indekset kan ikke være 0", row=getattr(row, ROW_COLUMN), column=pool)
                )
    table = typed(table, INDEX_COLUMNS)
    for year, group in table.dropna(subset=["aar"]).groupby("aar"):
        if len(group) > 1:
            findings.append(
                Finding(ERROR, name, f"{year} står i flere rækker", row=int(group[ROW_COLUMN].iloc[-1]), column="aar")
            )
    return table.rename(columns={"anlaeg": ANLAEG}).reset_index(drop=True), findings


def factor(index: pd.DataFrame, pool: str, from_year: int, to_year: int) -> float:
    """The factor that turns ``from_year`` prices into ``to_year`` prices for a pool."""
    if from_year == to_year:
        return 1.0
    by_year = index.set_index("aar")[pool]
    for year in (from_year, to_year):
        if year not in by_year.index:
            raise KeyError(year)
    return float(by_year[to_year] / by_year[from_year])


def register_in_price_year(
    register: pd.DataFrame, index: pd.DataFrame, price_year: int, file: str
) -> tuple[pd.DataFrame, list[Finding]]:
    """The register with every cost converted to ``price_year`` prices.

    Needs without ``pl_aar`` are taken to be stated in ``price_year`` already. The
    returned table keeps the stated p/l year in ``pl_aar_opr`` and sets ``pl_aar`` to
    ``price_year``.
    """
    converted = register.copy()
    converted["pl_aar_opr"] = converted["pl_aar"]
    findings = []
    for i, row in converted.iterrows():
        stated = row["pl_aar"]
        if pd.isna(stated) or int(stated) == price_year:
            continue
        try:
            service = factor(index, SERVICE, int(stated), price_year)
            anlaeg = factor(index, ANLAEG, int(stated), price_year)
        except KeyError as missing:
            findings.append(
                Finding(
                    ERROR,
                    file,
                    f"p/l-indekset har intet tal for {missing.args[0]}, så beløbet kan ikke "
                    f"omregnes fra {int(stated)}- til {price_year}-priser",
                    row=int(row[ROW_COLUMN]),
                    column="pl_aar",
                )
            )
            continue
        share = row["andel_anlaeg"]
        blended = (1 - share) * service + share * anlaeg
        if not math.isfinite(blended) or blended > 1e6:
            findings.append(
                Finding(
                    ERROR,
                    file,
                    f"omregningen fra {int(stated)}- til {price_year}-priser giver faktoren {factor_text(blended)}; "
                    "tjek p/l-indekset",
                    row=int(row[ROW_COLUMN]),
                    column="pl_aar",
                )
            )
            continue
        for column in COST_COLUMNS:
            converted.at[i, column] = row[column] * blended
        for column in SERVICE_AMOUNTS:  # yearly amounts on servicerammen
            if column in converted.columns and not pd.isna(row[column]):
                converted.at[i, column] = row[column] * service
    converted["pl_aar"] = pd.array([price_year] * len(converted), dtype="Int64")
    return converted, findings


def _row_factors(table, pools, levels, price_year: int, index, file: str, column: str, what: str):
    """Per row of ``table``: the factor from its p/l (``levels``) to ``price_year`` for its
    pool, and an error at ``column`` of the row where the index lacks a year (factor 1)."""
    findings, factors = [], []
    for row, pool, level in zip(table.itertuples(index=False), pools, levels, strict=True):
        try:
            factors.append(factor(index, pool, int(level), price_year))
        except KeyError as missing:
            findings.append(
                Finding(
                    ERROR,
                    file,
                    f"p/l-indekset har intet tal for {missing.args[0]}, så {what} kan ikke omregnes fra "
                    f"{int(level)}- til {price_year}-priser",
                    row=int(getattr(row, ROW_COLUMN)),
                    column=column,
                )
            )
            factors.append(1.0)
    return pd.Series(factors, index=table.index, dtype=float), findings


def spending_in_price_year(followup, index: pd.DataFrame, price_year: int, path):
    """The follow-up data with its spending (stated in current prices, the p/l of its own
    year) converted to ``price_year`` prices, each pool by its own index."""
    from dataclasses import replace

    forbrug = followup.forbrug
    if forbrug.empty:
        return followup, []
    file = Path(path).name if path else "forbrug"
    factors, findings = _row_factors(
        forbrug, forbrug["styringsomraade"], forbrug["aar"], price_year, index, file, "forbrug", "forbruget"
    )
    return replace(followup, forbrug=forbrug.assign(forbrug=forbrug["forbrug"] * factors)), findings


def ledger_in_price_year(followup, index: pd.DataFrame, price_year: int, path):
    """The follow-up data with each ledger row's amount converted from the p/l it was decided
    in (``pl_aar``; empty: ``price_year``, the frame's) to ``price_year`` prices, each pool by
    its own index. The row keeps what was decided: ``beloeb_besluttet`` at ``pl_aar``."""
    from dataclasses import replace

    table = followup.bevillinger
    stated = table["pl_aar"] if "pl_aar" in table else pd.Series(pd.NA, index=table.index)
    levels = [int(y) if not pd.isna(y) else price_year for y in stated]
    file = Path(path).name if path else "bevillinger"
    factors, findings = _row_factors(
        table, table["styringsomraade"], levels, price_year, index, file, "pl_aar", "beløbet"
    )
    converted = table.assign(
        beloeb_besluttet=table["beloeb"], pl_aar=pd.array(levels, dtype="Int64"), beloeb=table["beloeb"] * factors
    )
    return replace(followup, bevillinger=converted), findings
