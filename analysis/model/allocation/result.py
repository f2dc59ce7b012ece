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
        """Pools × years: what is udmøntet: already (every earlier grant before the plan
        year, the fixed investments' from it) and by this option."""
        by_id = self.problem.by_id()
        total = np.array(self.problem.committed, dtype=float)
        for need_id, start in self.decided.items():
            total += by_id[need_id].profiles[start]
        return total

    def spending(self) -> pd.DataFrame:
        """What is udmøntet per year and pool (1.000 kr.): earlier decisions before the plan
        year; from it the fixed investments' grants and this option's."""
        return _year_pool_table(self.problem, self.spend)

    def limit(self) -> np.ndarray:
        """Pools × years: what each year may udmønte, all told: its frame, plus the pool's own
        money an OFS moved into it, less what an OFS returned to the kassen (and, for an OFS's
        alternative, the free money in the plan year). Less what is udmøntet, it is what is not
        yet udmøntet: the one basis of the money left."""
        commitments = self.problem.commitments
        if commitments is None:
            return self.problem.frame
        return self.problem.frame + commitments.money_besides_frame()

    def unspent(self) -> pd.DataFrame:
        """Money not udmøntet per year and pool: what each year may udmønte less what is
        udmøntet. With planned carry-over it moves on, cumulatively from the plan year."""
        problem = self.problem
        s = problem.start
        left = self.limit() - self.spend
        out = left.copy()
        if problem.carry_over:
            out[:, s:] = np.cumsum(left[:, s:], axis=1)
        return _year_pool_table(problem, out)

    def unspent_total(self) -> pd.Series:
        """Per pool: over all years, what could be udmøntet less what is udmøntet."""
        left = (self.limit() - self.spend).sum(axis=1)
        return pd.Series(left, index=list(POOLS))

    def value_of(self, need_id: str) -> float:
        start = self.selected[need_id]
        if need_id in self.problem.started_values:
            return self.problem.started_values[need_id] * self.problem.discount(start)
        return self.problem.by_id()[need_id].value * self.problem.discount(start)

    def decisions(self, only_start: int | None = None) -> list[tuple]:
        """This option's udmøntning as ledger entries ``(id, year, pool, amount, art,
        start)``: the whole profile of each need it decides (only those starting in
        ``only_start`` when given: later starts are indicative)."""
        by_id = self.problem.by_id()
        entries = []
        for need_id, start in sorted(self.decided.items()):
            if only_start is not None and start != only_start:
                continue
            profile = by_id[need_id].profiles[start]
            for p, pool in enumerate(POOLS):
                for t, year in enumerate(self.problem.years):
                    if profile[p, t] > TOLERANCE:
                        entries.append((need_id, year, pool, float(profile[p, t]), "udmøntet", start))
        return entries


def _year_pool_table(problem: Problem, array: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(array.T, index=pd.Index(problem.years, name="year"), columns=list(POOLS))
