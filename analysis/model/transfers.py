"""The money side of the transfer case (OFS): per investment and pool, what it had in each
year and what it spent; per pool, what is left, what is bound to investments and what is
free; and what the OFS proposes to do with it.

Per investment, pool and year t (1.000 kr., the frame's price level):

- *available* = its net grant for t (udmøntet less tilbageført) + what an OFS moved to it
  into t (``overført``);
- *rest* = available − spent. Positive rest is *bound money*: the OFS proposes it
  transferred to the same investment into t+1. Negative rest is *merforbrug*, flagged; one
  investment's merforbrug is never netted against another's bound money. An investment
  stopped from t+1 on binds nothing: its rest is free.

Per pool and year: *unspent* = frame + what was moved into the year (the investments' and
the pool's own) − spent; *free* = unspent − bound (the money nobody udmøntede, what a
stopped investment gave back, less merforbrug). By default the free money *tilbageføres
kassen*; a negative free (merforbrug beyond the free money) is deducted from the next year.
With ``Rules.fund_from_free`` ØU keeps the free money in the pool for open needs starting
next year (the OFS's alternative). At the frame's last year nothing moves on unless
``Rules.beyond_frame`` asks for it (2030 lies outside the frame).

Spending is what the event knows (:func:`known_spending`); where it knows nothing, the
investment is taken to have spent what it had. Where the ledger holds no decision of an
earlier OFS, that OFS is taken to have done what it would have proposed by default, and the
rows say so (``assumed``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.inputs.contracts import POOLS
from analysis.inputs.financing_frame import frame_array
from analysis.inputs.parameters import Rules
from analysis.model.cycle import OFS, Event
from analysis.model.ledger import RETURN, TRANSFER, Ledger

TOLERANCE = 1e-6
ASSUMED_AS_GRANTED = "bevilget"  # the source of a spending figure taken from what the investment had
RETURN_TO_KASSEN, FUND_OPEN_NEEDS, DEDUCT_NEXT_YEAR = "return_to_kassen", "fund_open_needs", "deduct_next_year"


def known_spending(forbrug: pd.DataFrame | None, event: Event) -> pd.DataFrame:
    """The spending ``event`` knows, per id, year and pool (``spent``, ``source``): for
    the year a budget is negotiated in, the forecast (``forventet``); for every other year
    the accounts (``regnskab``), else a forecast. Years after the event's last known year
    are left out."""
    columns = ["id", "year", "pool", "spent", "source"]
    if forbrug is None or forbrug.empty:
        return pd.DataFrame(columns=columns)
    table = forbrug[forbrug["aar"] <= event.last_known_year()]
    forecast_year = event.forecast_year()
    ranked = table.assign(
        _rank=[
            (0 if kind == "forventet" else 1) if year == forecast_year else (0 if kind == "regnskab" else 1)
            for kind, year in zip(table["type"], table["aar"], strict=True)
        ]
    )
    best = ranked.sort_values("_rank", kind="stable").groupby(["id", "aar", "styringsomraade"], as_index=False).first()
    out = best.rename(columns={"aar": "year", "styringsomraade": "pool", "forbrug": "spent", "type": "source"})
    out["year"] = out["year"].astype(int)
    return out[columns].reset_index(drop=True)


@dataclass(frozen=True)
class Position:
    """The OFS money of every year up to ``through``: ``investments`` per (id, pool, year)
    and ``pools`` per (pool, year), see the module docstring for the columns."""

    through: int
    investments: pd.DataFrame
    pools: pd.DataFrame

    def pool_row(self, pool: str, year: int) -> pd.Series:
        rows = self.pools
        return rows[(rows["pool"] == pool) & (rows["year"] == year)].iloc[0]

    def bound(self, year: int) -> dict[tuple[str, str], float]:
        """(id, pool) → the bound money at the end of ``year`` (what the OFS would move on)."""
        if self.investments.empty:
            return {}
        rows = self.investments[(self.investments["year"] == year) & (self.investments["bound"] > TOLERANCE)]
        return {(r.id, r.pool): float(r.bound) for r in rows.itertuples(index=False)}


def position(
    frame: pd.DataFrame, ledger: Ledger, spending: pd.DataFrame, through: int, rules: Rules | None = None
) -> Position:
    """The money of every frame year up to ``through`` (see the module docstring): the
    ledger's decisions where it has them, the default proposal for the rest, and for
    ``through`` itself the proposal under ``rules``."""
    rules = rules or Rules()
    years = list(ledger.years)
    frames = frame_array(frame)
    ids = sorted(set(ledger.investments()) | set(spending["id"]))
    spent_of = {(r.id, r.year, r.pool): (float(r.spent), r.source) for r in spending.itertuples(index=False)}
    grants = {i: ledger.net_grants(i) for i in ids}
    recorded_in = {i: ledger.transfers_in(i) for i in ids}
    released = {i: ledger.released_from(i) for i in ids}
    pool_recorded = ledger.pool_transfers()
    carried = {i: np.zeros(len(POOLS)) for i in ids}  # the bound money moved into the current year
    pool_carried = np.zeros(len(POOLS))
    cumulative = {i: np.zeros((2, len(POOLS))) for i in ids}  # net grants, spent
    inv_rows, pool_rows = [], []
    for t, year in enumerate(years):
        if year > through:
            break
        decided_before = t == 0 or ledger.decided_by(Event(OFS, year - 1))
        assumed_in = not decided_before
        outs = {}
        for i in ids:
            transferred = recorded_in[i][:, t] if decided_before else carried[i]
            for p, pool in enumerate(POOLS):
                granted, moved_in = float(grants[i][p, t]), float(transferred[p])
                available = granted + moved_in
                spent, source = spent_of.get((i, year, pool), (available, ASSUMED_AS_GRANTED))
                if abs(granted) < TOLERANCE and abs(moved_in) < TOLERANCE and (i, year, pool) not in spent_of:
                    continue
                cumulative[i][:, p] += (granted, spent)
                rest = available - spent
                continuing = released[i] is None or released[i] > year + 1
                inv_rows.append(
                    {
                        "id": i,
                        "pool": pool,
                        "year": year,
                        "granted": granted,
                        "transferred_in": moved_in,
                        "transferred_in_assumed": assumed_in and abs(moved_in) > TOLERANCE,
                        "available": available,
                        "spent": spent,
                        "source": source,
                        "rest": rest,
                        "bound": max(rest, 0.0) if continuing else 0.0,
                        "overspent": bool(spent > available + TOLERANCE),
                        "granted_cumulative": float(cumulative[i][0, p]),
                        "spent_cumulative": float(cumulative[i][1, p]),
                        "overspent_cumulative": bool(cumulative[i][1, p] > cumulative[i][0, p] + TOLERANCE),
                        "released_from": released[i],
                    }
                )
                outs[(i, pool)] = inv_rows[-1]
        decided = ledger.decided_by(Event(OFS, year)) and year < through
        for p, pool in enumerate(POOLS):
            mine = [row for (i, q), row in outs.items() if q == pool]
            pool_in = float(pool_recorded[p, t] if decided_before else pool_carried[p])
            inv_in = sum(r["transferred_in"] for r in mine)
            spent = sum(r["spent"] for r in mine)
            granted = sum(r["granted"] for r in mine)
            unspent = float(frames[p, t]) + pool_in + inv_in - spent
            bound = sum(r["bound"] for r in mine)
            row = {
                "year": year,
                "pool": pool,
                "frame": float(frames[p, t]),
                "pool_transfer_in": pool_in,
                "transfer_in": pool_in + inv_in,
                "funded": granted,
                "not_granted": float(frames[p, t]) + pool_in - granted,
                "spent": spent,
                "unspent": unspent,
                "bound": bound,
                "free": unspent - bound,
                "decision": "recorded" if decided else "proposed" if year == through else "assumed",
            }
            if decided:
                moved = {(r["id"]): _recorded_out(ledger, r["id"], pool, year) for r in mine}
                pool_out = float(ledger.pool_transfers()[p, t + 1]) if year < years[-1] else 0.0
                bound_out = sum(moved.values())
                disposition = _disposition_of(pool_out, row["free"])
            else:
                moved, pool_out, disposition = _propose(mine, row, rules, year == years[-1])
                bound_out = sum(moved.values())
            row |= {
                "transfer_bound": bound_out,
                "pool_transfer_out": pool_out,
                "transfer_out": bound_out + pool_out,
                "returned": unspent - bound_out - pool_out,
                "free_disposition": disposition,
            }
            for r in mine:
                r["transferred_out"] = moved.get(r["id"], 0.0)
            pool_rows.append(row)
            if t + 1 < len(years):
                pool_carried[p] = pool_out
                for i in ids:
                    carried[i][p] = outs[(i, pool)]["transferred_out"] if (i, pool) in outs else 0.0
    return Position(through, pd.DataFrame(inv_rows), pd.DataFrame(pool_rows))


def _recorded_out(ledger: Ledger, need_id: str, pool: str, year: int) -> float:
    rows = ledger.rows
    moved = rows[(rows["id"] == need_id) & (rows["art"] == TRANSFER) & (rows["year"] == year + 1)]
    return float(moved.loc[moved["pool"] == pool, "amount"].sum())


def _disposition_of(pool_out: float, free: float) -> str:
    if pool_out < -TOLERANCE:
        return DEDUCT_NEXT_YEAR
    if pool_out > TOLERANCE:
        return FUND_OPEN_NEEDS
    return RETURN_TO_KASSEN


def _propose(rows: list[dict], pool: dict, rules: Rules, last: bool) -> tuple[dict[str, float], float, str]:
    """The default proposal for one pool's year: each investment's bound money moved on (a
    cap scales every investment alike), and what becomes of the free money."""
    bound = pool["bound"]
    moves = rules.carry_over and (not last or rules.beyond_frame) and bound > TOLERANCE
    scale = 1.0
    if moves and rules.cap is not None and bound > rules.cap * pool["frame"]:
        scale = rules.cap * pool["frame"] / bound
    moved = {r["id"]: r["bound"] * scale for r in rows if moves and r["bound"] > TOLERANCE}
    free = pool["free"]
    if free < -TOLERANCE and not last:
        return moved, free, DEDUCT_NEXT_YEAR
    if free > TOLERANCE and rules.fund_from_free and not last:
        return moved, free, FUND_OPEN_NEEDS
    return moved, 0.0, RETURN_TO_KASSEN


def decision_rows(position_: Position, year: int, last_year: int, starts: dict[str, int] | None = None) -> list[tuple]:
    """The OFS's decisions for ``year`` as ledger entries ``(id, year, pool, amount, art,
    start)``: each investment's transfer into the next year, the pool's money kept or
    deducted, and the free money returned to the kassen."""
    entries = []
    for r in position_.investments[position_.investments["year"] == year].itertuples(index=False):
        if r.transferred_out > TOLERANCE:
            entries.append((r.id, year + 1, r.pool, float(r.transferred_out), TRANSFER, (starts or {}).get(r.id)))
    for r in position_.pools[position_.pools["year"] == year].itertuples(index=False):
        if abs(r.pool_transfer_out) > TOLERANCE and year < last_year:
            entries.append((None, year + 1, r.pool, float(r.pool_transfer_out), TRANSFER, None))
        if r.returned > TOLERANCE:
            entries.append((None, year, r.pool, float(r.returned), RETURN, None))
    return entries
