"""The prepared problem: each fundable need with its cost profile per allowed start year,
the frame as an array, and what is decided before any solve (needs that cannot be funded,
demands that cannot hold).

A need's cost (at the chosen cost level) is spread over the years from its start by its
``fordeling`` and split between the pools by ``andel_anlaeg``; a start whose spread would
run past the frame's last year is not allowed. Per pool and year the spending stays within
the frame: with carry-over cumulatively (unspent money moves to later years of the same
pool and is never borrowed from a later year), without it year by year.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis.inputs.contracts import POOLS, POTENTIALS
from analysis.inputs.financing_frame import frame_array, frame_years
from analysis.inputs.parameters import Options
from analysis.inputs.register import start_window
from analysis.model import economics
from analysis.model.allocation.types import (
    TOLERANCE,
    Conflict,
    ConflictKind,
    Explanation,
    Reason,
    StartShortfall,
)

if TYPE_CHECKING:
    from analysis.model.plan import Commitments


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
    """The candidates and the money they compete for.

    From the plan year on (column ``start`` of the arrays), what is udmøntet must fit the
    frame less what is already committed, plus the pool's own money an OFS moved into the
    year; years before the plan year are history and carry no budget row. With carry-over
    money not udmøntet in one plan year moves to the next (cumulatively from the plan year)."""

    years: list[int]
    frame: np.ndarray  # pools × years
    candidates: list[Candidate]
    carry_over: bool
    time_preference: float
    pre_excluded: dict[str, Explanation] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)  # forced demands that cannot all hold
    commitments: Commitments | None = None  # what the plan year inherits (None: nothing)
    started_values: dict[str, float] = field(default_factory=dict)  # started investments' values
    # the ceiling on afledt drift: what it leaves for open needs (None: no ceiling), and each need's
    running_limit: float | None = None
    running: dict[str, float] = field(default_factory=dict)

    @property
    def start(self) -> int:
        """The plan year's column."""
        return self.commitments.start_index if self.commitments else 0

    @property
    def plan_year(self) -> int:
        return self.years[self.start]

    @property
    def committed(self) -> np.ndarray:
        """Pools × years already decided: past spending, and the started investments'."""
        return self.commitments.committed() if self.commitments else np.zeros_like(self.frame)

    @property
    def started(self) -> dict[str, int]:
        return self.commitments.started if self.commitments else {}

    def discount(self, start: int) -> float:
        return (1 + self.time_preference) ** -(start - self.years[0])

    def by_id(self) -> dict[str, Candidate]:
        return {c.id: c for c in self.candidates}

    def available(self) -> np.ndarray:
        """Money each plan year may still udmønte, before carry-over (history: unbounded):
        its frame, plus the pool's own money moved into it, less what is committed."""
        out = self.frame - self.committed
        s = self.start
        if self.commitments is not None:
            out += self.commitments.capacity_extra()
            if self.commitments.plan_year_money is not None:
                out[:, s] += self.commitments.plan_year_money
        out[:, :s] = np.inf
        return out

    def capacity(self) -> np.ndarray:
        """Right-hand sides of the budget rows: cumulative from the plan year with carry-over."""
        out = self.available()
        if self.carry_over:
            s = self.start
            out[:, s:] = np.cumsum(out[:, s:], axis=1)
        return out

    def load(self, spend: np.ndarray) -> np.ndarray:
        """Left-hand sides of the budget rows for a spending table of new decisions."""
        if not self.carry_over:
            return spend
        out = np.zeros_like(spend, dtype=float)
        s = self.start
        out[:, s:] = np.cumsum(spend[:, s:], axis=1)
        return out

    def fits(self, spend: np.ndarray) -> bool:
        return bool(np.all(self.load(spend) <= self.capacity() + TOLERANCE))

    def shortfall(self, spend: np.ndarray) -> np.ndarray:
        """The least extra frame per pool and year that makes ``spend`` fit (≥ 0)."""
        over = self.load(spend) - self.capacity()
        if not self.carry_over:
            return np.clip(over, 0, None)
        needed = np.maximum.accumulate(np.clip(over, 0, None), axis=1)  # cumulative extra needed
        return np.diff(needed, axis=1, prepend=0.0)


def potential_scores(register: pd.DataFrame) -> pd.DataFrame:
    """The four potential scores per need (a missing score counts as 0)."""
    return register[list(POTENTIALS)].fillna(0.0).astype(float)


def potential_values(register: pd.DataFrame, weights) -> pd.Series:
    """Each need's weighted sum of its four potential scores."""
    return potential_scores(register) @ np.asarray(weights, dtype=float)


def need_value(register: pd.DataFrame, options: Options) -> pd.Series:
    """Each need's value under the strategy (before the time preference; for max-npv its
    nutidsværdi at its own start, which the discount rate then takes to the first year)."""
    if options.strategy == "max-benefit":
        return register["gevinst"].fillna(0.0).astype(float)
    if options.strategy == "max-npv":
        return pd.Series(
            economics.npv_at_start(register, options.cost_column, options.discount_rate).to_numpy(),
            index=register.index,
        )
    return potential_values(register, options.weights)


def time_preference(options: Options) -> float:
    """What a year's later start costs: the discount rate for max-npv, where the value is
    money, else the option's time preference."""
    return options.discount_rate if options.strategy == "max-npv" else options.time_preference


def cost_profile(row, cost: float, start: int, years: list[int]) -> np.ndarray | None:
    """A need's cost spread from ``start`` and split into pools (pools × years), or None
    when the spread would run past the frame's last year. In whole 1.000 kr., as ØU
    udmønter it: the total rounded first, then spread over the years and pools by the
    largest remainder, ties to the earliest year (6.250 over four years: 1.563, 1.563,
    1.562, 1.562), so the cells add up to the rounded total."""
    shape = cost_shape(row, start, years)
    return None if shape is None else whole_thousands(shape * whole_total(cost))


def cost_shape(row, start: int, years: list[int]) -> np.ndarray | None:
    """The shares of a need's cost per pool and year from ``start`` (they add up to 1), or
    None when the spread would run past the frame's last year: a robustness draw scales it
    by the drawn cost."""
    spread = np.asarray(row.fordeling, dtype=float) / 100
    first = years.index(start)
    if first + len(spread) > len(years):
        return None  # the cost would fall after the frame's last year
    shape = np.zeros((len(POOLS), len(years)))
    share = float(row.andel_anlaeg)
    shape[0, first : first + len(spread)] = (1 - share) * spread
    shape[1, first : first + len(spread)] = share * spread
    return shape


def whole_total(amount: float) -> float:
    """``amount`` (≥ 0) rounded to whole 1.000 kr., halves up."""
    return float(np.floor(amount + 0.5 + 1e-9))


def whole_thousands(exact: np.ndarray) -> np.ndarray:
    """``exact`` (pools × years, adding up to a whole number) in whole 1.000 kr. that add up
    to the same total: each cell rounded down, the remaining thousands to the cells with the
    largest remainders, ties to the earliest year (then service before anlæg)."""
    floors = np.floor(exact + 1e-9)
    left = int(round(float(exact.sum() - floors.sum())))
    if left > 0:
        remainders = exact - floors
        cells = [(p, t) for t in range(exact.shape[1]) for p in range(exact.shape[0])]  # year by year
        ranked = sorted(cells, key=lambda cell: -round(float(remainders[cell]), 9))
        for cell in ranked[:left]:
            floors[cell] += 1.0
    return floors


def with_frame(frame: pd.DataFrame, scale: float) -> pd.DataFrame:
    """The frame with every amount multiplied by ``scale``."""
    scaled = frame.copy()
    scaled["beloeb"] = scaled["beloeb"] * scale
    return scaled


def build_problem(
    register: pd.DataFrame, frame: pd.DataFrame, options: Options, commitments: Commitments | None = None
) -> Problem:
    """Turn validated tables into the candidates and frame the solvers work on. With
    ``commitments``, started investments stay as they are (they occupy their variant group
    and satisfy the needs that depend on them), released ones are left out, and open needs
    start in the plan year or later."""
    years = frame_years(frame)
    values = need_value(register, options)
    started = commitments.started if commitments else {}
    released = set(commitments.released) if commitments else set()
    forced_out = set(options.force_out)
    forced_in = set(options.force_in) | set(register.loc[register["obligatorisk"], "id"])
    known = set(register["id"])
    problem = Problem(
        years, frame_array(frame), [], options.carry_over, time_preference(options), commitments=commitments
    )
    running = economics.running_cost(register)
    if options.max_running_cost is not None:
        problem.running = {i: float(running[i]) for i in register["id"]}
        problem.running_limit = float(options.max_running_cost) - sum(problem.running[i] for i in started)
    for unknown in sorted((set(options.force_in) | forced_out) - known):
        problem.conflicts.append(Conflict(ConflictKind.UNKNOWN_ID, (unknown,)))
    for both in sorted(forced_in & (forced_out | released)):
        problem.conflicts.append(Conflict(ConflictKind.FORCED_BOTH_WAYS, (both,)))
    for kept in sorted(set(options.force_out) & set(started)):
        problem.conflicts.append(Conflict(ConflictKind.FORCED_OUT_STARTED, (kept,)))
    group_of = {
        row.id: row.variantgruppe for row in register.itertuples(index=False) if isinstance(row.variantgruppe, str)
    }
    taken = {group_of[i]: i for i in started if i in group_of}
    plan_year = commitments.plan_year if commitments else years[0]

    for index, row in zip(register.index, register.itertuples(index=False), strict=True):
        if row.id in started:
            problem.started_values[row.id] = float(values[index])
            continue
        if row.id in released:
            stopped_by = commitments.released[row.id].stopped_by
            problem.pre_excluded[row.id] = Explanation(Reason.RELEASED, stopped_by=stopped_by)
            continue
        if not row.har_estimat:
            problem.pre_excluded[row.id] = Explanation(Reason.NO_ESTIMATE)
            continue
        if row.id in forced_out:
            problem.pre_excluded[row.id] = Explanation(Reason.FORCED_OUT)
            continue
        if row.id in group_of and group_of[row.id] in taken:
            problem.pre_excluded[row.id] = Explanation(Reason.VARIANT, others=(taken[group_of[row.id]],))
            continue
        if problem.running_limit is not None and problem.running[row.id] > max(problem.running_limit, 0) + TOLERANCE:
            problem.pre_excluded[row.id] = Explanation(Reason.RUNNING_COST)
            continue
        earliest, latest = start_window(row, years)
        last_start = commitments.latest_start if commitments and commitments.latest_start else years[-1]
        earliest, latest = max(plan_year, earliest), min(last_start, latest)
        cost = float(getattr(row, options.cost_column))
        profiles = {}
        for start in range(earliest, latest + 1):
            profile = cost_profile(row, cost, start, years)
            if profile is not None and problem.fits(profile):
                profiles[start] = profile
        if not profiles:
            shortfalls = tuple(start_shortfalls(problem, row, cost, earliest, latest))
            problem.pre_excluded[row.id] = Explanation(Reason.NO_FIT, shortfalls=shortfalls)
            continue
        problem.candidates.append(
            Candidate(
                id=row.id,
                value=float(values[index]),
                profiles=profiles,
                group=row.variantgruppe if isinstance(row.variantgruppe, str) else None,
                requires=tuple(d for d in row.forudsaetter if d not in started),
                forced=row.id in forced_in,
                priority=float(row.prioritet) if not pd.isna(row.prioritet) else math.inf,
            )
        )
    _check_forced(problem, forced_in - set(started))
    _check_commitments(problem)
    if problem.running_limit is not None and problem.running_limit < -TOLERANCE:
        problem.conflicts.append(
            Conflict(ConflictKind.RUNNING_COST_EXCEEDED, tuple(sorted(started)), amount=-problem.running_limit)
        )
    return problem


def _check_commitments(problem: Problem) -> None:
    """Started investments alone must fit: otherwise say where money is lacking."""
    if problem.commitments is None:
        return
    lacking = problem.shortfall(np.zeros_like(problem.frame))
    for p, t in zip(*np.nonzero(lacking > TOLERANCE), strict=True):
        problem.conflicts.append(
            Conflict(
                ConflictKind.COMMITMENTS_EXCEED, (), pool=POOLS[p], year=problem.years[t], amount=float(lacking[p, t])
            )
        )


def start_shortfalls(problem: Problem, row, cost: float, earliest: int, latest: int) -> list[StartShortfall]:
    """For each allowed start year: what the need alone lacks (empty: no allowed start year
    lies within the frame's years)."""
    found = []
    for start in range(earliest, latest + 1):
        profile = cost_profile(row, cost, start, problem.years)
        if profile is None:
            found.append(StartShortfall(start, after_frame=True))
            continue
        gap = problem.shortfall(profile)
        worst = np.unravel_index(np.argmax(gap), gap.shape)
        found.append(
            StartShortfall(
                start,
                after_frame=False,
                missing=float(gap.sum()),
                worst_pool=POOLS[worst[0]],
                worst_year=problem.years[worst[1]],
                worst_amount=float(gap[worst]),
            )
        )
    return found


def _check_forced(problem: Problem, forced_in: set[str]) -> None:
    fundable = problem.by_id()
    for need_id in sorted(forced_in):
        why = problem.pre_excluded.get(need_id)
        if why is not None and why.reason != Reason.FORCED_OUT:
            problem.conflicts.append(Conflict(ConflictKind.FORCED_UNFUNDABLE, (need_id,), why=why))
    groups: dict[str, list[str]] = {}
    for candidate in problem.candidates:
        if candidate.forced and candidate.group:
            groups.setdefault(candidate.group, []).append(candidate.id)
        if candidate.forced:
            for dep in candidate.requires:
                if dep not in fundable:
                    problem.conflicts.append(Conflict(ConflictKind.FORCED_PREREQUISITE, (candidate.id, dep)))
    for group, members in groups.items():
        if len(members) > 1:
            problem.conflicts.append(Conflict(ConflictKind.FORCED_VARIANTS, tuple(members), group=group))
