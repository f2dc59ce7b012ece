"""Robust options: how an allocation option holds up under uncertain costs and weights, and
what more or less money would change (Robust Portfolio Modelling's core index, after Liesiö,
Mild and Salo, for a multi-year, two-pool frame).

- :mod:`.stats`: the draws, the core index and its classes, the Wilson interval;
- :mod:`.batches`: one batch of runs on one reusable model, and its typed answer;
- :mod:`.engines`: where batches run (this process, a process pool, a Dask cluster);
- :mod:`.analysis`: the three phases (costs, weights, frontier) and :func:`run`.
"""

from analysis.model.robustness.analysis import (
    PHASES,
    Analysis,
    benefits_drawn,
    cost_uncertainty,
    draw_values,
    frontier,
    reference_options,
    run,
    weight_uncertainty,
)
from analysis.model.robustness.batches import Varied, scaled_capacity, scaled_frame, solve_batch
from analysis.model.robustness.engines import DaskEngine, Engine
from analysis.model.robustness.stats import (
    CORE_THRESHOLD,
    OUTSIDE_THRESHOLD,
    CoreClass,
    Outcome,
    benefit_samples,
    classify,
    core_table,
    entry_levels,
    has_benefit_ranges,
    pert,
    pert_samples,
    quantiles,
    settled,
    weight_samples,
    wilson,
)

__all__ = [
    "CORE_THRESHOLD",
    "OUTSIDE_THRESHOLD",
    "PHASES",
    "Analysis",
    "CoreClass",
    "DaskEngine",
    "Engine",
    "Outcome",
    "Varied",
    "benefit_samples",
    "benefits_drawn",
    "classify",
    "core_table",
    "cost_uncertainty",
    "draw_values",
    "entry_levels",
    "frontier",
    "has_benefit_ranges",
    "pert",
    "pert_samples",
    "quantiles",
    "reference_options",
    "run",
    "scaled_capacity",
    "scaled_frame",
    "settled",
    "solve_batch",
    "weight_samples",
    "weight_uncertainty",
    "wilson",
]
