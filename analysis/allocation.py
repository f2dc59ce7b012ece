"""Allocation options: which needs to fund, and from which start year, within the frame.

The exact strategies (``max-potential``, ``max-benefit``) are a mixed-integer programme
solved in-process by HiGHS (highspy). The ``priority`` strategy is today's practice, kept
as the baseline: walk the needs in ``prioritet`` order and fund each at the earliest start
that still fits.

Model. One binary ``x[i, s]`` per fundable need ``i`` and allowed start year ``s``.
A need's cost (at the chosen cost level) is spread over the years from ``s`` by its
``fordeling`` and split between the pools by ``andel_anlaeg``; a start whose spread would
run past the frame's last year is not allowed.

- each need at most once; at most one need per ``variantgruppe``;
- a need is funded only if every need it ``forudsaetter`` is funded, starting no later:
  for every year t, ``sum_{s<=t} x[i, s] <= sum_{s<=t} x[j, s]``;
- per pool and year the spending stays within the frame: with carry-over (the default, as
  the OFS allows) cumulatively, ``sum_{t'<=t} spend <= sum_{t'<=t} frame``, so unspent money
  moves to later years of the same pool and is never borrowed from a later year; without
  it, year by year;
- ``obligatorisk`` and ``force_in`` needs are funded; ``force_out`` needs are not.

The objective is the sum of the funded needs' values, each multiplied by
``(1 + time_preference) ** -(s - first year)`` so that earlier starts are worth more.
A need's value is the weighted sum of its four potential scores (``max-potential``) or its
``gevinst`` (``max-benefit``).
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.findings import BadArgument
from analysis.frame import POOLS, amounts, frame_years
from analysis.register import POTENTIALS

STRATEGIES = ("priority", "max-potential", "max-benefit")
COST_LEVELS = {"min": "omkostning_min", "expected": "omkostning_forventet", "max": "omkostning_max"}
COST_LEVEL_LABELS = {"min": "minimum", "expected": "forventet", "max": "maksimum"}
STRATEGY_LABELS = {
    "priority": "Prioriteret rækkefølge (dagens praksis)",
    "max-potential": "Størst potentiale",
    "max-benefit": "Størst gevinst",
}
# An earlier start is worth 3 % more per year: enough to break ties in favour of starting
# now rather than parking money in later years, small against differences in value.
DEFAULT_TIME_PREFERENCE = 0.03
DEFAULT_TIME_LIMIT = 60.0
DEFAULT_EXPLAIN_TIME_LIMIT = 20.0
TOLERANCE = 1e-6

# Reasons a need is not funded (codes are stable; texts are Danish).
NO_ESTIMATE = "no_estimate"
FORCED_OUT = "forced_out"
NO_FIT = "does_not_fit"
DEPENDENCY = "unmet_dependency"
VARIANT = "other_variant"
OUTCOMPETED = "outcompeted"
FORCED_CONFLICT = "conflicts_with_forced"
REASON_LABELS = {
    NO_ESTIMATE: "intet estimat",
    FORCED_OUT: "fravalgt",
    NO_FIT: "passer ikke i rammen, heller ikke alene",
    DEPENDENCY: "forudsætning ikke finansieret",
    VARIANT: "anden variant valgt",
    OUTCOMPETED: "udkonkurreret",
    FORCED_CONFLICT: "passer ikke ved siden af de tvungne behov",
}


@dataclass(frozen=True)
class Options:
    """What to optimise and under which rules; every field has a documented default."""

    strategy: str = "max-potential"
    cost_level: str = "expected"
    # tilgængelighed, aflastning, forenkling, skalering
    weights: tuple[float, float, float, float] = (1.0, 1.0, 1.0, 1.0)
    time_preference: float = DEFAULT_TIME_PREFERENCE
    carry_over: bool = True
    force_in: tuple[str, ...] = ()
    force_out: tuple[str, ...] = ()
    explain: bool = True
    time_limit: float = DEFAULT_TIME_LIMIT
    explain_time_limit: float = DEFAULT_EXPLAIN_TIME_LIMIT  # seconds for all explanation re-solves together

    def __post_init__(self):
        if self.strategy not in STRATEGIES:
            raise BadArgument(f"ukendt strategi {self.strategy!r}; brug {', '.join(STRATEGIES)}")
        if self.cost_level not in COST_LEVELS:
            raise BadArgument(f"ukendt omkostningsniveau {self.cost_level!r}; brug {', '.join(COST_LEVELS)}")
        if len(self.weights) != 4 or any(w < 0 or not math.isfinite(w) for w in self.weights):
            raise BadArgument("vægtene skal være fire tal ≥ 0 (tilgængelighed, aflastning, forenkling, skalering)")
        if self.time_preference < 0:
            raise BadArgument("tidspræferencen skal være ≥ 0")

    @property
    def label(self) -> str:
        return f"{STRATEGY_LABELS[self.strategy]}, {COST_LEVEL_LABELS[self.cost_level]} omkostning"


# --- the prepared problem ----------------------------------------------------------------


@dataclass
class Candidate:
    """A fundable need with its cost profile per allowed start year (pools × years, 1.000 kr.)."""

    id: str
    value: float
    profiles: dict[int, np.ndarray]
    group: str | None = None
    requires: tuple[str, ...] = ()
    forced: bool = False
    priority: float = math.inf

    @property
    def starts(self) -> list[int]:
        return sorted(self.profiles)


@dataclass
class Problem:
    years: list[int]
    frame: np.ndarray  # pools × years
    candidates: list[Candidate]
    carry_over: bool
    time_preference: float
    pre_excluded: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (reason, detail)
    conflicts: list[str] = field(default_factory=list)  # forced demands that cannot all hold

    def discount(self, start: int) -> float:
        return (1 + self.time_preference) ** -(start - self.years[0])

    def by_id(self) -> dict[str, Candidate]:
        return {c.id: c for c in self.candidates}

    def capacity(self) -> np.ndarray:
        """Right-hand sides of the budget rows: cumulative frame with carry-over."""
        return np.cumsum(self.frame, axis=1) if self.carry_over else self.frame

    def load(self, spend: np.ndarray) -> np.ndarray:
        """Left-hand sides of the budget rows for a spending table."""
        return np.cumsum(spend, axis=1) if self.carry_over else spend

    def fits(self, spend: np.ndarray) -> bool:
        return bool(np.all(self.load(spend) <= self.capacity() + TOLERANCE))

    def shortfall(self, spend: np.ndarray) -> np.ndarray:
        """The least extra frame per pool and year that makes ``spend`` fit (≥ 0)."""
        over = self.load(spend) - self.capacity()
        if not self.carry_over:
            return np.clip(over, 0, None)
        needed = np.maximum.accumulate(np.clip(over, 0, None), axis=1)  # cumulative extra needed
        return np.diff(needed, axis=1, prepend=0.0)


def need_value(register: pd.DataFrame, options: Options) -> pd.Series:
    """Each need's value under the strategy (before the time preference)."""
    if options.strategy == "max-benefit":
        return register["gevinst"].fillna(0.0).astype(float)
    scores = register[list(POTENTIALS)].fillna(0.0).astype(float)
    return scores @ np.asarray(options.weights, dtype=float)


def cost_profile(row, cost: float, start: int, years: list[int]) -> np.ndarray | None:
    """A need's cost spread from ``start`` and split into pools (pools × years), or None
    when the spread would run past the frame's last year."""
    spread = np.asarray(row.fordeling, dtype=float) / 100
    first = years.index(start)
    if first + len(spread) > len(years):
        return None  # the cost would fall after the frame's last year
    profile = np.zeros((len(POOLS), len(years)))
    share = float(row.andel_anlaeg)
    profile[0, first : first + len(spread)] = cost * (1 - share) * spread
    profile[1, first : first + len(spread)] = cost * share * spread
    return profile


def build_problem(register: pd.DataFrame, frame: pd.DataFrame, options: Options) -> Problem:
    """Turn validated tables into the candidates and frame the solvers work on."""
    years = frame_years(frame)
    frame_array = amounts(frame)[list(POOLS)].to_numpy().T.astype(float)
    values = need_value(register, options)
    cost_column = COST_LEVELS[options.cost_level]
    forced_out = set(options.force_out)
    forced_in = set(options.force_in) | set(register.loc[register["obligatorisk"], "id"])
    known = set(register["id"])
    problem = Problem(years, frame_array, [], options.carry_over, options.time_preference)
    for unknown in sorted((set(options.force_in) | forced_out) - known):
        problem.conflicts.append(f'"{unknown}" er ikke et id i registeret')
    for both in sorted(forced_in & forced_out):
        problem.conflicts.append(f'"{both}" er både tvunget ind og fravalgt')

    for index, row in register.iterrows():
        if not row["har_estimat"]:
            problem.pre_excluded[row["id"]] = (NO_ESTIMATE, "behovet har intet estimat endnu")
            continue
        if row["id"] in forced_out:
            problem.pre_excluded[row["id"]] = (FORCED_OUT, "fravalgt af brugeren")
            continue
        earliest = years[0] if pd.isna(row["tidligste_start"]) else max(years[0], int(row["tidligste_start"]))
        latest = years[-1] if pd.isna(row["seneste_start"]) else min(years[-1], int(row["seneste_start"]))
        profiles = {}
        cost = float(row[cost_column])
        for start in range(earliest, latest + 1):
            profile = cost_profile(row, cost, start, years)
            if profile is not None and problem.fits(profile):
                profiles[start] = profile
        if not profiles:
            problem.pre_excluded[row["id"]] = (NO_FIT, _no_fit_detail(problem, row, cost, earliest, latest))
            continue
        problem.candidates.append(
            Candidate(
                id=row["id"],
                value=float(values[index]),
                profiles=profiles,
                group=row["variantgruppe"] if isinstance(row["variantgruppe"], str) else None,
                requires=tuple(row["forudsaetter"]),
                forced=row["id"] in forced_in,
                priority=float(row["prioritet"]) if not pd.isna(row["prioritet"]) else math.inf,
            )
        )
    _check_forced(problem, forced_in, register)
    return problem


def _no_fit_detail(problem: Problem, row, cost: float, earliest: int, latest: int) -> str:
    """Plain words on why a need fits in no allowed start year even alone."""
    from analysis import fmt

    if earliest > latest:
        return f"ingen tilladt startår inden for rammens år {problem.years[0]}–{problem.years[-1]}"
    parts = []
    for start in range(earliest, latest + 1):
        profile = cost_profile(row, cost, start, problem.years)
        if profile is None:
            parts.append(f"start {start}: udgiften falder efter {problem.years[-1]}")
            continue
        gap = problem.shortfall(profile)
        worst = np.unravel_index(np.argmax(gap), gap.shape)
        parts.append(
            f"start {start}: mangler {fmt.mio(gap.sum())} ({POOLS[worst[0]]} {problem.years[worst[1]]} "
            f"{fmt.mio(gap[worst])})"
        )
    return "; ".join(parts)


def _check_forced(problem: Problem, forced_in: set[str], register: pd.DataFrame) -> None:
    fundable = problem.by_id()
    for need_id in sorted(forced_in):
        if need_id in problem.pre_excluded:
            reason, detail = problem.pre_excluded[need_id]
            if reason != FORCED_OUT:
                problem.conflicts.append(f'"{need_id}" skal med, men kan ikke finansieres: {detail}')
    groups: dict[str, list[str]] = {}
    for candidate in problem.candidates:
        if candidate.forced and candidate.group:
            groups.setdefault(candidate.group, []).append(candidate.id)
        if candidate.forced:
            for dep in candidate.requires:
                if dep not in fundable:
                    problem.conflicts.append(
                        f'"{candidate.id}" skal med, men forudsætter "{dep}", som ikke kan finansieres'
                    )
    for group, members in groups.items():
        if len(members) > 1:
            problem.conflicts.append(f"{', '.join(members)} skal alle med, men er varianter i samme gruppe ({group})")


# --- results -----------------------------------------------------------------------------


@dataclass
class Result:
    """One allocation option, with the solver's real status."""

    options: Options
    status: str  # optimal | time_limit | infeasible | error
    objective: float | None
    mip_gap: float | None
    solve_time_s: float
    selected: dict[str, int]  # id -> start year
    problem: Problem
    method: str = "milp"  # milp | priority
    message: str = ""
    explanations: dict[str, dict] = field(default_factory=dict)  # id -> reason, detail, value_lost, extra
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


def _year_pool_table(problem: Problem, array: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(array.T, index=pd.Index(problem.years, name="aar"), columns=list(POOLS))


# --- the priority baseline ---------------------------------------------------------------


def priority_walk(problem: Problem) -> tuple[dict[str, int], dict[str, tuple[str, str]]]:
    """Today's practice: forced needs first, then needs in ``prioritet`` order (ties by id,
    unranked last); fund each at its earliest start that fits next to what is funded.

    Returns the funded starts and, for each need skipped, the reason and a detail.
    """
    order = sorted(problem.candidates, key=lambda c: (not c.forced, c.priority, c.id))
    funded: dict[str, int] = {}
    skipped: dict[str, tuple[str, str]] = {}
    spend = np.zeros_like(problem.frame)
    taken_groups: dict[str, str] = {}
    for candidate in order:
        if candidate.group and candidate.group in taken_groups:
            skipped[candidate.id] = (VARIANT, f"varianten {taken_groups[candidate.group]} er valgt")
            continue
        missing = [d for d in candidate.requires if d not in funded]
        if missing:
            skipped[candidate.id] = (DEPENDENCY, f"{', '.join(missing)} er ikke finansieret, når turen kommer hertil")
            continue
        latest_dep = max((funded[d] for d in candidate.requires), default=problem.years[0])
        start = next(
            (s for s in candidate.starts if s >= latest_dep and problem.fits(spend + candidate.profiles[s])), None
        )
        if start is None:
            skipped[candidate.id] = (OUTCOMPETED, "er der ikke plads til, når turen kommer hertil")
            continue
        funded[candidate.id] = start
        spend += candidate.profiles[start]
        if candidate.group:
            taken_groups[candidate.group] = candidate.id
    return funded, skipped


# --- the MILP ----------------------------------------------------------------------------


@dataclass
class Solve:
    """One run of the solver: its real status, objective, relative gap, the bound it
    proved (an upper bound on the best objective), wall seconds and the selection."""

    status: str
    objective: float | None
    mip_gap: float | None
    bound: float | None
    seconds: float
    selected: dict[str, int]


@contextlib.contextmanager
def _quiet_stdout():
    """HiGHS prints a banner straight to the process's stdout when the first instance is
    made; send it to /dev/null so stdout carries only --json and reports stay clean."""
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


class Model:
    """The MILP for a problem, kept in one HiGHS instance so that re-solves (explanations,
    samples) change bounds and costs instead of rebuilding it.

    With ``extra_frame=True`` the model instead finds the least extra frame: it gets one
    continuous column per pool and year that adds to that year's frame, the needs' values
    are set to 0, and the objective minimises the total extra money.
    """

    def __init__(self, problem: Problem, time_limit: float = DEFAULT_TIME_LIMIT, extra_frame: bool = False):
        import highspy

        self.problem = problem
        self.by_id = problem.by_id()
        self.extra_frame = extra_frame
        self.columns: list[tuple[str, int]] = []
        self.column_of: dict[tuple[str, int], int] = {}
        for candidate in problem.candidates:
            for start in candidate.starts:
                self.column_of[(candidate.id, start)] = len(self.columns)
                self.columns.append((candidate.id, start))
        with _quiet_stdout():
            self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        self.time_limit = float(time_limit)
        self.highs.setOptionValue("time_limit", self.time_limit)
        self.highs.setOptionValue("mip_rel_gap", 0.0)  # prove optimality; do not stop at 0,01 %
        self.highs.setOptionValue("mip_abs_gap", 1e-9)
        self.highs.setOptionValue("random_seed", 0)
        self._build(highspy)

    def _rows(self, highspy) -> list[tuple[list[int], list[float], float, float]]:
        problem, by_id = self.problem, self.by_id
        rows: list[tuple[list[int], list[float], float, float]] = []
        self.once_row: dict[str, int] = {}
        for candidate in problem.candidates:
            cols = [self.column_of[(candidate.id, s)] for s in candidate.starts]
            self.once_row[candidate.id] = len(rows)
            rows.append((cols, [1.0] * len(cols), 1.0 if candidate.forced else 0.0, 1.0))
        groups: dict[str, list[int]] = {}
        for candidate in problem.candidates:
            if candidate.group:
                cols = [self.column_of[(candidate.id, s)] for s in candidate.starts]
                groups.setdefault(candidate.group, []).extend(cols)
        for cols in groups.values():
            rows.append((cols, [1.0] * len(cols), 0.0, 1.0))
        self.blocked: set[str] = set()
        for candidate in problem.candidates:
            for dep in candidate.requires:
                if dep not in by_id:
                    self.blocked.add(candidate.id)  # needs something that cannot be funded
                    continue
                for year in candidate.starts:
                    own = [self.column_of[(candidate.id, s)] for s in candidate.starts if s <= year]
                    theirs = [self.column_of[(dep, s)] for s in by_id[dep].starts if s <= year]
                    rows.append((own + theirs, [1.0] * len(own) + [-1.0] * len(theirs), -highspy.kHighsInf, 0.0))
        self.budget_rows: dict[tuple[int, int], int] = {}
        capacity = problem.capacity()
        loads = [problem.load(by_id[need_id].profiles[start]) for need_id, start in self.columns]
        for p in range(len(POOLS)):
            for t in range(len(problem.years)):
                cols = [j for j, load in enumerate(loads) if load[p, t] > 0]
                self.budget_rows[(p, t)] = len(rows)
                rows.append((cols, [float(loads[j][p, t]) for j in cols], -highspy.kHighsInf, float(capacity[p, t])))
        return rows

    def _build(self, highspy) -> None:
        rows = self._rows(highspy)
        n = len(self.columns)
        # Step variables z[i, s] = "need i has started by year s" (= the sum of x[i, s'] for
        # s' <= s) carry the integrality; x stays continuous. Branching on "started by" splits
        # the search far more evenly than branching on single start years: on generated
        # 100-need registers with a time preference it proves optimality several times faster.
        self.z_columns: list[tuple[str, int]] = []
        for candidate in self.problem.candidates:
            for k, start in enumerate(candidate.starts):
                z = n + len(self.z_columns)
                self.z_columns.append((candidate.id, start))
                own = [self.column_of[(candidate.id, s)] for s in candidate.starts[: k + 1]]
                rows.append((own + [z], [1.0] * len(own) + [-1.0], 0.0, 0.0))
        self.num_structural = n + len(self.z_columns)
        entries: list[list[tuple[int, float]]] = [[] for _ in range(self.num_structural)]
        for i, (cols, coefs, _, _) in enumerate(rows):
            for j, coef in zip(cols, coefs, strict=True):
                entries[j].append((i, coef))
        cost = [0.0 if self.extra_frame else self._column_value(j) for j in range(n)] + [0.0] * len(self.z_columns)
        lower = [0.0] * self.num_structural
        upper = [0.0 if need_id in self.blocked else 1.0 for need_id, _ in self.columns + self.z_columns]
        integrality = [highspy.HighsVarType.kContinuous] * n + [highspy.HighsVarType.kInteger] * len(self.z_columns)
        self.extra_columns: list[tuple[int, int]] = []
        if self.extra_frame:
            years = len(self.problem.years)
            for p in range(len(POOLS)):
                for t in range(years):
                    later = range(t, years) if self.problem.carry_over else [t]
                    entries.append([(self.budget_rows[(p, u)], -1.0) for u in later])
                    cost.append(-1.0)  # maximising −extra = minimising the extra frame
                    lower.append(0.0)
                    upper.append(highspy.kHighsInf)
                    integrality.append(highspy.HighsVarType.kContinuous)
                    self.extra_columns.append((p, t))
        start, index, value = [0], [], []
        for column in entries:
            for i, coef in sorted(column):
                index.append(i)
                value.append(coef)
            start.append(len(index))
        lp = highspy.HighsLp()
        lp.num_col_ = len(entries)
        lp.num_row_ = len(rows)
        lp.sense_ = highspy.ObjSense.kMaximize
        lp.col_cost_ = np.array(cost, dtype=float)
        lp.col_lower_ = np.array(lower, dtype=float)
        lp.col_upper_ = np.array(upper, dtype=float)
        lp.row_lower_ = np.array([r[2] for r in rows], dtype=float)
        lp.row_upper_ = np.array([r[3] for r in rows], dtype=float)
        lp.integrality_ = integrality
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = np.array(start, dtype=np.int32)
        lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
        lp.a_matrix_.value_ = np.array(value, dtype=float)
        lp.a_matrix_.num_col_ = len(entries)
        lp.a_matrix_.num_row_ = len(rows)
        self.highs.passModel(lp)

    def _vector(self, selected: dict[str, int]) -> np.ndarray:
        """A full column vector (x, z and any extra-frame columns at 0) for a selection."""
        values = np.zeros(self.highs.getNumCol())
        for need_id, start in selected.items():
            if (need_id, start) in self.column_of:
                values[self.column_of[(need_id, start)]] = 1.0
        for k, (need_id, start) in enumerate(self.z_columns):
            if need_id in selected and selected[need_id] <= start:
                values[len(self.columns) + k] = 1.0
        return values

    def _column_value(self, j: int) -> float:
        need_id, start = self.columns[j]
        return self.by_id[need_id].value * self.problem.discount(start)

    def least_extra_frame(
        self, must_fund: list[str], time_limit: float | None = None
    ) -> tuple[str, dict[tuple[str, int], float]]:
        """(extra_frame model) The least extra frame per (pool, year) that funds every id in
        ``must_fund`` (and the forced needs) together."""
        import highspy

        for need_id in must_fund:
            self.force_in(need_id)
        self.highs.setOptionValue("time_limit", float(time_limit or self.time_limit))
        self.highs.run()
        # read the answer before releasing: changing a bound resets HiGHS's status
        status = self.highs.getModelStatus()
        values = self.highs.getSolution().col_value[self.num_structural :]
        for need_id in must_fund:
            self.release(need_id)
        if status != highspy.HighsModelStatus.kOptimal:
            return self.highs.modelStatusToString(status), {}
        extra = {
            (POOLS[p], self.problem.years[t]): float(v)
            for (p, t), v in zip(self.extra_columns, values, strict=True)
            if v > TOLERANCE
        }
        return "optimal", extra

    def solve(self, start_solution: dict[str, int] | None = None, time_limit: float | None = None) -> Solve:
        """Solve, optionally warm-started from a selection and with its own time limit."""
        import highspy

        if not self.columns:
            return Solve("optimal", 0.0, 0.0, 0.0, 0.0, {})
        if start_solution is not None:
            solution = highspy.HighsSolution()
            solution.col_value = self._vector(start_solution)
            self.highs.setSolution(solution)
        if time_limit is not None:
            self.highs.setOptionValue("time_limit", float(time_limit))
        began = time.perf_counter()
        self.highs.run()
        seconds = time.perf_counter() - began
        if time_limit is not None:
            self.highs.setOptionValue("time_limit", float(self.time_limit))
        status = self.highs.getModelStatus()
        info = self.highs.getInfo()
        has_solution = info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible
        selected = {}
        if has_solution:
            values = self.highs.getSolution().col_value
            selected = {self.columns[j][0]: self.columns[j][1] for j in range(len(self.columns)) if values[j] > 0.5}
        objective = info.objective_function_value if has_solution else None
        bound = float(info.mip_dual_bound) if math.isfinite(info.mip_dual_bound) else None
        if status == highspy.HighsModelStatus.kOptimal:
            gap = 0.0 if info.mip_gap <= 1e-9 else float(info.mip_gap)
            return Solve("optimal", objective, gap, bound, seconds, selected)
        if status == highspy.HighsModelStatus.kInfeasible:
            return Solve("infeasible", None, None, None, seconds, {})
        if status == highspy.HighsModelStatus.kTimeLimit:
            gap = float(info.mip_gap) if has_solution and math.isfinite(info.mip_gap) else None
            return Solve("time_limit", objective, gap, bound, seconds, selected)
        return Solve("error", objective, None, bound, seconds, selected)

    def force_in(self, need_id: str) -> None:
        self.highs.changeRowBounds(self.once_row[need_id], 1.0, 1.0)

    def release(self, need_id: str) -> None:
        """Undo :meth:`force_in`."""
        candidate = self.by_id[need_id]
        self.highs.changeRowBounds(self.once_row[need_id], 1.0 if candidate.forced else 0.0, 1.0)


# --- the entry point ---------------------------------------------------------------------


def allocate(register: pd.DataFrame, frame: pd.DataFrame, options: Options | None = None) -> Result:
    """Compute one allocation option, with explanations unless ``options.explain`` is off."""
    options = options or Options()
    problem = build_problem(register, frame, options)
    if problem.conflicts:
        return Result(options, "infeasible", None, None, 0.0, {}, problem, message=" ".join(problem.conflicts) + ".")
    if options.strategy == "priority":
        began = time.perf_counter()
        funded, skipped = priority_walk(problem)
        seconds = time.perf_counter() - began
        missing_forced = [c.id for c in problem.candidates if c.forced and c.id not in funded]
        result = Result(options, "optimal", None, None, seconds, funded, problem, method="priority")
        result.objective = sum(result.value_of(i) for i in funded)
        if missing_forced:
            result.status = "infeasible"
            result.message = _infeasible_message(problem)
        result.explanations = _explain_priority(result, skipped)
        return result
    model = Model(problem, options.time_limit)
    run = model.solve()
    result = Result(options, run.status, run.objective, run.mip_gap, run.seconds, run.selected, problem)
    status = run.status
    if status == "infeasible":
        result.message = _infeasible_message(problem)
        return result
    if options.explain and status in ("optimal", "time_limit"):
        began = time.perf_counter()
        result.explanations = explain(result, model)
        result.explain_time_s = time.perf_counter() - began
    else:
        result.explanations = {k: {"reason": r, "detail": d} for k, (r, d) in problem.pre_excluded.items()}
    return result


def _infeasible_message(problem: Problem) -> str:
    """Which forced needs collide in which pool and year: the least extra frame that would
    let all of them in (the extra-frame model)."""
    from analysis import fmt

    forced = [c.id for c in problem.candidates if c.forced]
    if not forced:
        return "Ingen løsning opfylder kravene."
    status, extra = Model(problem, extra_frame=True).least_extra_frame([])
    names = ", ".join(forced)
    if status != "optimal" or not extra:
        return f"De tvungne behov ({names}) kan ikke finansieres samtidig."
    where = "; ".join(f"{fmt.mio(amount)} på {pool} i {year}" for (pool, year), amount in sorted(extra.items()))
    return f"De tvungne behov ({names}) kan ikke finansieres samtidig inden for rammen: der mangler {where}."


def _explain_priority(result: Result, skipped: dict[str, tuple[str, str]]) -> dict[str, dict]:
    explanations = {k: {"reason": r, "detail": d} for k, (r, d) in result.problem.pre_excluded.items()}
    extra_model = None
    for need_id, (reason, detail) in skipped.items():
        explanations[need_id] = {"reason": reason, "detail": detail}
        if reason == OUTCOMPETED:
            extra_model = extra_model or Model(result.problem, extra_frame=True)
            explanations[need_id]["extra_frame"] = extra_model.least_extra_frame([*result.selected, need_id])[1]
    return explanations


def explain(result: Result, model: Model) -> dict[str, dict]:
    """A reason for every need not funded. For a need that lost to others (outcompeted, or
    another variant chosen): the value lost by forcing it in, from a re-solve warm-started
    from the chosen option, and for outcompeted needs the least extra frame that funds it
    next to the option.

    The re-solves share ``options.explain_time_limit``; a re-solve cut short reports the
    value lost as a range (``value_lost_min`` from the solver's bound, ``value_lost`` from
    the best forced option found), never as exact.
    """
    problem = result.problem
    explanations = {k: {"reason": r, "detail": d} for k, (r, d) in problem.pre_excluded.items()}
    by_id = problem.by_id()
    chosen_group = {by_id[i].group: i for i in result.selected if by_id[i].group}
    extra_model = None
    pending = []
    for candidate in problem.candidates:
        if candidate.id in result.selected:
            continue
        if candidate.group and candidate.group in chosen_group:
            pending.append(
                (candidate, {"reason": VARIANT, "detail": f"varianten {chosen_group[candidate.group]} er valgt"})
            )
        elif unmet := [d for d in candidate.requires if d not in result.selected]:
            explanations[candidate.id] = {
                "reason": DEPENDENCY,
                "detail": f"forudsætter {', '.join(unmet)}, som ikke er finansieret",
            }
        else:
            pending.append(
                (candidate, {"reason": OUTCOMPETED, "detail": "giver mindre værdi for pengene end de valgte behov"})
            )
    deadline = time.perf_counter() + result.options.explain_time_limit
    for index, (candidate, entry) in enumerate(pending):
        share = max(0.05, (deadline - time.perf_counter()) / (len(pending) - index))
        # What forcing it in would cost: a re-solve warm-started from the chosen option.
        model.force_in(candidate.id)
        run = model.solve(start_solution=result.selected, time_limit=share)
        model.release(candidate.id)
        entry["value_lost_status"] = run.status
        if run.status == "infeasible" and entry["reason"] == OUTCOMPETED:
            # It fits alone, but no option holds it: its prerequisites cannot start early
            # enough or fit beside it, or it collides with the forced needs.
            if candidate.requires:
                entry = {
                    "reason": DEPENDENCY,
                    "detail": f"kan ikke finansieres sammen med {', '.join(candidate.requires)}, "
                    "som skal starte samme år eller før",
                }
            else:
                entry = {"reason": FORCED_CONFLICT, "detail": "der er ikke plads ved siden af de tvungne behov"}
            explanations[candidate.id] = entry
            continue
        if run.objective is not None and result.objective is not None:
            entry["value_lost"] = max(0.0, result.objective - run.objective)
            proven = run.status == "optimal" and result.status == "optimal"
            low = entry["value_lost"] if proven or run.bound is None else max(0.0, result.objective - run.bound)
            entry["value_lost_min"] = min(low, entry["value_lost"])
            entry["value_lost_proven"] = proven
            entry["forced_option"] = run.selected
        else:
            entry["value_lost"] = None
        if entry["reason"] == OUTCOMPETED:
            extra_model = extra_model or Model(problem, extra_frame=True)
            status, extra = extra_model.least_extra_frame([*result.selected, candidate.id], time_limit=share)
            entry["extra_frame"] = extra if status == "optimal" else None
        explanations[candidate.id] = entry
    return explanations


def with_frame(frame: pd.DataFrame, scale: float) -> pd.DataFrame:
    """The frame with every amount multiplied by ``scale``."""
    scaled = frame.copy()
    scaled["beloeb"] = scaled["beloeb"] * scale
    return scaled


# --- plain data for JSON, files and tables -------------------------------------------------


def allocations(result: Result) -> pd.DataFrame:
    """The funded amounts per need, year and pool (1.000 kr.): the ``bevillinger`` table."""
    by_id = result.problem.by_id()
    rows = []
    for need_id, start in sorted(result.selected.items()):
        profile = by_id[need_id].profiles[start]
        for p, pool in enumerate(POOLS):
            for t, year in enumerate(result.problem.years):
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


def _year_pool_records(table: pd.DataFrame) -> list[dict]:
    return [
        {"year": int(year), "pool": pool, "amount": round(float(table.loc[year, pool]), 6)}
        for year in table.index
        for pool in POOLS
    ]


def to_dict(result: Result) -> dict:
    """The option as plain data (the ``--json`` contract: status, objective, mip_gap,
    solve_time_s, selected, spending, unspent, excluded, and more)."""
    options = result.options
    excluded = []
    for need_id, why in sorted(result.explanations.items()):
        entry = {
            "id": need_id,
            "reason": why["reason"],
            "reason_text": REASON_LABELS[why["reason"]],
            "detail": why.get("detail", ""),
        }
        for key in ("value_lost", "value_lost_min", "value_lost_proven"):
            if key in why:
                entry[key] = why[key]
        if why.get("extra_frame") is not None:
            entry["extra_frame"] = [
                {"pool": pool, "year": year, "amount": round(amount, 6)}
                for (pool, year), amount in sorted(why["extra_frame"].items())
            ]
        excluded.append(entry)
    return {
        "status": result.status,
        "objective": result.objective,
        "mip_gap": result.mip_gap,
        "solve_time_s": round(result.solve_time_s, 6),
        "method": result.method,
        "strategy": options.strategy,
        "cost_level": options.cost_level,
        "weights": list(options.weights),
        "time_preference": options.time_preference,
        "carry_over": options.carry_over,
        "force_in": list(options.force_in),
        "force_out": list(options.force_out),
        "message": result.message,
        "selected": [
            {"id": need_id, "start_year": start, "value": result.value_of(need_id)}
            for need_id, start in sorted(result.selected.items())
        ],
        "spending": _year_pool_records(result.spending()),
        "unspent": _year_pool_records(result.unspent()),
        "excluded": excluded,
        "explain_time_s": round(result.explain_time_s, 6),
    }
