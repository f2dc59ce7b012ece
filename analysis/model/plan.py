"""The plan an event decides, and what it takes as fixed from earlier decisions.

Each event of the cycle (:mod:`analysis.model.cycle`) reads the ledger the steps before it
wrote (:mod:`analysis.model.ledger`). For the event's plan year P:

- A *fixed investment* is one the ledger holds grants for, decided by an earlier event (it
  has started, or Budget P udmøntede it before the OFS that looks for what its free money
  could fund). It keeps its start and its grants and is not decided again; it occupies its
  variant group and satisfies the needs that depend on it.
- Rows decided by this event or a later one are not known yet: their needs are decided
  again like any other (their earlier start is kept for the report).
- *Released* investments (``--release``) stop from P on: their grants from P are given
  back; what they had before P stays.
- Each year t ≥ P may udmønte its frame, plus the pool's own money an OFS moved into it,
  less the fixed investments' grants for t. Spending does not enter: what an investment
  did not spend moves with it (as ``overført``) and is never spent from a later year's
  frame. A budget counts on no transfer that is not decided yet.

All amounts in 1.000 kr., arrays pools × frame years.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import pandas as pd

from analysis.inputs.contracts import POOLS
from analysis.inputs.financing_frame import frame_years
from analysis.inputs.parameters import Rules
from analysis.model.cycle import Event
from analysis.model.ledger import RETURN, Ledger
from analysis.model.ledger import rows as ledger_rows
from analysis.model.transfers import Position, known_spending, position


@dataclass
class Investment:
    """A fixed (or released) investment: its net grants over all years, what it had moved
    to it, and what the plan commits to it from the plan year on (pools × years)."""

    id: str
    start: int
    granted: np.ndarray  # net grants, every year
    transferred_in: np.ndarray  # bound money moved to it, every year
    # pools: what the OFS of the year before P is expected to move on to it, as known: its bound
    # money, less a merforbrug it carries into P (negative when that is larger)
    expected_transfer: np.ndarray
    committed: np.ndarray  # its net grants from the plan year on (zero before)
    released: bool = False
    stopped_by: Event | None = None  # the event that stopped it (this plan's own, or an earlier one)


@dataclass
class Commitments:
    """What the plan of ``event`` for ``plan_year`` takes as fixed (see the module docstring)."""

    event: Event
    plan_year: int
    years: list[int]
    investments: dict[str, Investment] = field(default_factory=dict)  # fixed, not released
    released: dict[str, Investment] = field(default_factory=dict)
    previous: dict[str, int] = field(default_factory=dict)  # id -> start an earlier plan gave a need decided again
    history: np.ndarray | None = None  # pools × years: every known investment's net grants before P
    pool_in: np.ndarray | None = None  # pools × years: the pool's own money moved into each year
    pool_returns: np.ndarray | None = None  # pools × years: the pool's money an OFS returned to the kassen
    # pools: money besides what its frame leaves that the plan year may udmønte (the OFS's
    # alternative: the free money, were ØU to keep it in the pool)
    plan_year_money: np.ndarray | None = None
    latest_start: int | None = None  # open needs may start no later (the OFS's alternative: P only)
    ledger: Ledger | None = None  # what the event knows
    known: Position | None = None  # the money up to the year before P, as the event knows it

    @property
    def start_index(self) -> int:
        return self.years.index(self.plan_year)

    @property
    def started(self) -> dict[str, int]:
        return {i: inv.start for i, inv in self.investments.items()}

    def committed(self) -> np.ndarray:
        """Pools × years already decided: every known investment's net grants before the
        plan year, and from it the fixed investments' grants."""
        total = np.array(self.history, dtype=float)
        for investment in self.investments.values():
            total += investment.committed
        return total

    def money_besides_frame(self) -> np.ndarray:
        """Pools × years, every year: the pool's own money moved in, less what an OFS returned
        to the kassen (with the frame: the basis of what is not yet udmøntet)."""
        out = np.array(self.pool_in, dtype=float) - np.array(self.pool_returns, dtype=float)
        if self.plan_year_money is not None:
            # the year before's free money, moved into the plan year (were ØU to keep it in
            # the pool): it leaves that year as it enters this one, so the money left over all
            # years stays frame + the pool's own transfers − udmøntet − returned to the kassen
            out[:, self.start_index] += self.plan_year_money
            if self.start_index > 0:
                out[:, self.start_index - 1] -= self.plan_year_money
        return out

    def capacity_extra(self) -> np.ndarray:
        """Pools × years: money besides the frame each year from the plan year on may udmønte."""
        out = np.array(self.pool_in, dtype=float)
        out[:, : self.start_index] = 0.0
        return out

    @property
    def transfer_in(self) -> np.ndarray:
        """Pools: money besides the frame the plan year may udmønte."""
        return self.capacity_extra()[:, self.start_index]

    def expected_transfers(self) -> np.ndarray:
        """Pools: the fixed investments' bound money expected moved into the plan year (each
        investment's positive transfer)."""
        total = np.zeros(len(POOLS))
        for investment in self.investments.values():
            total += np.maximum(investment.expected_transfer, 0.0)
        return total

    def expected_merforbrug(self) -> dict[str, np.ndarray]:
        """Id → pools: the merforbrug a fixed investment is expected to carry into the plan
        year (positive), where it carries one."""
        return {
            i: np.maximum(-inv.expected_transfer, 0.0)
            for i, inv in self.investments.items()
            if (inv.expected_transfer < 0).any()
        }


def commitments(
    frame: pd.DataFrame,
    full: Ledger,
    forbrug: pd.DataFrame | None,
    event: Event,
    plan_year: int,
    release: tuple[str, ...] = (),
    plan_year_money: np.ndarray | None = None,
    latest_start: int | None = None,
) -> Commitments:
    """What the plan of ``event`` for ``plan_year`` takes as fixed (see the module docstring).
    ``plan_year_money``: what the plan year alone may udmønte, per pool (else what its frame
    leaves); ``latest_start``: the latest start year an open need may have."""
    years = frame_years(frame)
    if plan_year not in years:
        raise ValueError(f"plan year {plan_year} is not a year of the frame")
    s = years.index(plan_year)
    known = full.known_at(event)
    starts = known.starts()
    spending = known_spending(forbrug, event)
    through = min(event.last_known_year(), plan_year - 1)
    # the money up to the plan year as this plan leaves it: an investment it stops binds
    # nothing, so its rest before the plan year is given back, not expected moved on
    stopping = [(i, years[t], pool, float(known.net_grants(i)[p, t]), RETURN, starts[i])
                for i in release if i in starts for p, pool in enumerate(POOLS) for t in range(s, len(years))
                if float(known.net_grants(i)[p, t]) > 1e-9]  # fmt: skip
    seen = known.with_rows(ledger_rows(stopping, event)) if stopping else known
    money = position(frame, seen, spending, through, Rules()) if through >= years[0] else None
    expected = money.moved_on(through) if money is not None else {}
    result = Commitments(
        event,
        plan_year,
        years,
        history=np.zeros((len(POOLS), len(years))),
        pool_in=known.pool_transfers(),
        pool_returns=known.pool_returns(),
        plan_year_money=plan_year_money,
        latest_start=latest_start,
        ledger=known,
        known=money,
    )
    later = full.decided_at_or_after(event)
    for need_id, start in later.starts().items():
        if need_id not in starts:
            result.previous[need_id] = start
    for need_id in known.investments():
        granted = known.net_grants(need_id)
        result.history[:, :s] += granted[:, :s]
        committed = np.zeros_like(granted)
        # stopped by this plan, or by an earlier decision from the plan year or before: it
        # is not fixed, binds no money and is expected to move none on
        earlier = known.released_from(need_id)
        released = need_id in release or (earlier is not None and earlier <= plan_year)
        stopped_by = event if need_id in release else known.stopped_by(need_id) if released else None
        if not released:
            committed[:, s:] = granted[:, s:]
        bound = np.array([0.0 if released else expected.get((need_id, pool), 0.0) for pool in POOLS])
        investment = Investment(
            need_id, starts[need_id], granted, known.transfers_in(need_id), bound, committed, released, stopped_by
        )
        (result.released if released else result.investments)[need_id] = investment
    return result


def release_rows(commitments_: Commitments) -> list[tuple]:
    """The ledger entries that stop the released investments: their grants from the plan
    year on, given back (``tilbageført``)."""
    entries = []
    s = commitments_.start_index
    for investment in commitments_.released.values():
        for p, pool in enumerate(POOLS):
            for t in range(s, len(commitments_.years)):
                amount = float(investment.granted[p, t])
                if amount > 1e-9:
                    entries.append((investment.id, commitments_.years[t], pool, amount, RETURN, investment.start))
    return entries


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
            if investment.stopped_by == commitments.event:  # an earlier stop is no change of this plan
                rows.append((need_id, Change.RELEASED, investment.start, None))
    return pd.DataFrame(rows, columns=["id", "change", "before", "after"])


def _range(row) -> tuple[float, float] | None:
    if pd.isna(row["omkostning_min"]) and pd.isna(row["omkostning_max"]):
        return None
    return (float(row["omkostning_min"]), float(row["omkostning_max"]))
