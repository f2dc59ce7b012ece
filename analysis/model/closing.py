"""The frame's closing (the closing OFS): the whole frame reconciled per pool and year, in
the frame's price level with the nominal amounts beside it; the afledt drift the
investments leave after the frame, per forvaltning and year; the budget reductions the
business case assumed against those taken home; each investment's cumulative overrun.
Computed once by the event state from the follow-up, the ledger and the business case's
investments on their accounts; the closing page formats it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.inputs.contracts import POOLS, RETURN
from analysis.model import economics
from analysis.model.business_case import Actual, entry_flows
from analysis.model.followup import Followup, in_own_years
from analysis.model.ledger import Ledger

# the reconciliation's amounts, in order: the frame and what became of it
AMOUNTS = ["frame", "funded", "released", "transfer_in", "spent", "transfer_out", "returned"]
NOT_GIVEN = economics.NOT_GIVEN


@dataclass(frozen=True)
class Closing:
    """See the module docstring. ``reconciliation`` and ``nominal``: per pool and year
    (``AMOUNTS``), the first in ``price_year`` (the frame's), the second each year in its own
    p/l (column ``pl``). ``running_after``: per forvaltning (rows) and year after the frame
    (columns), in ``price_year``. ``reductions``: per forvaltning ``assumed`` and ``taken``
    over the frame's years, in ``price_year``. ``overruns``: per investment and pool that
    spent more than it was udmøntet, ``granted``, ``spent``, ``overrun`` and ``covered`` (by
    the pool), in ``price_year``."""

    price_year: int
    last_year: int
    reconciliation: pd.DataFrame
    nominal: pd.DataFrame
    running_after: pd.DataFrame
    reductions: pd.DataFrame
    overruns: pd.DataFrame


def reconcile(
    result: Followup, known: Ledger, factors: dict[str, float], price_year: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The frame per pool and year (``AMOUNTS``), in ``price_year`` (``factors``: per pool,
    from the follow-up's p/l) and each year in its own p/l. ``released``: the grants a stop
    gave back to the pool."""
    pools = result.pools.copy()
    releases = known.rows[(known.rows["art"] == RETURN) & known.rows["id"].notna()]
    released = releases.groupby(["pool", "year"])["amount"].sum() if len(releases) else pd.Series(dtype=float)
    pools["released"] = [
        float(released.get((p, int(y)), 0.0)) for p, y in zip(pools["pool"], pools["year"], strict=True)
    ]
    table = pools[["pool", "year", *AMOUNTS]].sort_values(["pool", "year"], key=_pool_order).reset_index(drop=True)
    fixed = table.assign(**{c: table[c] * table["pool"].map(factors) for c in AMOUNTS})
    nominal = in_own_years(table, result.own_years, AMOUNTS)
    return fixed.assign(pl=price_year), nominal


def _pool_order(column: pd.Series) -> pd.Series:
    return column.map(POOLS.index) if column.name == "pool" else column


def running_after(
    register: pd.DataFrame, starts: dict[str, int], actuals: dict[str, Actual], last_year: int, years: int = 6
) -> pd.DataFrame:
    """The afledt drift each forvaltning's investments leave in the ``years`` years after the
    frame's ``last_year`` (rows: forvaltning, columns: years), on their accounts (a stopped
    one in proportion to what it built)."""
    reg = register.set_index("id", drop=False)
    after = list(range(last_year + 1, last_year + 1 + years))
    rows: dict[str, pd.Series] = {}
    for need_id, start in sorted(starts.items()):
        if need_id not in reg.index:
            continue
        row = next(reg.loc[[need_id]].itertuples(index=False))
        table = entry_flows(row, float(row.omkostning_forventet), start, actuals.get(need_id))
        who = row.forvaltning if isinstance(row.forvaltning, str) and row.forvaltning else NOT_GIVEN
        drift = table["afledt_drift"].reindex(after, fill_value=0.0)
        rows[who] = rows.get(who, pd.Series(0.0, index=after)) + drift
    return pd.DataFrame(rows).T.reindex(columns=after).fillna(0.0).sort_index()


def reductions(
    register: pd.DataFrame,
    starts: dict[str, int],
    actuals: dict[str, Actual],
    gevinster: pd.DataFrame,
    last_year: int,
) -> pd.DataFrame:
    """Per forvaltning the budget reductions the business case assumed over the frame's
    years (on the accounts, a stopped investment in proportion to what it built) against
    those taken home (``gevinster``'s ``hjemtaget``, already in the same p/l)."""
    reg = register.set_index("id", drop=False)
    assumed: dict[str, float] = {}
    for need_id, start in sorted(starts.items()):
        if need_id not in reg.index:
            continue
        row = next(reg.loc[[need_id]].itertuples(index=False))
        table = entry_flows(row, float(row.omkostning_forventet), start, actuals.get(need_id))
        inside = float(table.loc[table.index <= last_year, "hjemtagelse"].sum())
        for who, share in economics.reduction_shares(row):
            assumed[who] = assumed.get(who, 0.0) + inside * share
    taken: dict[str, float] = {}
    if "hjemtaget" in gevinster.columns:
        rows = gevinster[(gevinster["maaleaar"] <= last_year) & gevinster["hjemtaget"].notna()]
        who = (
            rows["hjemtaget_forvaltning"].fillna(NOT_GIVEN)
            if "hjemtaget_forvaltning" in rows.columns
            else pd.Series(NOT_GIVEN, index=rows.index)
        )
        taken = {str(k): float(v) for k, v in rows.groupby(who)["hjemtaget"].sum().items()}
    names = sorted({n for n, v in assumed.items() if v > 0.5} | set(taken), key=lambda n: (n == NOT_GIVEN, n))
    return pd.DataFrame(
        {
            "forvaltning": names,
            "assumed": [assumed.get(n, 0.0) for n in names],
            "taken": [taken.get(n, 0.0) for n in names],
        }
    )


def overruns(result: Followup, factors: dict[str, float]) -> pd.DataFrame:
    """Each investment and pool that spent more over the frame than it was udmøntet (its net
    grants): udmøntet, spent, the overrun and what the pool covered, in the
    price level of ``factors`` (per pool, from the follow-up's p/l)."""
    inv = result.position.investments
    columns = ["id", "pool", "granted", "spent", "overrun", "covered"]
    if inv.empty:
        return pd.DataFrame(columns=columns)
    scale = inv["pool"].map(factors).fillna(1.0)
    money = inv.assign(
        granted=inv["granted"] * scale,
        spent=inv["spent"] * scale,
        covered=inv["covered"].fillna(0.0) * scale,
    )
    total = money.groupby(["id", "pool"], as_index=False)[["granted", "spent", "covered"]].sum()
    total["overrun"] = total["spent"] - total["granted"]
    total = total[total["overrun"] > 0.5].sort_values(["id", "pool"], key=_pool_order)
    return total[columns].reset_index(drop=True)
