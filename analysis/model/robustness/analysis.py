"""The three analyses of a robustness run, each a phase of re-optimised runs:

- cost uncertainty: every open need's cost drawn from PERT on its three-point estimate, and
  under a strategy that values money (``max-npv``, ``max-benefit``) its benefit too where
  the register gives a range (``gevinst_min``–``gevinst_max``); under ``max-npv`` each draw's
  nutidsværdi follows the drawn cost and benefit;
- weight uncertainty: the four potentials' weights drawn over all weightings (or within
  the analyst's ranges), with the corners always included;
- the frontier: the best value as the frame is scaled (50 %–150 % by default), and the
  first level at which each need is funded.

Every run solves under the rules of the allocation option it judges (its
:class:`~analysis.inputs.parameters.Options`: strategy, weights, time preference,
carry-over, forced needs) and, for a later plan year, on the same commitments
(:mod:`analysis.model.plan`): started investments stay as they are and keep their money,
and only the open needs are drawn and decided. Draws come from one seed up front, so the
result does not depend on how they are split between processes.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.inputs.contracts import POOLS
from analysis.inputs.financing_frame import frame_array
from analysis.inputs.parameters import Options, Sampling
from analysis.model import economics
from analysis.model.allocation.problem import Problem, build_problem, potential_scores, with_frame
from analysis.model.plan import Commitments
from analysis.model.robustness.batches import Job, Task, Varied, solve_batch
from analysis.model.robustness.engines import DaskEngine, Engine
from analysis.model.robustness.stats import (
    Outcome,
    benefit_range,
    benefit_samples,
    class_settled,
    core_table,
    entry_levels,
    has_benefit_ranges,
    pert_samples,
    quantiles,
    settled,
    weight_samples,
    wilson,
)

WAVE = 100  # runs between checks of the adaptive stop

Progress = Callable[[int, int], None]


def _run(
    problem: Problem,
    register: pd.DataFrame,
    varied: Varied,
    rows: np.ndarray,
    sampling: Sampling,
    progress: Progress | None,
    adaptive: bool = False,
    engine: Engine | None = None,
) -> Outcome:
    """Solve every row (one run each) in order; with ``adaptive`` (and the sampling's
    ``adaptive``), check after each wave of runs whether every need's class is settled and
    stop there. The runs are taken in order, so where it stops depends only on the draws,
    not on the engine or its workers."""
    stop = None
    if adaptive and sampling.adaptive:
        stop = lambda funded: len(funded) >= sampling.min_samples and settled(funded, sampling.margin)  # noqa: E731
    costs = _costs(register, problem, "omkostning_forventet")
    ids = [c.id for c in problem.candidates]
    job = Job(uuid.uuid4().hex, problem, register, sampling.time_limit, costs, problem.frame.copy(), sampling.gap)
    own = engine is None
    engine = engine or Engine(sampling.workers)
    batches = []

    def solve(wave_rows: np.ndarray, size: int, left: int):
        tasks = [Task(job, varied, wave_rows[k : k + size]) for k in range(0, len(wave_rows), size)]
        yield from engine.imap(tasks, left) if ids else map(solve_batch, tasks)

    try:
        done = 0
        # waves of runs: when adaptive stopping ends a phase, no work is left queued
        for first in range(0, len(rows), WAVE):
            wave = rows[first : first + WAVE]
            # adaptive stopping usually ends a small register's phase at its minimum of draws:
            # count only the draws sure to come when weighing whether a pool pays
            left = len(rows) - done if stop is None else max(sampling.min_samples - done, len(wave))
            parts = [(wave, None)]
            if engine.measuring:  # the first run alone, here: it tells how long a run takes
                parts = [(wave[:1], 1), (wave[1:], None)]
            for part, size in parts:
                for batch in solve(part, size or engine.batch_size(), left):
                    batches.append(batch)
                    done += len(batch)  # runs, not batches: the count matches the number of draws
                    left -= len(batch)
                    if progress:
                        progress(done, len(rows))
            if stop is not None and done % WAVE == 0 and stop(np.vstack([b.funded for b in batches])):
                if progress:
                    progress(done, done)  # the phase ends here
                break
    finally:
        if own:
            engine.close()
    return Outcome(
        ids,
        np.vstack([b.funded for b in batches]) if batches else np.zeros((0, len(ids)), bool),
        np.concatenate([b.objective for b in batches]) if batches else np.zeros(0),
        np.vstack([b.unspent for b in batches]) if batches else np.zeros((0, len(POOLS))),
        [s for b in batches for s in b.statuses],
        np.concatenate([b.gaps for b in batches]) if batches else np.zeros(0),
    )


def solving_options(options: Options, **changes) -> Options:
    """The option a run solves: the judged option without explanations (a run needs only
    its plan), with ``changes``."""
    return options.changed(explain=False, **changes)


def _problem(
    register: pd.DataFrame,
    frame: pd.DataFrame,
    options: Options,
    cost_level: str,
    commitments: Commitments | None = None,
    strategy: str | None = None,
) -> Problem:
    solving = solving_options(options, cost_level=cost_level, strategy=strategy or options.strategy)
    return build_problem(register, frame, solving, commitments)


def _costs(register: pd.DataFrame, problem: Problem, column: str) -> dict[str, float]:
    reg = register.set_index("id")
    return {c.id: float(reg.loc[c.id, column]) for c in problem.candidates}


def benefits_drawn(register: pd.DataFrame, ids: list[str], options: Options) -> bool:
    """Whether the cost phase draws the benefit too: under a strategy that values money
    (``max-npv``, ``max-benefit``) when some candidate gives a range for its benefit."""
    return options.strategy in ("max-npv", "max-benefit") and has_benefit_ranges(register, ids)


def draw_values(
    register: pd.DataFrame, ids: list[str], costs: np.ndarray, options: Options, seed: int
) -> np.ndarray | None:
    """Each draw's need values when they depend on what is drawn, else None (the values stay
    the option's). Under ``max-npv`` a need's nutidsværdi follows its drawn cost and, where
    its benefit has a range, its drawn benefit; under ``max-benefit`` the value is the drawn
    benefit."""
    if options.strategy == "max-npv":
        fixed, per_cost, per_benefit = economics.npv_terms(register, ids, options.discount_rate)
        benefits = (
            benefit_samples(register, ids, len(costs), seed)
            if has_benefit_ranges(register, ids)
            else np.tile(benefit_range(register, ids)[1], (len(costs), 1))
        )
        return fixed + costs * per_cost + benefits * per_benefit
    if options.strategy == "max-benefit" and has_benefit_ranges(register, ids):
        return benefit_samples(register, ids, len(costs), seed)
    return None


def cost_uncertainty(
    register,
    frame,
    sampling: Sampling,
    options: Options | None = None,
    progress: Progress | None = None,
    engine: Engine | None = None,
    commitments: Commitments | None = None,
) -> tuple[Outcome, np.ndarray]:
    """Re-optimise for ``sampling.samples`` cost draws; returns the outcome and the draws.

    The model is built at minimum costs, so every start year that fits in some draw stays
    in it; each draw then sets the budget rows' coefficients. Only the open needs' costs
    are drawn: a started investment's money is already committed."""
    options = options or Options()
    problem = _problem(register, frame, options, "min", commitments)
    ids = [c.id for c in problem.candidates]
    rng = np.random.default_rng(sampling.seed)
    draws = pert_samples(register, ids, sampling.samples, rng)
    values = draw_values(register, ids, draws, options, sampling.seed)
    if values is None:
        outcome = _run(problem, register, Varied.COSTS, draws, sampling, progress, adaptive=True, engine=engine)
    else:
        rows = np.hstack([draws, values])
        outcome = _run(problem, register, Varied.COSTS_VALUES, rows, sampling, progress, adaptive=True, engine=engine)
    outcome.objective += sum(problem.started_values.values())  # the plan's value, as allocate counts it
    return outcome, draws[: len(outcome.funded)]


def weight_uncertainty(
    register,
    frame,
    sampling: Sampling,
    options: Options | None = None,
    progress: Progress | None = None,
    engine: Engine | None = None,
    commitments: Commitments | None = None,
) -> tuple[Outcome, np.ndarray]:
    """Re-optimise max-potential for ``sampling.samples`` weightings at expected costs."""
    problem = _problem(register, frame, options or Options(), "expected", commitments, strategy="max-potential")
    ids = [c.id for c in problem.candidates]
    weights = weight_samples(sampling.weight_ranges, sampling.samples, np.random.default_rng(sampling.seed + 1))
    scores = potential_scores(register.set_index("id").loc[ids]).to_numpy(float)
    values = weights @ scores.T
    outcome = _run(problem, register, Varied.VALUES, values, sampling, progress, adaptive=True, engine=engine)
    return outcome, weights


def frontier(
    register,
    frame,
    sampling: Sampling,
    options: Options | None = None,
    progress: Progress | None = None,
    engine: Engine | None = None,
    commitments: Commitments | None = None,
) -> Outcome:
    """The best value at each frame scale (expected costs, the option's strategy and
    weights). The model is built on the widest frame, so no start year is lost. A scale
    applies to the plan years' frame; the years before are history."""
    widest = with_frame(frame, max(sampling.scales))
    problem = _problem(register, widest, options or Options(), "expected", commitments)
    problem.frame = frame_array(frame)
    scales = np.array(sampling.scales, dtype=float).reshape(-1, 1)
    outcome = _run(problem, register, Varied.SCALE, scales, sampling, progress, engine=engine)
    outcome.objective += sum(problem.started_values.values())  # comparable with the options at 100 %
    return outcome


@dataclass
class Analysis:
    """The three analyses' raw outcomes, with the option judged and the sampling that made them."""

    options: Options
    sampling: Sampling
    register_ids: list[str]
    costs: Outcome
    weights: Outcome
    frontier: Outcome
    plan_year: int | None = None  # None: the frame's first year, nothing started
    started: list[str] = field(default_factory=list)  # started investments: funded in every run
    benefits: bool = False  # the cost phase drew the benefits too (:func:`benefits_drawn`)

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
        """Cost draws made (fewer than ``sampling.samples`` when adaptive stopping settled)."""
        return len(self.costs.funded)

    def at_boundary(self) -> list[str]:
        """The needs whose class the cost draws did not settle (their interval spans a class
        boundary): with adaptive stopping, known only within the margin."""
        if not len(self.costs.funded):
            return []
        unsettled = ~class_settled(self.costs.funded)
        return [i for i, u in zip(self.costs.ids, unsettled, strict=True) if u and i not in self.started]

    def weight_core(self) -> pd.DataFrame:
        """Every register id with its core index under weight uncertainty and its class."""
        return core_table(self._ids(), self.weights, self.started)

    def entry_scales(self) -> pd.Series:
        """The smallest frame scale at which each need is funded (NaN: at no scale tried)."""
        return entry_levels(self._ids(), self.frontier, self.sampling.scales, self.started)

    def value_distribution(self) -> dict:
        return quantiles(self.costs.objective)

    def unspent_distribution(self) -> dict[str, dict]:
        return {pool: quantiles(self.costs.unspent[:, p]) for p, pool in enumerate(POOLS)}


PHASES = ("costs", "weights", "frontier")


def run(
    register,
    frame,
    sampling: Sampling,
    options: Options | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    scheduler=None,
    commitments: Commitments | None = None,
) -> Analysis:
    """All three analyses of ``options`` (default: the default option). ``progress(phase,
    done, total)`` is called after each batch with the runs done and the runs in the phase,
    ``phase`` one of :data:`PHASES`. ``scheduler``: a Dask scheduler's address (or client)
    to run the draws on; otherwise ``sampling.workers`` local processes, started once for
    all three. ``commitments``: the plan year's, as the allocation's main option gets them;
    None for the frame's first year."""
    options = options or Options()
    options.require_optimised()

    def phase(name: str):
        return None if progress is None else (lambda done, total: progress(name, done, total))

    with DaskEngine(scheduler) if scheduler is not None else Engine(sampling.workers) as engine:
        costs, _ = cost_uncertainty(register, frame, sampling, options, phase("costs"), engine, commitments)
        weights, _ = weight_uncertainty(register, frame, sampling, options, phase("weights"), engine, commitments)
        front = frontier(register, frame, sampling, options, phase("frontier"), engine, commitments)
    started = sorted(commitments.started) if commitments is not None else []
    plan_year = commitments.plan_year if commitments is not None else None
    benefits = benefits_drawn(register, costs.ids, options)
    return Analysis(options, sampling, list(register["id"]), costs, weights, front, plan_year, started, benefits)


def reference_options(
    register: pd.DataFrame, frame: pd.DataFrame, options: Options, commitments: Commitments | None = None
) -> list:
    """The priority walk and the optimised option at today's frame under the judged option's
    strategy, weights, time preference and commitments: the points the frontier is read
    against."""
    from analysis.model.allocation import allocate

    return [
        allocate(register, frame, solving_options(options, strategy=s), commitments)
        for s in ("priority", options.strategy)
    ]
