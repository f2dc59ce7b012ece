"""The statistics of a robustness run: the draws (PERT costs, weightings), the core index and
its classes, the Wilson interval that tells when a class is settled, and quantiles.

A need's *core index* is the share of draws in which it is funded: *core* when at least
90 %, *outside* at most 10 %, otherwise *borderline* (Robust Portfolio Modelling, after
Liesiö, Mild and Salo).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import pandas as pd

from analysis.model.allocation.types import Status


class CoreClass(StrEnum):
    """A need's class by its core index (codes; the report and ``robustness --json`` word them)."""

    CORE = "core"
    BORDERLINE = "borderline"
    OUTSIDE = "outside"


CORE_THRESHOLD, OUTSIDE_THRESHOLD = 0.9, 0.1
Z_99 = 2.5758  # two-sided 99 %


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
        return pd.Series(share, index=self.ids, name="core_index")


def wilson(share: np.ndarray, n: int, z: float = Z_99) -> tuple[np.ndarray, np.ndarray]:
    """The Wilson score interval of shares observed in ``n`` draws (low, high)."""
    if n == 0:
        return np.zeros_like(share), np.ones_like(share)
    centre = (share + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def class_settled(funded: np.ndarray) -> np.ndarray:
    """Per need: its class is settled, its core index's 99 % interval within one class."""
    low, high = wilson(funded.mean(axis=0), len(funded))
    core = low >= CORE_THRESHOLD
    outside = high <= OUTSIDE_THRESHOLD
    borderline = (low > OUTSIDE_THRESHOLD) & (high < CORE_THRESHOLD)
    return core | outside | borderline


def settled(funded: np.ndarray, margin: float = 0.0) -> bool:
    """Every need's class is settled, or (with ``margin`` above 0) its core index is known
    within ``margin`` either way: the half-width of its 99 % interval is at most that."""
    n = len(funded)
    if n == 0:
        return False
    low, high = wilson(funded.mean(axis=0), n)
    known = (high - low) / 2 <= margin + 1e-12 if margin > 0 else np.zeros(funded.shape[1], dtype=bool)
    return bool(np.all(class_settled(funded) | known))


def classify(share: float) -> CoreClass:
    if share >= CORE_THRESHOLD:
        return CoreClass.CORE
    if share <= OUTSIDE_THRESHOLD:
        return CoreClass.OUTSIDE
    return CoreClass.BORDERLINE


def pert(low: np.ndarray, expected: np.ndarray, high: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """n × len(low) draws on [min, max] centred on the expected value: ``min + (max − min) ·
    Beta(α, β)`` with PERT's spread (α + β = 6) and ``α = 6 (expected − min) / (max − min)``,
    so that the draws' mean is the expected value, the one the allocation counts with.

    Where the expected value lies in the middle two thirds of the range this is the classic
    PERT whose mode (most likely value) is ``(6 · expected − min − max) / 4``; nearer an end,
    α or β is below 1 and the draws gather at that end. (PERT with the expected value as its
    mode would centre the draws on ``(min + 4 · expected + max) / 6`` instead.) Where
    min = max, or the expected value is min or max, the value is fixed there."""
    span = high - low
    safe = np.where(span > 0, span, 1.0)
    alpha = 6 * np.clip((expected - low) / safe, 0.0, 1.0)
    beta = 6 - alpha
    drawn = (span > 0) & (alpha > 0) & (beta > 0)
    draws = rng.beta(np.where(drawn, alpha, 1.0), np.where(drawn, beta, 1.0), size=(n, len(low)))
    fixed = np.where(alpha <= 0, low, high)
    return np.where(drawn, low + span * draws, np.where(span > 0, fixed, low))


def pert_samples(register: pd.DataFrame, ids: list[str], n: int, rng: np.random.Generator) -> np.ndarray:
    """n × len(ids) costs (1.000 kr.) drawn between each need's min and max, centred on its
    expected cost (``omkostning_forventet``; :func:`pert`). A need with min = max keeps its cost."""
    reg = register.set_index("id").loc[ids]
    return pert(
        reg["omkostning_min"].to_numpy(float),
        reg["omkostning_forventet"].to_numpy(float),
        reg["omkostning_max"].to_numpy(float),
        n,
        rng,
    )


def benefit_range(register: pd.DataFrame, ids: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each need's benefit a year at full effect as (min, expected, max): ``gevinst_min``,
    ``gevinst``, ``gevinst_max``, with the expected value where no range is given (and 0
    where no benefit is)."""
    reg = register.set_index("id").loc[ids]
    mode = reg["gevinst"].astype(float).fillna(0.0).to_numpy() if "gevinst" in reg else np.zeros(len(ids))
    low = reg["gevinst_min"].astype(float).to_numpy() if "gevinst_min" in reg else np.full(len(ids), np.nan)
    high = reg["gevinst_max"].astype(float).to_numpy() if "gevinst_max" in reg else np.full(len(ids), np.nan)
    return np.where(np.isnan(low), mode, low), mode, np.where(np.isnan(high), mode, high)


def has_benefit_ranges(register: pd.DataFrame, ids: list[str]) -> bool:
    low, _, high = benefit_range(register, ids)
    return bool((high > low).any())


def benefit_samples(register: pd.DataFrame, ids: list[str], n: int, seed: int) -> np.ndarray:
    """n × len(ids) benefits a year at full effect (1.000 kr.), drawn between each need's
    ``gevinst_min`` and ``gevinst_max``, centred on ``gevinst`` (:func:`pert`; fixed where no
    range is given).
    Their own stream of the seed, so the cost draws stay what they were without ranges."""
    return pert(*benefit_range(register, ids), n, np.random.default_rng([seed, 25]))


def weight_samples(weight_ranges, n: int, rng: np.random.Generator) -> np.ndarray:
    """n weightings: uniformly within ``weight_ranges`` (four (low, high)), or without them
    uniformly over all weightings (the simplex); the first ones are the corners of the
    admissible set (and equal weights)."""
    if weight_ranges is None:
        corners = np.vstack([np.eye(4), np.full((1, 4), 0.25)])
        random = rng.dirichlet(np.ones(4), size=max(n - len(corners), 0))
    else:
        low = np.array([r[0] for r in weight_ranges], dtype=float)
        high = np.array([r[1] for r in weight_ranges], dtype=float)
        corners = np.array([[high[k] if (c >> k) & 1 else low[k] for k in range(4)] for c in range(16)])
        corners = np.unique(corners, axis=0)
        random = low + (high - low) * rng.random((max(n - len(corners), 0), 4))
    return np.vstack([corners, random])[: max(n, len(corners))]


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
