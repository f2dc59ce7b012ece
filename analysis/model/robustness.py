"""Robust options: how allocations hold up under uncertain costs and weights, and what
more or less money would change (Robust Portfolio Modelling's core index, after Liesiö,
Mild and Salo, for a multi-year, two-pool frame).

- Cost uncertainty: each need's cost is drawn from a PERT distribution on its three-point
  estimate (min, forventet, max): ``min + (max − min) · Beta(α, β)`` with
  ``α = 1 + 4 (forventet − min) / (max − min)`` and ``β = 1 + 4 (max − forventet) / (max − min)``,
  so the mode is the expected cost. A need with min = max keeps its cost. Every sample is
  re-optimised; a need's *core index* is the share of samples in which it is funded.
- Weight uncertainty: the weights of the four potentials are drawn uniformly from the
  analyst's ranges, or, without ranges, uniformly over all weightings (the simplex); the
  corners (each potential alone) and equal weights are always included.
- Classes: *kerne* (core) when funded in at least 90 % of the samples, *udenfor* (outside)
  at most 10 %, otherwise *grænsetilfælde* (borderline).
- Frontier: the best value as the frame is scaled (default 50 %–150 % in steps of 10 %),
  and the first level at which each need is funded.

One HiGHS model per worker process is built once and reused: a sample only changes the
budget-row coefficients (costs), the objective (weights) or the budget bounds (frame
level). Samples are drawn up front from one seed, so results do not depend on how they
are split between processes. Every solve uses the rules of the allocation's main option
(its time preference and carry-over by default) and, for a later plan year, the same
commitments (:mod:`analysis.model.plan`): started investments stay as they are and keep
their money, and only the open needs are drawn and decided. A need's class is thus judged
under the same rules and on the same money as the option it is shown beside.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis.inputs.contracts import POOLS
from analysis.inputs.financing_frame import frame_array
from analysis.model.allocation.options import DEFAULT_TIME_PREFERENCE, DEFAULT_WEIGHTS, Options
from analysis.model.allocation.problem import (
    Problem,
    build_problem,
    cost_profile,
    potential_scores,
    with_frame,
)
from analysis.model.allocation.result import Status
from analysis.model.allocation.solver import Model

if TYPE_CHECKING:
    from analysis.model.plan import Commitments


class CoreClass(StrEnum):
    """A need's class by its core index. The values are the codes of ``robustness --json``."""

    CORE = "kerne"
    BORDERLINE = "grænsetilfælde"
    OUTSIDE = "udenfor"


CORE_THRESHOLD, OUTSIDE_THRESHOLD = 0.9, 0.1
DEFAULT_SCALES = tuple(round(0.5 + 0.1 * k, 2) for k in range(11))


@dataclass(frozen=True)
class Settings:
    strategy: str = "max-potential"
    samples: int = 1000
    seed: int = 0
    weights: tuple[float, float, float, float] = DEFAULT_WEIGHTS
    weight_ranges: tuple[tuple[float, float], ...] | None = None  # four (low, high) or None: all weightings
    scales: tuple[float, ...] = DEFAULT_SCALES
    # the allocation's own default: the core index judges the rules of the option it is shown beside
    time_preference: float = DEFAULT_TIME_PREFERENCE
    carry_over: bool = False  # as the allocation's default
    # as the option's: forced needs are in (out of) every run
    force_in: tuple[str, ...] = ()
    force_out: tuple[str, ...] = ()
    workers: int = 2
    time_limit: float = 10.0  # per solve
    # Per solve: stop once the run is proven within this relative gap of its best (0: prove
    # every run optimal). Proving optimality of a 100-need register with a time preference
    # takes longer than the time limit for most draws; a run stopped by the gap is still
    # reproducible (same seed, same answer), one stopped by the clock depends on the machine.
    gap: float = 0.0
    # Adaptive stopping: draw (up to ``samples``) until every need's class is settled, that
    # is its core index's 99 % Wilson interval lies within one class; at least
    # ``min_samples``. Off: exactly ``samples`` draws.
    adaptive: bool = False
    min_samples: int = 200

    def __post_init__(self):
        import math

        if not (math.isfinite(self.gap) and 0 <= self.gap < 1):
            raise ValueError(f"gap skal være mindst 0 og under 1 (en andel), ikke {self.gap}")
        if not (math.isfinite(self.time_limit) and self.time_limit > 0):
            raise ValueError(f"time_limit skal være et endeligt antal sekunder over 0, ikke {self.time_limit}")


@dataclass
class Outcome:
    """Funded needs per run (runs × needs, in ``ids`` order), objective and unspent money."""

    ids: list[str]
    funded: np.ndarray
    objective: np.ndarray
    unspent: np.ndarray  # runs × pools: money left at the end of the frame
    statuses: list[Status] = field(default_factory=list)
    gaps: np.ndarray = field(default_factory=lambda: np.zeros(0))  # per run: the proven relative gap (NaN: none)

    def worst_gap(self) -> float | None:
        """The largest proven gap of the runs that found a plan (None: none did). A run with
        no plan (the frame too small at a low frame level) has no gap; its status says so."""
        found = self.gaps[np.isfinite(self.gaps)]
        return float(found.max()) if len(found) else None

    def at_time_limit(self) -> int:
        """Runs stopped by the time limit rather than by proof (their answer depends on the machine's speed)."""
        return sum(s == Status.TIME_LIMIT for s in self.statuses)

    def core_index(self) -> pd.Series:
        share = self.funded.mean(axis=0) if len(self.funded) else np.zeros(len(self.ids))
        return pd.Series(share, index=self.ids, name="kerneindeks")


Z_99 = 2.5758  # two-sided 99 %


def wilson(share: np.ndarray, n: int, z: float = Z_99) -> tuple[np.ndarray, np.ndarray]:
    """The Wilson score interval of shares observed in ``n`` draws (low, high)."""
    if n == 0:
        return np.zeros_like(share), np.ones_like(share)
    centre = (share + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def settled(funded: np.ndarray) -> bool:
    """Every need's class is settled: its core index's interval lies within one class."""
    n = len(funded)
    if n == 0:
        return False
    low, high = wilson(funded.mean(axis=0), n)
    core = low >= CORE_THRESHOLD
    outside = high <= OUTSIDE_THRESHOLD
    borderline = (low > OUTSIDE_THRESHOLD) & (high < CORE_THRESHOLD)
    return bool(np.all(core | outside | borderline))


def classify(share: float) -> CoreClass:
    if share >= CORE_THRESHOLD:
        return CoreClass.CORE
    if share <= OUTSIDE_THRESHOLD:
        return CoreClass.OUTSIDE
    return CoreClass.BORDERLINE


# --- sampling -------------------------------------------------------------------------------


def pert_samples(register: pd.DataFrame, ids: list[str], n: int, rng: np.random.Generator) -> np.ndarray:
    """n × len(ids) costs (1.000 kr.) drawn from PERT on each need's min, forventet, max."""
    reg = register.set_index("id").loc[ids]
    low = reg["omkostning_min"].to_numpy(float)
    mode = reg["omkostning_forventet"].to_numpy(float)
    high = reg["omkostning_max"].to_numpy(float)
    span = high - low
    safe = np.where(span > 0, span, 1.0)
    alpha = 1 + 4 * (mode - low) / safe
    beta = 1 + 4 * (high - mode) / safe
    draws = rng.beta(alpha, beta, size=(n, len(ids)))
    return np.where(span > 0, low + span * draws, low)


def weight_samples(settings: Settings, n: int, rng: np.random.Generator) -> np.ndarray:
    """n weightings; the first ones are the corners (and equal weights) of the admissible set."""
    if settings.weight_ranges is None:
        corners = np.vstack([np.eye(4), np.full((1, 4), 0.25)])
        random = rng.dirichlet(np.ones(4), size=max(n - len(corners), 0))
    else:
        low = np.array([r[0] for r in settings.weight_ranges], dtype=float)
        high = np.array([r[1] for r in settings.weight_ranges], dtype=float)
        corners = np.array([[high[k] if (c >> k) & 1 else low[k] for k in range(4)] for c in range(16)])
        corners = np.unique(corners, axis=0)
        random = low + (high - low) * rng.random((max(n - len(corners), 0), 4))
    return np.vstack([corners, random])[: max(n, len(corners))]


# --- the worker: one model, many solves -------------------------------------------------------

_LOCAL = threading.local()  # per thread: a Dask worker may run several batches at once


def _worker() -> dict:
    """This thread's model and the arrays that go with it."""
    if not hasattr(_LOCAL, "state"):
        _LOCAL.state = {}
    return _LOCAL.state


@dataclass(frozen=True)
class Job:
    """What a worker needs to build one phase's model, sent with every batch so that any
    process, on any machine (a Dask worker), can solve any batch; a worker builds the model
    once per job (``token``) and reuses it."""

    token: str
    problem: Problem
    register: pd.DataFrame
    time_limit: float
    costs: dict[str, float]
    frame: np.ndarray  # pools × years: the frame a scale of 1 means
    gap: float = 0.0  # each run stops once proven within this relative gap


def _prepare(job: Job) -> None:
    """Build the job's model unless this process already holds it, with each column's cost
    profile per unit of cost."""
    state = _worker()
    if state.get("token") == job.token:
        return
    problem, register = job.problem, job.register
    # One HiGHS thread for every run, in this process, a pool worker or a Dask worker alike:
    # the answer of a run that stops at a gap or a time limit (or between equal optima)
    # depends on HiGHS's thread count, and the workers are the parallelism anyway (with
    # HiGHS's own threads as well, two workers on two cores ran slower than one).
    model = Model(problem, job.time_limit, gap=job.gap, threads=1)
    rows = {row.id: row for row in register.itertuples(index=False)}
    units = [cost_profile(rows[need_id], 1.0, start, problem.years) for need_id, start in model.columns]
    state.clear()
    state.update(
        token=job.token,
        model=model,
        units=units,
        loads=[problem.load(unit) for unit in units],
        index={c.id: k for k, c in enumerate(problem.candidates)},
        costs=np.array([job.costs[c.id] for c in problem.candidates]),
        frame=job.frame,
        discounts=np.array([problem.discount(s) for _, s in model.columns]),
    )


def _apply(kind: str, row: np.ndarray) -> None:
    """Set one run's costs, need values or frame scale on the worker's model."""
    state = _worker()
    model, index = state["model"], state["index"]
    if kind == "costs":
        model.set_column_costs(state["loads"], np.array([row[index[need_id]] for need_id, _ in model.columns]))
    elif kind == "values":
        model.set_column_values(np.array([row[index[need_id]] for need_id, _ in model.columns]) * state["discounts"])
    else:
        model.set_capacity(scaled_capacity(model.problem, state["frame"], float(row[0])))


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


def solve_batch(
    task: tuple[Job, str, np.ndarray],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[Status], np.ndarray]:
    """Solve one batch of runs. ``kind`` is ``costs``, ``values`` or ``scales``: each row of
    the batch holds one run's costs, need values or (single) frame scale. A pure function of
    its task: the same batch gives the same answer in any process."""
    job, kind, batch = task
    _prepare(job)
    state = _worker()
    model, index = state["model"], state["index"]
    columns = {key: j for j, key in enumerate(model.columns)}
    problem: Problem = model.problem
    funded = np.zeros((len(batch), len(index)), dtype=bool)
    objective = np.full(len(batch), np.nan)
    unspent = np.full((len(batch), len(POOLS)), np.nan)
    gaps = np.full(len(batch), np.nan)
    statuses = []
    for r, row in enumerate(batch):
        _apply(kind, row)
        run = model.solve()
        statuses.append(run.status)
        if run.mip_gap is not None:
            gaps[r] = run.mip_gap
        if run.objective is None:
            continue
        objective[r] = run.objective
        costs = row if kind == "costs" else state["costs"]
        spend = np.zeros((len(POOLS), len(problem.years)))
        for need_id, start in run.selected.items():
            funded[r, index[need_id]] = True
            spend += state["units"][columns[(need_id, start)]] * costs[index[need_id]]
        scale = float(row[0]) if kind == "scales" else 1.0
        # what is left at the frame's end: the frame less past spending, the started
        # investments' commitments and this run's new decisions
        unspent[r] = (scaled_frame(problem, state["frame"], scale) - problem.committed - spend).sum(axis=1)
    return funded, objective, unspent, statuses, gaps


# --- running batches: in this process, a local process pool, or a Dask cluster ---------------


class Engine:
    """Runs batches in order and yields their results in order, so the outcome never
    depends on the engine or the number of workers. ``Engine(workers)``: in this process
    (1) or a local process pool; :class:`DaskEngine`: a Dask cluster. One engine serves
    every phase of a run (the pool starts once)."""

    # Starting the pool costs its workers' imports (about 1,5 s on the development machine),
    # and in a notebook kernel its shutdown as much again: work that would take less than
    # this in this process stays here.
    POOL_WORTH = 3.0

    def __init__(self, workers: int = 1):
        self.workers = max(1, min(workers, os.cpu_count() or 1))
        self._pool = None
        self._per_run: float | None = None  # seconds per run, measured in this process

    # A batch of runs is one task for a worker. Ten fast runs per task keep the pool's
    # overhead small; a run slower than this goes alone, so that every worker has work even
    # when only a few draws are asked for (a 50-need register: seconds a draw).
    SLOW_RUN = 0.05

    @property
    def measuring(self) -> bool:
        """Nothing has been solved yet to tell how long a run takes."""
        return self._per_run is None and self._pool is None

    def batch_size(self) -> int:
        return 1 if self._per_run is not None and self._per_run >= self.SLOW_RUN else 10

    def imap(self, tasks: list, remaining: int | None = None):
        """The batches' results in order. ``remaining``: runs left in the phase, with these.
        The first batch ever is solved here, to measure; the rest go to the pool when the
        work left is worth starting it."""
        remaining = remaining if remaining is not None else sum(len(t[2]) for t in tasks)
        if self.workers == 1 or len(tasks) <= 1:
            yield from self._here(tasks)
            return
        if self._pool is None and self._per_run is None:
            yield from self._here(tasks[:1])
            remaining -= len(tasks[0][2])
            tasks = tasks[1:]
        if self._pool is None and remaining * self._per_run < self.POOL_WORTH:
            yield from self._here(tasks)
            return
        if self._pool is None:
            # forkserver, not fork: HiGHS keeps a thread pool, and forking a process that already
            # solved something (a notebook kernel, a test run) can deadlock the children.
            self._pool = multiprocessing.get_context("forkserver").Pool(self.workers)
        yield from self._pool.imap(solve_batch, tasks)

    def _here(self, tasks: list):
        for task in tasks:
            began = time.perf_counter()
            result = solve_batch(task)
            self._per_run = (time.perf_counter() - began) / max(len(task[2]), 1)
            yield result

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class DaskEngine(Engine):
    """The batches on a Dask distributed cluster (``scheduler``: its address, e.g.
    ``tcp://10.0.0.5:8786``, or a ``distributed.Client``). Each batch carries its job, so
    any worker can take any batch; results are gathered in submission order."""

    def __init__(self, scheduler):
        from distributed import Client

        self._own = not isinstance(scheduler, Client)
        self.client = Client(scheduler, timeout="10s") if self._own else scheduler
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))
        self._pool = None
        self._per_run = None

    @property
    def measuring(self) -> bool:
        return False  # the cluster is there to be used: nothing is solved here

    def batch_size(self) -> int:
        return 10

    def imap(self, tasks: list, remaining: int | None = None):
        if not tasks:
            return iter(())
        job = tasks[0][0]
        # the job (problem and register) is scattered once per phase, not pickled with every batch
        if getattr(self, "_token", None) != job.token:
            self._token, self._shared = job.token, self.client.scatter(job, broadcast=True)
        shared = self._shared
        futures = [self.client.submit(_solve_shared, shared, kind, batch, pure=False) for _, kind, batch in tasks]
        return (future.result() for future in futures)

    def close(self) -> None:
        if self._own:
            self.client.close()


def _solve_shared(job: Job, kind: str, batch: np.ndarray):
    return solve_batch((job, kind, batch))


def _run(
    problem: Problem,
    register: pd.DataFrame,
    kind: str,
    rows: np.ndarray,
    settings: Settings,
    progress: Callable[[int, int], None] | None,
    adaptive: bool = False,
    engine: Engine | None = None,
) -> Outcome:
    """Solve every row (one run each) in order; with ``adaptive`` (and the settings'
    ``adaptive``), check after each hundred runs whether every need's class is settled and
    stop there. The runs are taken in order, so where it stops depends only on the draws,
    not on the engine or its workers."""
    stop = None
    if adaptive and settings.adaptive:
        stop = lambda funded: len(funded) >= settings.min_samples and settled(funded)  # noqa: E731
    costs = _costs(register, problem, "omkostning_forventet")
    ids = [c.id for c in problem.candidates]
    job = Job(uuid.uuid4().hex, problem, register, settings.time_limit, costs, problem.frame.copy(), settings.gap)
    own = engine is None
    engine = engine or Engine(settings.workers)
    results = []

    def solve(wave_rows: np.ndarray, size: int, left: int):
        tasks = [(job, kind, wave_rows[k : k + size]) for k in range(0, len(wave_rows), size)]
        yield from engine.imap(tasks, left) if ids else map(solve_batch, tasks)

    try:
        done = 0
        # waves of a hundred runs: when adaptive stopping ends a phase, no work is left queued
        for first in range(0, len(rows), 100):
            wave = rows[first : first + 100]
            # adaptive stopping usually ends a small register's phase at its minimum of draws:
            # count only the draws sure to come when weighing whether a pool pays
            left = len(rows) - done if stop is None else max(settings.min_samples - done, len(wave))
            parts = [(wave, None)]
            if engine.measuring:  # the first run alone, here: it tells how long a run takes
                parts = [(wave[:1], 1), (wave[1:], None)]
            for part, size in parts:
                for result in solve(part, size or engine.batch_size(), left):
                    results.append(result)
                    done += len(result[1])  # runs, not batches: the count matches the number of draws
                    left -= len(result[1])
                    if progress:
                        progress(done, len(rows))
            if stop is not None and done % 100 == 0 and stop(np.vstack([r[0] for r in results])):
                if progress:
                    progress(done, done)  # the phase ends here
                break
    finally:
        if own:
            engine.close()
    return Outcome(
        ids,
        np.vstack([r[0] for r in results]) if results else np.zeros((0, len(ids)), bool),
        np.concatenate([r[1] for r in results]) if results else np.zeros(0),
        np.vstack([r[2] for r in results]) if results else np.zeros((0, len(POOLS))),
        [s for r in results for s in r[3]],
        np.concatenate([r[4] for r in results]) if results else np.zeros(0),
    )


def options_for(settings: Settings, commitments: Commitments | None = None, **changes) -> Options:
    """The allocation options a robustness run solves under: the settings' strategy,
    weights, time preference, carry-over and forced needs, at the commitments' plan year."""
    options = Options(
        strategy=settings.strategy,
        weights=settings.weights,
        time_preference=settings.time_preference,
        carry_over=settings.carry_over,
        force_in=tuple(settings.force_in),
        force_out=tuple(settings.force_out),
        explain=False,
        plan_year=commitments.plan_year if commitments is not None else None,
    )
    return replace(options, **changes)


def _problem(
    register: pd.DataFrame,
    frame: pd.DataFrame,
    settings: Settings,
    cost_level: str,
    commitments: Commitments | None = None,
    strategy: str | None = None,
) -> Problem:
    options = options_for(settings, commitments, cost_level=cost_level, strategy=strategy or settings.strategy)
    return build_problem(register, frame, options, commitments)


def _costs(register: pd.DataFrame, problem: Problem, column: str) -> dict[str, float]:
    reg = register.set_index("id")
    return {c.id: float(reg.loc[c.id, column]) for c in problem.candidates}


def cost_uncertainty(
    register, frame, settings: Settings, progress=None, engine=None, commitments: Commitments | None = None
) -> tuple[Outcome, np.ndarray]:
    """Re-optimise for ``settings.samples`` cost draws; returns the outcome and the draws.

    The model is built at minimum costs, so every start year that fits in some draw stays
    in it; each draw then sets the budget rows' coefficients. Only the open needs' costs
    are drawn: a started investment's money is already committed."""
    problem = _problem(register, frame, settings, "min", commitments)
    ids = [c.id for c in problem.candidates]
    rng = np.random.default_rng(settings.seed)
    draws = pert_samples(register, ids, settings.samples, rng)
    outcome = _run(problem, register, "costs", draws, settings, progress, adaptive=True, engine=engine)
    outcome.objective += sum(problem.started_values.values())  # the plan's value, as allocate counts it
    return outcome, draws[: len(outcome.funded)]


def weight_uncertainty(
    register, frame, settings: Settings, progress=None, engine=None, commitments: Commitments | None = None
) -> tuple[Outcome, np.ndarray]:
    """Re-optimise max-potential for ``settings.samples`` weightings at expected costs."""
    problem = _problem(register, frame, settings, "expected", commitments, strategy="max-potential")
    ids = [c.id for c in problem.candidates]
    weights = weight_samples(settings, settings.samples, np.random.default_rng(settings.seed + 1))
    scores = potential_scores(register.set_index("id").loc[ids]).to_numpy(float)
    values = weights @ scores.T
    outcome = _run(problem, register, "values", values, settings, progress, adaptive=True, engine=engine)
    return outcome, weights


def frontier(
    register, frame, settings: Settings, progress=None, engine=None, commitments: Commitments | None = None
) -> Outcome:
    """The best value at each frame scale (expected costs, the settings' strategy and
    weights). The model is built on the widest frame, so no start year is lost. A scale
    applies to the plan years' frame; the years before are history."""
    problem = _problem(register, with_frame(frame, max(settings.scales)), settings, "expected", commitments)
    problem.frame = frame_array(frame)
    scales = np.array(settings.scales, dtype=float).reshape(-1, 1)
    outcome = _run(problem, register, "scales", scales, settings, progress, engine=engine)
    outcome.objective += sum(problem.started_values.values())  # comparable with the options at 100 %
    return outcome


def entry_levels(
    register: pd.DataFrame, outcome: Outcome, scales: tuple[float, ...], started: list[str] = ()
) -> pd.Series:
    """The smallest frame scale at which each need is funded (NaN: at no scale tried); a
    started investment is in the plan at every scale."""
    levels = {need_id: min(scales) for need_id in started}
    for k, need_id in enumerate(outcome.ids):
        hits = [scales[r] for r in range(len(scales)) if outcome.funded[r, k]]
        levels[need_id] = min(hits) if hits else np.nan
    return pd.Series(levels).reindex(register["id"])


def core_table(register: pd.DataFrame, outcome: Outcome, started: list[str] = ()) -> pd.DataFrame:
    """Every register id with its core index (0 for needs that can never be funded, 1 for
    started investments, which stay in every run) and class."""
    share = outcome.core_index()
    if started:
        share = pd.concat([share, pd.Series(1.0, index=list(started), dtype=float)])
    share = share.reindex(register["id"]).fillna(0.0)
    return pd.DataFrame(
        {"id": register["id"].to_numpy(), "core_index": share.to_numpy(), "class": [classify(v) for v in share]}
    )


@dataclass
class Analysis:
    """The three analyses' raw outcomes, with the settings that made them."""

    settings: Settings
    register_ids: list[str]
    costs: Outcome
    weights: Outcome
    frontier: Outcome
    plan_year: int | None = None  # None: the frame's first year, nothing started
    started: list[str] = field(default_factory=list)  # started investments: funded in every run

    def _ids(self) -> pd.DataFrame:
        return pd.DataFrame({"id": self.register_ids})

    def cost_core(self) -> pd.DataFrame:
        """Every register id with its core index under cost uncertainty, its class, and the
        half-width of its 99 % interval (the Monte Carlo uncertainty)."""
        table = core_table(self._ids(), self.costs, self.started)
        low, high = wilson(table["core_index"].to_numpy(float), len(self.costs.funded))
        table["margin"] = np.where(table["id"].isin(self.started), 0.0, (high - low) / 2)  # started: a fact
        return table

    @property
    def draws(self) -> int:
        """Cost draws made (fewer than ``settings.samples`` when adaptive stopping settled)."""
        return len(self.costs.funded)

    def weight_core(self) -> pd.DataFrame:
        """Every register id with its core index under weight uncertainty and its class."""
        return core_table(self._ids(), self.weights, self.started)

    def entry_scales(self) -> pd.Series:
        """The smallest frame scale at which each need is funded (NaN: at no scale tried)."""
        return entry_levels(self._ids(), self.frontier, self.settings.scales, self.started)

    def value_distribution(self) -> dict:
        return quantiles(self.costs.objective)

    def unspent_distribution(self) -> dict[str, dict]:
        return {pool: quantiles(self.costs.unspent[:, p]) for p, pool in enumerate(POOLS)}


def run(
    register, frame, settings: Settings, progress=None, scheduler=None, commitments: Commitments | None = None
) -> Analysis:
    """All three analyses. ``progress(phase, done, total)`` is called after each batch with
    the runs done and the runs in the phase, ``phase`` one of ``costs``, ``weights`` and
    ``frontier``. ``scheduler``: a Dask scheduler's address (or client) to run the draws
    on; otherwise ``settings.workers`` local processes, started once for all three.
    ``commitments``: the plan year's, as the allocation's main option gets them
    (:func:`analysis.model.plan.for_options`); None for the frame's first year."""

    def phase(name: str):
        return None if progress is None else (lambda done, total: progress(name, done, total))

    with DaskEngine(scheduler) if scheduler is not None else Engine(settings.workers) as engine:
        costs, _ = cost_uncertainty(register, frame, settings, phase("costs"), engine, commitments)
        weights, _ = weight_uncertainty(register, frame, settings, phase("weights"), engine, commitments)
        front = frontier(register, frame, settings, phase("frontier"), engine, commitments)
    started = sorted(commitments.started) if commitments is not None else []
    plan_year = commitments.plan_year if commitments is not None else None
    return Analysis(settings, list(register["id"]), costs, weights, front, plan_year, started)


def quantiles(values: np.ndarray) -> dict:
    """The 5 % and 95 % quantiles, median and mean of the finite values (empty: none)."""
    values = values[np.isfinite(values)]
    if not len(values):
        return {}
    q = np.quantile(values, [0.05, 0.5, 0.95])
    return {
        "p05": float(q[0]),
        "median": float(q[1]),
        "p95": float(q[2]),
        "mean": float(values.mean()),
    }


def reference_options(
    register: pd.DataFrame, frame: pd.DataFrame, settings: Settings, commitments: Commitments | None = None
) -> list:
    """The priority walk and the optimised option at today's frame under the settings'
    strategy, weights, time preference and commitments: the points the frontier is read
    against."""
    from analysis.model.allocation import allocate

    options = options_for(settings, commitments)
    return [
        allocate(register, frame, replace(options, strategy=s), commitments) for s in ("priority", settings.strategy)
    ]
