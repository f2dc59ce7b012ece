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

    @property
    def has_option(self) -> bool:
        """An option to show: proven optimal, or the best found within the time limit."""
        return self in (Status.OPTIMAL, Status.TIME_LIMIT)


class Reason(StrEnum):
    """Why a need is not funded. The values are the ``reason`` codes of ``allocate --json``."""

    NO_ESTIMATE = "no_estimate"
    FORCED_OUT = "forced_out"
    NO_FIT = "does_not_fit"
    DEPENDENCY = "unmet_dependency"
    VARIANT = "other_variant"
    OUTCOMPETED = "outcompeted"
    FORCED_CONFLICT = "conflicts_with_forced"


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


@dataclass(frozen=True)
class Conflict:
    """A demand that cannot hold, found before solving."""

    kind: ConflictKind
    ids: tuple[str, ...]
    group: str = ""  # FORCED_VARIANTS: the variant group
    why: Explanation | None = None  # FORCED_UNFUNDABLE: why the need cannot be funded


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
    def spend(self) -> np.ndarray:
        by_id = self.problem.by_id()
        total = np.zeros_like(self.problem.frame)
        for need_id, start in self.selected.items():
            total += by_id[need_id].profiles[start]
        return total

    def spending(self) -> pd.DataFrame:
        """Spending per year and pool (1.000 kr.)."""
        return _year_pool_table(self.problem, self.spend)

    def unspent(self) -> pd.DataFrame:
        """Unspent money at the end of each year per pool: carried on with carry-over,
        lapsing each year without it."""
        left = self.problem.frame - self.spend
        return _year_pool_table(self.problem, np.cumsum(left, axis=1) if self.problem.carry_over else left)

    def value_of(self, need_id: str) -> float:
        candidate = self.problem.by_id()[need_id]
        return candidate.value * self.problem.discount(self.selected[need_id])

    def allocations(self) -> pd.DataFrame:
        """The funded amounts per need, year and pool (1.000 kr.): the ``bevillinger`` table."""
        by_id = self.problem.by_id()
        rows = []
        for need_id, start in sorted(self.selected.items()):
            profile = by_id[need_id].profiles[start]
            for p, pool in enumerate(POOLS):
                for t, year in enumerate(self.problem.years):
                    if profile[p, t] > TOLERANCE:
                        rows.append(
                            {
                                "id": need_id,
                                "startaar": start,
                                "aar": year,
                                "styringsomraade": pool,
                                "beloeb": profile[p, t],
                            }
                        )
        return pd.DataFrame(rows, columns=["id", "startaar", "aar", "styringsomraade", "beloeb"])


def _year_pool_table(problem: Problem, array: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(array.T, index=pd.Index(problem.years, name="aar"), columns=list(POOLS))
