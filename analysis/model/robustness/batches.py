"""A batch of robustness runs, solved on one model: what a worker receives (a :class:`Job`
and the rows of one batch), the model it keeps between batches, and the typed answer
(:class:`Batch`).

One HiGHS model per worker thread is built once per job and reused: a run only changes the
budget-row coefficients (costs), the objective (need values) or the budget bounds (frame
level). :func:`solve_batch` is a pure function of its task, so the same batch gives the
same answer in any process, on any machine.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np
import pandas as pd

from analysis.inputs.contracts import POOLS
from analysis.model.allocation.problem import Problem, cost_shape
from analysis.model.allocation.solver import Model
from analysis.model.allocation.types import Status


class Varied(StrEnum):
    """What each row of a batch sets on the model."""

    COSTS = "costs"  # each need's cost
    VALUES = "values"  # each need's value (a weighting)
    SCALE = "scale"  # the frame level (one number)
    COSTS_VALUES = "costs+values"  # each need's cost, then each need's value (a draw of both)


@dataclass(frozen=True)
class Job:
    """What a worker needs to build one phase's model, sent with every batch so that any
    process, on any machine (a Dask worker), can solve any batch; a worker builds the model
    once per job (``token``) and reuses it."""

    token: str
    problem: Problem
    register: pd.DataFrame
    time_limit: float
    costs: dict[str, float]  # each candidate's cost when costs are not what varies
    frame: np.ndarray  # pools × years: the frame a scale of 1 means
    gap: float = 0.0  # each run stops once proven within this relative gap


@dataclass(frozen=True)
class Task:
    """One batch of runs: each row of ``rows`` is one run's costs, values or frame scale."""

    job: Job
    varied: Varied
    rows: np.ndarray  # COSTS_VALUES: each row the costs, then the values, by candidate

    def __len__(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class Batch:
    """The answer to a task, one entry per run in its order."""

    funded: np.ndarray  # runs × candidates (bool)
    objective: np.ndarray  # NaN: no plan
    unspent: np.ndarray  # runs × pools
    statuses: list[Status]
    gaps: np.ndarray  # NaN: no proven gap

    def __len__(self) -> int:
        return len(self.objective)


@dataclass
class _WorkerModel:
    """A job's model on this thread, with each column's cost profile per unit of cost."""

    token: str
    model: Model
    units: list[np.ndarray]  # per column: pools × years per unit of cost
    loads: list[np.ndarray]  # per column: the budget rows' load per unit of cost
    index: dict[str, int]  # candidate id → its place in a row
    costs: np.ndarray  # per candidate: the job's cost
    frame: np.ndarray
    discounts: np.ndarray  # per column: the time preference's factor for its start
    columns: dict[tuple[str, int], int]


_LOCAL = threading.local()  # per thread: a Dask worker may run several batches at once


def worker_model(job: Job) -> _WorkerModel:
    """This thread's model for ``job``, built unless it already holds it."""
    held = getattr(_LOCAL, "model", None)
    if held is not None and held.token == job.token:
        return held
    problem, register = job.problem, job.register
    # One HiGHS thread for every run, in this process, a pool worker or a Dask worker alike:
    # the answer of a run that stops at a gap or a time limit (or between equal optima)
    # depends on HiGHS's thread count, and the workers are the parallelism anyway (with
    # HiGHS's own threads as well, two workers on two cores ran slower than one).
    model = Model(problem, job.time_limit, gap=job.gap, threads=1)
    rows = {row.id: row for row in register.itertuples(index=False)}
    units = [cost_shape(rows[need_id], start, problem.years) for need_id, start in model.columns]
    _LOCAL.model = _WorkerModel(
        token=job.token,
        model=model,
        units=units,
        loads=[problem.load(unit) for unit in units],
        index={c.id: k for k, c in enumerate(problem.candidates)},
        costs=np.array([job.costs[c.id] for c in problem.candidates]),
        frame=job.frame,
        discounts=np.array([problem.discount(s) for _, s in model.columns]),
        columns={key: j for j, key in enumerate(model.columns)},
    )
    return _LOCAL.model


def scaled_frame(problem: Problem, frame: np.ndarray, scale: float) -> np.ndarray:
    """``frame`` (pools × years) with its plan years ``scale`` times as large. Years before
    the plan year are history: their frame, and so the money they move into the plan year,
    stay as they were."""
    scaled = frame.copy()
    scaled[:, problem.start :] *= scale
    return scaled


def scaled_capacity(problem: Problem, frame: np.ndarray, scale: float) -> np.ndarray:
    """The budget rows' right-hand sides at a frame level (the started investments'
    commitments stay as they are)."""
    return replace(problem, frame=scaled_frame(problem, frame, scale)).capacity()


def _apply(held: _WorkerModel, varied: Varied, row: np.ndarray) -> None:
    """Set one run's costs, need values or frame scale on the worker's model."""
    model, index = held.model, held.index
    if varied == Varied.SCALE:
        model.set_capacity(scaled_capacity(model.problem, held.frame, float(row[0])))
        return
    if varied in (Varied.COSTS, Varied.COSTS_VALUES):
        model.set_column_costs(held.loads, np.array([row[index[need_id]] for need_id, _ in model.columns]))
    if varied in (Varied.VALUES, Varied.COSTS_VALUES):
        values = row[len(index) :] if varied == Varied.COSTS_VALUES else row
        model.set_column_values(np.array([values[index[need_id]] for need_id, _ in model.columns]) * held.discounts)


def solve_batch(task: Task) -> Batch:
    """Solve one batch of runs (see the module docstring)."""
    held = worker_model(task.job)
    model, index = held.model, held.index
    problem: Problem = model.problem
    runs = len(task.rows)
    funded = np.zeros((runs, len(index)), dtype=bool)
    objective = np.full(runs, np.nan)
    unspent = np.full((runs, len(POOLS)), np.nan)
    gaps = np.full(runs, np.nan)
    statuses = []
    for r, row in enumerate(task.rows):
        _apply(held, task.varied, row)
        run = model.solve()
        statuses.append(run.status)
        if run.mip_gap is not None:
            gaps[r] = run.mip_gap
        if run.objective is None:
            continue
        objective[r] = run.objective
        costs = row[: len(index)] if task.varied in (Varied.COSTS, Varied.COSTS_VALUES) else held.costs
        spend = np.zeros((len(POOLS), len(problem.years)))
        for need_id, start in run.selected.items():
            funded[r, index[need_id]] = True
            spend += held.units[held.columns[(need_id, start)]] * costs[index[need_id]]
        scale = float(row[0]) if task.varied == Varied.SCALE else 1.0
        # what is left at the frame's end: the frame less past spending, the started
        # investments' commitments and this run's new decisions
        unspent[r] = (scaled_frame(problem, held.frame, scale) - problem.committed - spend).sum(axis=1)
    return Batch(funded, objective, unspent, statuses, gaps)


def solve_task(job: Job, varied: Varied, rows: np.ndarray) -> Batch:
    """:func:`solve_batch` for a job shared once with every Dask worker."""
    return solve_batch(Task(job, varied, rows))
