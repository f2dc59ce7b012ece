"""The typed result of an allocation: the option itself with the solver's real status, why
each need is left out and why demands cannot be met (the codes are in
:mod:`analysis.model.allocation.types`). Report code reads it directly; the Danish words
live in :mod:`analysis.report.vocabulary`."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.inputs.contracts import POOLS
from analysis.inputs.parameters import Options
from analysis.model.allocation.problem import Problem
from analysis.model.allocation.types import TOLERANCE, Conflict, Explanation, Shortage, Status


@dataclass(frozen=True, kw_only=True)
class Result:
    """One allocation option, with the solver's real status. Made once, whole: the
    ``selected`` needs include the started investments, and ``objective`` their value."""

    options: Options
    status: Status
    objective: float | None
    mip_gap: float | None
    solve_time_s: float
    selected: dict[str, int]  # id -> start year
    problem: Problem
    method: str = "milp"  # milp | priority
    conflicts: list[Conflict] = field(default_factory=list)
    shortage: Shortage | None = None
    explanations: dict[str, Explanation] = field(default_factory=dict)
    explain_time_s: float = 0.0

    @property
    def has_option(self) -> bool:
        """An option to show: proven optimal, or a solution found within the time limit
        (a time limit reached with no solution at all has none)."""
        return self.status.has_option and self.objective is not None

    @property
    def decided(self) -> dict[str, int]:
        """The needs this option decides (selected, less the started investments)."""
        started = self.problem.started
        return {i: s for i, s in self.selected.items() if i not in started}

    @property
    def spend(self) -> np.ndarray:
        """Pools × years: what is already committed (past spending, started investments)
        and what this option decides."""
        by_id = self.problem.by_id()
        total = np.array(self.problem.committed, dtype=float)
        for need_id, start in self.decided.items():
            total += by_id[need_id].profiles[start]
        return total

    def spending(self) -> pd.DataFrame:
        """Spending per year and pool (1.000 kr.): actual before the plan year, planned from it."""
        return _year_pool_table(self.problem, self.spend)

    def unspent(self) -> pd.DataFrame:
        """Unspent money at the end of each year per pool. Before the plan year: what the
        OFS carried on (cumulative frame less cumulative spending). From it: the plan year
        starts with the money transferred into it; without carry-over each later year's
        unspent money lapses, with it it moves on."""
        problem = self.problem
        s = problem.start
        left = problem.frame - self.spend
        out = np.zeros_like(left)
        out[:, :s] = np.cumsum(left[:, :s], axis=1)
        ahead = left[:, s:].copy()
        if problem.commitments is not None:
            ahead[:, 0] += problem.commitments.transfer_in
        out[:, s:] = np.cumsum(ahead, axis=1) if problem.carry_over else ahead
        return _year_pool_table(problem, out)

    def unspent_total(self) -> pd.Series:
        """Per pool: the whole frame less all spending (past, committed and planned). With
        carry-over it is the money left at the end; without it, the sum of what lapses."""
        left = self.problem.frame.sum(axis=1) - self.spend.sum(axis=1)
        return pd.Series(left, index=list(POOLS))

    def value_of(self, need_id: str) -> float:
        start = self.selected[need_id]
        if need_id in self.problem.started_values:
            return self.problem.started_values[need_id] * self.problem.discount(start)
        return self.problem.by_id()[need_id].value * self.problem.discount(start)

    def allocations(self) -> pd.DataFrame:
        """The grants per need, year and pool (1.000 kr.): the ``bevillinger`` table, usable
        as next year's. It keeps the started investments' grants as they were (and a
        released one's grants before the plan year) and adds what this option decides."""
        by_id = self.problem.by_id()
        columns = ["id", "startaar", "aar", "styringsomraade", "beloeb"]
        rows = []
        for need_id, start in sorted(self.decided.items()):
            profile = by_id[need_id].profiles[start]
            for p, pool in enumerate(POOLS):
                for t, year in enumerate(self.problem.years):
                    if profile[p, t] > TOLERANCE:
                        amount = profile[p, t]
                        rows.append(
                            {"id": need_id, "startaar": start, "aar": year, "styringsomraade": pool, "beloeb": amount}
                        )
        decided = pd.DataFrame(rows, columns=columns)
        kept = self.problem.commitments.grants if self.problem.commitments is not None else None
        if kept is None or kept.empty:
            return decided
        table = pd.concat([kept.astype({"beloeb": float}), decided], ignore_index=True)
        return table.sort_values(["id", "aar", "styringsomraade"], kind="stable").reset_index(drop=True)


def _year_pool_table(problem: Problem, array: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(array.T, index=pd.Index(problem.years, name="year"), columns=list(POOLS))
