"""The annual plan: what a plan for year Y carries from earlier decisions.

Each year ØU udmønter the frame at the budget. From the second year on, some investments
have started; they stay funded and only the open needs are decided again. For plan year Y:

- A *started investment* is a need with grants (``bevillinger``) whose start year is before
  Y: ``startaar``, or else its earliest granted year. It keeps its start and is not decided
  again.
- Its spending per pool: before Y what was actually spent (:func:`followup.actual_spending`:
  accounts, else forecast, else the grant); the money granted and not spent before Y (its
  *bound money*, counted per investment and pool, only where positive) moves to year Y;
  from Y on, its grants.
- *Previously planned* needs, whose grants start in Y or later, are decided again like any
  other need; their earlier start is kept for the report.
- *Released* investments (``--release``) stop: their spending from Y on, bound money
  included, is dropped; their past spending stays.
- The *transfer into Y* per pool is the cumulative frame before Y less the actual spending
  before Y (all needs): what ``followup --year Y-1`` proposes to the OFS (negative after an
  overspend, which is then deducted). Year Y may spend its frame plus that transfer.

All amounts in 1.000 kr., arrays pools × frame years.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import pandas as pd

from analysis.inputs.contracts import POOLS
from analysis.inputs.financing_frame import frame_array, frame_years
from analysis.model.followup import actual_spending, bound_money


@dataclass
class Investment:
    """A started investment (or a released one): what it was granted and spent, and what
    the plan commits to it (pools × years)."""

    id: str
    start: int
    granted: np.ndarray  # all its grants, every year
    spent: np.ndarray  # actual spending before the plan year
    bound: np.ndarray  # pools: money bound at the end of the year before the plan year
    committed: np.ndarray  # past spending, bound money in the plan year, grants after
    released: bool = False

    @property
    def remaining(self) -> np.ndarray:
        """Pools: what the plan still gives it from the plan year on (bound money included)."""
        return self.committed.sum(axis=1) - self.spent.sum(axis=1)


@dataclass
class Commitments:
    """What a plan for ``plan_year`` inherits. Empty for the frame's first year without
    grants: then the plan is the plain allocation over the whole frame."""

    plan_year: int
    years: list[int]
    investments: dict[str, Investment] = field(default_factory=dict)  # started, not released
    released: dict[str, Investment] = field(default_factory=dict)
    previous: dict[str, int] = field(default_factory=dict)  # id -> start year planned earlier (≥ plan year)
    past_spending: np.ndarray | None = None  # pools × years, every need's actual spending before Y
    transfer_in: np.ndarray | None = None  # pools
    grants: pd.DataFrame | None = None  # the grant rows the plan keeps (started; released before Y)

    @property
    def start_index(self) -> int:
        return self.years.index(self.plan_year)

    @property
    def started(self) -> dict[str, int]:
        return {i: inv.start for i, inv in self.investments.items()}

    def committed(self) -> np.ndarray:
        """Pools × years: everything already decided: every need's actual spending before the
        plan year, and from it the started investments' bound money and grants."""
        total = np.array(self.past_spending, dtype=float)
        s = self.start_index
        for investment in self.investments.values():
            total[:, s:] += investment.committed[:, s:]
        return total


def start_years(bevillinger: pd.DataFrame) -> dict[str, int]:
    """Each granted need's start year: its ``startaar``, or else its earliest granted year."""
    starts = {}
    for need_id, rows in bevillinger.groupby("id"):
        stated = rows["startaar"].dropna() if "startaar" in rows else pd.Series(dtype=float)
        starts[need_id] = int(stated.min()) if not stated.empty else int(rows["aar"].min())
    return starts


def _array(rows: pd.DataFrame, column: str, years: list[int], year: str = "aar", pool: str = "styringsomraade"):
    """Pools × years of ``column`` summed (grant rows by default; spending rows name their
    ``year`` and ``pool``)."""
    out = np.zeros((len(POOLS), len(years)))
    for y, p, amount in zip(rows[year], rows[pool], rows[column], strict=True):
        if y in years:
            out[POOLS.index(p), years.index(y)] += float(amount)
    return out


def commitments(
    frame: pd.DataFrame,
    bevillinger: pd.DataFrame,
    forbrug: pd.DataFrame | None,
    plan_year: int,
    release: tuple[str, ...] = (),
) -> Commitments:
    """What the plan for ``plan_year`` carries (see the module docstring)."""
    years = frame_years(frame)
    if plan_year not in years:
        raise ValueError(f"plan year {plan_year} is not a year of the frame")
    s = years.index(plan_year)
    if forbrug is None:
        forbrug = pd.DataFrame(columns=["id", "aar", "styringsomraade", "forbrug", "type"])
    spending = actual_spending(bevillinger, forbrug, plan_year - 1)
    past = _array(spending, "spent", years, "year", "pool")
    past[:, s:] = 0.0
    transfer = frame_array(frame)[:, :s].sum(axis=1) - past[:, :s].sum(axis=1)
    bound = bound_money(spending, plan_year - 1)
    result = Commitments(plan_year, years, past_spending=past, transfer_in=transfer)
    kept = []
    for need_id, start in sorted(start_years(bevillinger).items()):
        rows = bevillinger[bevillinger["id"] == need_id]
        if start >= plan_year:
            result.previous[need_id] = start
            continue
        granted = _array(rows, "beloeb", years)
        spent = _array(spending[spending["id"] == need_id], "spent", years, "year", "pool")
        spent[:, s:] = 0.0
        bound_here = np.array([bound.get((need_id, pool), 0.0) for pool in POOLS])
        committed = spent.copy()
        released = need_id in release
        if not released:
            committed[:, s] += bound_here
            committed[:, s:] += granted[:, s:]
        investment = Investment(need_id, start, granted, spent, bound_here, committed, released)
        if released:
            result.released[need_id] = investment
            kept.append(rows[rows["aar"] < plan_year])
        else:
            result.investments[need_id] = investment
            kept.append(rows)
    columns = ["id", "startaar", "aar", "styringsomraade", "beloeb"]
    grants = pd.concat(kept) if kept else pd.DataFrame(columns=columns)
    starts = start_years(bevillinger)
    grants = grants.assign(startaar=[starts[i] for i in grants["id"]]) if len(grants) else grants
    result.grants = grants[columns].reset_index(drop=True) if len(grants) else pd.DataFrame(columns=columns)
    return result


class Change(StrEnum):
    """What changed since the last plan (codes; the report has the words)."""

    NEW = "new"  # in the register, not in the previous register
    GONE = "gone"  # in the previous register, not in this one
    RECOSTED = "recosted"  # its cost range changed
    MOVED = "moved"  # planned earlier to start in one year, now in another
    DROPPED = "dropped"  # planned earlier, not in the plan now
    RELEASED = "released"  # started, and stopped in this plan


def changes(register: pd.DataFrame, previous_register: pd.DataFrame | None, result) -> pd.DataFrame:
    """What changed since the last plan: needs new, gone and re-costed against the previous
    register (when given); needs planned earlier whose start moved or that dropped out; and
    released investments. Columns ``id``, ``change`` (a :class:`Change`), ``before``,
    ``after`` (start years, or cost ranges as (min, max) in 1.000 kr.)."""
    rows = []
    if previous_register is not None:
        now = register.set_index("id")
        before = previous_register.set_index("id")
        for need_id in sorted(set(now.index) - set(before.index)):
            rows.append((need_id, Change.NEW, None, _range(now.loc[need_id])))
        for need_id in sorted(set(before.index) - set(now.index)):
            rows.append((need_id, Change.GONE, _range(before.loc[need_id]), None))
        for need_id in sorted(set(now.index) & set(before.index)):
            old, new = _range(before.loc[need_id]), _range(now.loc[need_id])
            if old != new:
                rows.append((need_id, Change.RECOSTED, old, new))
    commitments = result.problem.commitments
    if commitments is not None:
        for need_id, start in sorted(commitments.previous.items()):
            now_start = result.selected.get(need_id)
            if now_start is None:
                rows.append((need_id, Change.DROPPED, start, None))
            elif now_start != start:
                rows.append((need_id, Change.MOVED, start, now_start))
        for need_id, investment in sorted(commitments.released.items()):
            rows.append((need_id, Change.RELEASED, investment.start, None))
    return pd.DataFrame(rows, columns=["id", "change", "before", "after"])


def _range(row) -> tuple[float, float] | None:
    if pd.isna(row["omkostning_min"]) and pd.isna(row["omkostning_max"]):
        return None
    return (float(row["omkostning_min"]), float(row["omkostning_max"]))
