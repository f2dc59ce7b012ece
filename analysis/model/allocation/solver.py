"""The mixed-integer programme for the optimised strategies, solved in-process by HiGHS
(highspy).

Model. One variable ``x[i, s]`` per fundable need ``i`` and allowed start year ``s`` (see
:mod:`analysis.model.allocation.problem` for the cost profiles):

- each need at most once; at most one need per ``variantgruppe``;
- a need is funded only if every need it ``forudsaetter`` is funded, starting no later:
  for every year t, ``sum_{s<=t} x[i, s] <= sum_{s<=t} x[j, s]``;
- per pool and year the spending stays within the frame (cumulatively with carry-over);
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
import threading
import time
from dataclasses import dataclass

import numpy as np

from analysis.inputs.contracts import POOLS
from analysis.inputs.parameters import Options
from analysis.model.allocation.problem import Problem
from analysis.model.allocation.types import TOLERANCE, Status

_STATUS = {"kOptimal": Status.OPTIMAL, "kInfeasible": Status.INFEASIBLE, "kTimeLimit": Status.TIME_LIMIT}


# HiGHS runs on one scheduler (thread pool) per process, started by the first run with that
# run's ``threads``; a later run asking for another count fails. Its tree search splits the
# work between as many search workers as the scheduler has threads, so the same model can
# end at a different answer on one thread than on two when it stops at a gap, a time limit
# or between optima of equal value (measured: a 100-need register at a 0,3 % gap ended at
# 498,68 on one thread and 498,16 on two).
_SCHEDULER = {"threads": None}  # this process's scheduler's thread count (None: not started)
_SCHEDULER_LOCK = threading.Lock()  # Dask workers run batches in threads side by side

# The main option and its explanations run on this many threads on every machine, not on
# as many as the machine has (HiGHS's default): where two plans are worth exactly the same
# (two needs with the same value and cost), which one HiGHS returns depends on its thread
# count, and a report must not change with the machine that renders it. Two is what the
# development machine has, so every measured number in the README holds as it was.
MAIN_THREADS = 2


def _scheduler_for(threads: int) -> None:
    """Restart this process's HiGHS scheduler when a model needs another thread count than
    it was started with (robustness runs: one; the main option: ``MAIN_THREADS``)."""
    import highspy

    with _SCHEDULER_LOCK:
        if _SCHEDULER["threads"] is not None and _SCHEDULER["threads"] != threads:
            highspy.Highs.resetGlobalScheduler(True)
        _SCHEDULER["threads"] = threads


# HiGHS starts every MIP solve with its feasibility-jump heuristic, which costs about 1,7 ms
# whatever the model's size. On a model this small (the shipped 14-need register has 46
# columns) that is most of a solve: without it a re-solve takes 1,2 ms instead of 3,0 ms,
# and 1.000 robustness draws 1,7 s instead of 4,1 s. On larger models it pays for itself
# (25 generated needs, about 170 columns: 7,0 draws a second with it, 6,5 without; at
# 100-1.000 needs the main solve's gap after 20 s was mostly worse without it), so it stays.
SMALL_MODEL_COLUMNS = 100

# When a gap is asked for (robustness --gap, report --gap), HiGHS spends more of its effort
# on primal heuristics (its default is 0,05): a better plan found early closes the gap
# sooner, and the slow draws are where it shows. Measured on 40 cost draws of generated
# 100-need registers at a 1 % gap, one process: seed 1 37,2 s → 29,5 s (slowest draw 4,3 s →
# 2,3 s), seed 2 47,2 s → 33,1 s (one draw no longer stopped at the 10 s limit), seed 3
# 16,0 s → 16,2 s. Exact solves (gap 0) keep the default: an effort of 0,2 was no better
# there on most registers (README, "What was tried").
GAP_HEURISTIC_EFFORT = 0.8


class Cancelled(Exception):
    """A solve stopped by its :class:`Cancel` token: nobody waits for its answer any more."""


class Cancel:
    """A token that stops the solves of every model made with it, from another thread (the
    workbench's proof of an option the analyst has already moved away from).

    HiGHS checks for an interrupt between its steps; the models watched by a token enable
    that check (a small callback per step, which the other models do not pay for). A solve
    that starts after :meth:`cancel`, or is interrupted by it, raises :class:`Cancelled`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._watched: list = []
        self.cancelled = False

    def watch(self, highs) -> None:
        with self._lock:
            highs.HandleUserInterrupt = True
            self._watched.append(highs)
            if self.cancelled:
                highs.cancelSolve()

    def cancel(self) -> None:
        with self._lock:
            self.cancelled = True
            for highs in self._watched:
                highs.cancelSolve()

    def check(self) -> None:
        if self.cancelled:
            raise Cancelled


@dataclass
class Solve:
    """One run of the solver: its real status, objective, relative gap, the bound it
    proved (an upper bound on the best objective), wall seconds and the selection."""

    status: Status
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

    ``threads``: HiGHS threads, ``MAIN_THREADS`` by default on every machine. Robustness
    runs use one in every process, so that a run's answer never depends on where it ran.

    ``gap``: stop once the best option found is proven within this relative gap of the best
    possible (status ``within_gap``); 0, the default, proves optimality.

    With ``extra_frame=True`` the model instead finds the least extra frame: it gets one
    continuous column per pool and year that adds to that year's frame, the needs' values
    are set to 0, and the objective minimises the total extra money.
    """

    def __init__(
        self,
        problem: Problem,
        time_limit: float = Options().time_limit,
        extra_frame: bool = False,
        gap: float = 0.0,
        threads: int = MAIN_THREADS,
        cancel: Cancel | None = None,
    ):
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
        # prove optimality (HiGHS would stop at 0,01 %) unless a gap is asked for
        self.gap = float(gap)
        self.highs.setOptionValue("mip_rel_gap", self.gap)
        self.highs.setOptionValue("mip_abs_gap", 1e-9)
        if self.gap > 0:
            self.highs.setOptionValue("mip_heuristic_effort", GAP_HEURISTIC_EFFORT)
        self.highs.setOptionValue("random_seed", 0)
        self.threads = int(threads)
        self.highs.setOptionValue("threads", self.threads)
        self._build(highspy)
        self.cancel = cancel
        if cancel is not None:
            cancel.watch(self.highs)
        if self.num_structural <= SMALL_MODEL_COLUMNS:
            self.highs.setOptionValue("mip_heuristic_run_feasibility_jump", False)

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
        if problem.running_limit is not None:
            # the ceiling on afledt drift: a funded need runs whichever year it starts
            cols = [j for j, (need_id, _s) in enumerate(self.columns) if problem.running.get(need_id, 0) > 0]
            coefs = [problem.running[self.columns[j][0]] for j in cols]
            rows.append((cols, coefs, -highspy.kHighsInf, max(problem.running_limit, 0.0)))
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

    def _run(self) -> None:
        """One HiGHS run; :class:`Cancelled` when the model's token stops it (or stopped it
        before it began)."""
        if self.cancel is not None:
            self.cancel.check()
        _scheduler_for(self.threads)
        self.highs.run()
        if self.cancel is not None:
            self.cancel.check()

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
    ) -> tuple[Status, dict[tuple[str, int], float]]:
        """(extra_frame model) The least extra frame per (pool, year) that funds every id in
        ``must_fund`` (and the forced needs) together."""
        import highspy

        for need_id in must_fund:
            self.force_in(need_id)
        self.highs.setOptionValue("time_limit", float(time_limit or self.time_limit))
        self._run()
        # read the answer before releasing: changing a bound resets HiGHS's status
        status = self.highs.getModelStatus()
        values = self.highs.getSolution().col_value[self.num_structural :]
        for need_id in must_fund:
            self.release(need_id)
        if status != highspy.HighsModelStatus.kOptimal:
            return _STATUS.get(status.name, Status.ERROR), {}
        extra = {
            (POOLS[p], self.problem.years[t]): float(v)
            for (p, t), v in zip(self.extra_columns, values, strict=True)
            if v > TOLERANCE
        }
        return Status.OPTIMAL, extra

    def solve(self, start_solution: dict[str, int] | None = None, time_limit: float | None = None) -> Solve:
        """Solve, optionally warm-started from a selection and with its own time limit."""
        import highspy

        if not self.columns:
            return Solve(Status.OPTIMAL, 0.0, 0.0, 0.0, 0.0, {})
        if start_solution is not None:
            solution = highspy.HighsSolution()
            solution.col_value = self._vector(start_solution)
            self.highs.setSolution(solution)
        if time_limit is not None:
            self.highs.setOptionValue("time_limit", float(time_limit))
        began = time.perf_counter()
        self._run()
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
            # stopped by a gap that was asked for: say so, never "optimal"
            proven = Status.WITHIN_GAP if self.gap > 0 and gap > 0 else Status.OPTIMAL
            return Solve(proven, objective, gap, bound, seconds, selected)
        if status == highspy.HighsModelStatus.kInfeasible:
            return Solve(Status.INFEASIBLE, None, None, None, seconds, {})
        if status == highspy.HighsModelStatus.kTimeLimit:
            gap = float(info.mip_gap) if has_solution and math.isfinite(info.mip_gap) else None
            return Solve(Status.TIME_LIMIT, objective, gap, bound, seconds, selected)
        return Solve(Status.ERROR, objective, None, bound, seconds, selected)

    def set_column_costs(self, unit_loads: list[np.ndarray], costs: np.ndarray) -> None:
        """Replace each column's coefficients in the budget rows: ``unit_loads[j]`` is column
        j's pools × years load per unit of cost (cumulative with carry-over), ``costs[j]``
        its need's cost in this draw."""
        for j, (unit, cost) in enumerate(zip(unit_loads, costs, strict=True)):
            for (p, t), row in self.budget_rows.items():
                if unit[p, t] > 0:
                    self.highs.changeCoeff(row, j, float(unit[p, t] * cost))

    def set_column_values(self, values: np.ndarray) -> None:
        """Replace the objective value of every (need, start) column: a new weighting."""
        n = len(self.columns)
        self.highs.changeColsCost(n, np.arange(n, dtype=np.int32), np.asarray(values, dtype=float))

    def set_capacity(self, capacity: np.ndarray) -> None:
        """Replace the budget rows' right-hand sides (pools × years): a scaled frame."""
        for (p, t), row in self.budget_rows.items():
            self.highs.changeRowBounds(row, -math.inf, float(capacity[p, t]))

    def force_in(self, need_id: str) -> None:
        self.highs.changeRowBounds(self.once_row[need_id], 1.0, 1.0)

    def release(self, need_id: str) -> None:
        """Undo :meth:`force_in`."""
        candidate = self.by_id[need_id]
        self.highs.changeRowBounds(self.once_row[need_id], 1.0 if candidate.forced else 0.0, 1.0)
