"""The typed results of an allocation: the solver status, why each need is left out, why a
set of demands cannot be met, and the option itself. Report code reads these directly;
the Danish words for them live in :mod:`analysis.report.vocabulary`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import pandas as pd

from analysis.inputs.contracts import POOLS
from analysis.model.allocation.options import TOLERANCE, Options
from analysis.model.allocation.problem import Problem


class Status(StrEnum):
    """A solver's real status. The values are the ``status`` codes of ``allocate --json``."""

    OPTIMAL = "optimal"
    TIME_LIMIT = "time_limit"
    INFEASIBLE = "infeasible"
    ERROR = "error"
    # proven within a gap that was asked for (robustness --gap), not proven optimal;
    # allocate always proves optimality and never returns it
    WITHIN_GAP = "within_gap"

    @property
    def has_option(self) -> bool:
        """An option to show: proven optimal (or within the gap asked for), or the best
        found within the time limit."""
        return self in (Status.OPTIMAL, Status.TIME_LIMIT, Status.WITHIN_GAP)


class Reason(StrEnum):
    """Why a need is not funded. The values are the ``reason`` codes of ``allocate --json``."""

    NO_ESTIMATE = "no_estimate"
    FORCED_OUT = "forced_out"
    NO_FIT = "does_not_fit"
    DEPENDENCY = "unmet_dependency"
    VARIANT = "other_variant"
    OUTCOMPETED = "outcompeted"
    FORCED_CONFLICT = "conflicts_with_forced"
    RELEASED = "released"


class Case(StrEnum):
    """Which situation a reason arose in, when one reason has several."""

    PLAIN = "plain"
    PRIORITY_TURN = "priority_turn"  # the priority walk reached the need and found it blocked
    CANNOT_START_TOGETHER = "cannot_start_together"  # its prerequisites cannot start early enough beside it


@dataclass(frozen=True)
class StartShortfall:
    """For one allowed start year of a need that fits in none: what is missing alone."""

    start: int
    after_frame: bool  # the cost would fall after the frame's last year
    missing: float = 0.0  # 1.000 kr., all pools and years
    worst_pool: str = ""
    worst_year: int = 0
    worst_amount: float = 0.0


@dataclass(frozen=True)
class Explanation:
    """Why one need is not in the option.

    ``others`` names the needs the reason is about: the chosen variant (``VARIANT``) or the
    unmet prerequisites (``DEPENDENCY``). For a need that lost to others, ``value_lost`` is
    what forcing it in costs the objective (a re-solve; ``value_lost_min`` is the proven
    lower end when the re-solve was cut short) and ``extra_frame`` the least extra money
    per (pool, year) that funds it beside the option.
    """

    reason: Reason
    case: Case = Case.PLAIN
    others: tuple[str, ...] = ()
    shortfalls: tuple[StartShortfall, ...] = ()  # NO_FIT: one per allowed start year
    resolve_status: Status | None = None  # None: no re-solve was made
    value_lost: float | None = None
    value_lost_min: float | None = None
    value_lost_proven: bool | None = None
    forced_option: Mapping[str, int] | None = None  # the best option that holds the need
    extra_frame_status: Status | None = None  # None: not computed for this reason
    extra_frame: Mapping[tuple[str, int], float] | None = None


class ConflictKind(StrEnum):
    UNKNOWN_ID = "unknown_id"
    FORCED_BOTH_WAYS = "forced_both_ways"
    FORCED_UNFUNDABLE = "forced_unfundable"
    FORCED_PREREQUISITE = "forced_prerequisite"
    FORCED_VARIANTS = "forced_variants"
    FORCED_OUT_STARTED = "forced_out_started"  # a started investment stops only by release
    COMMITMENTS_EXCEED = "commitments_exceed"  # started investments alone exceed the frame


@dataclass(frozen=True)
class Conflict:
    """A demand that cannot hold, found before solving."""

    kind: ConflictKind
    ids: tuple[str, ...]
    group: str = ""  # FORCED_VARIANTS: the variant group
    why: Explanation | None = None  # FORCED_UNFUNDABLE: why the need cannot be funded
    pool: str = ""  # COMMITMENTS_EXCEED: where money is lacking, and how much (1.000 kr.)
    year: int = 0
    amount: float = 0.0


@dataclass(frozen=True)
class Shortage:
    """Forced needs that cannot be funded together: the least extra frame per (pool, year)
    that would let all of them in (``extra`` is None when it could not be computed)."""

    forced: tuple[str, ...]
    extra: Mapping[tuple[str, int], float] | None


@dataclass
class Result:
    """One allocation option, with the solver's real status."""

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
    return pd.DataFrame(array.T, index=pd.Index(problem.years, name="aar"), columns=list(POOLS))
