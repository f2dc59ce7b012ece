"""Allocation options side by side: the same register under several strategies, cost
levels and weightings, measured on common yardsticks; and for variant groups, whether and
when each variant fits."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from analysis.inputs.contracts import POOLS
from analysis.inputs.parameters import Options
from analysis.inputs.register import start_window
from analysis.model import economics
from analysis.model.allocation import allocate
from analysis.model.allocation.problem import build_problem, cost_profile, potential_scores
from analysis.model.allocation.result import Result
from analysis.model.allocation.types import TOLERANCE, Explanation


def option_grid(
    base: Options,
    strategies: list[str],
    cost_levels: list[str],
    weightings: list[list[float]],
    sensitivity: bool = True,
) -> list[Options]:
    """Every combination of strategy, cost level and weighting over ``base`` (its rules and
    decisions), once. Only max-potential chooses by the weights; max-benefit and the
    priority walk do not, so they appear once per cost level (with the first weights).

    With ``sensitivity`` (and without planned carry-over), the first optimised option is
    repeated last with planned carry-over: the sensitivity the report shows beside it."""
    seen, grid = set(), []
    for strategy, level, weights in itertools.product(strategies, cost_levels, weightings):
        option = base.changed(strategy=strategy, cost_level=level, weights=tuple(weights))
        key = (strategy, level, option.weights if strategy == "max-potential" else None)
        if key in seen:
            continue
        seen.add(key)
        grid.append(option)
    optimised = [o for o in grid if o.strategy != "priority"]
    if sensitivity and not base.carry_over and optimised:
        grid.append(replace(optimised[0], carry_over=True))
    return grid


def option_names(options: list[Options]) -> list[str]:
    """Short column names: A, B, C … (the summary table says what each is)."""
    return [chr(ord("A") + i) if i < 26 else f"O{i + 1}" for i in range(len(options))]


def run_all(register: pd.DataFrame, frame: pd.DataFrame, options: list[Options], commitments=None) -> list[Result]:
    """Every option, under the same commitments (the plan year's started investments)."""
    return [allocate(register, frame, option, commitments) for option in options]


def main_result(results: list[Result]) -> Result:
    """The option the report explains in detail: the first optimised one that has a
    solution, else the first."""
    for result in results:
        if result.method == "milp" and result.has_option:
            return result
    return results[0]


@dataclass(frozen=True)
class Measures:
    """One option measured on yardsticks common to all options (numbers as numbers; the
    unspent amounts are None when the option has no solution)."""

    funded: int
    equal_potential: float
    benefit: float
    hours: float
    # what is udmøntet over all years: earlier decisions and the plan year's (not the
    # indicative needs starting later, which ``indicative`` holds)
    cost: float
    unspent_service: float | None
    unspent_anlaeg: float | None
    decided_now: float = 0.0  # what the option udmønter to the needs starting in its plan year
    npv: float = 0.0  # the funded needs' nutidsværdi, discounted to the frame's first year
    running: float = 0.0  # afledt drift a year the funded needs leave once they run
    reductions: float = 0.0  # budget reductions promised over the needs' lives (hjemtagelse)
    # the frame the unspent money is measured against: every year's frame and the pool's own
    # money an OFS moved into it (a scenario's own frame when it scales it)
    frame_service: float = 0.0
    frame_anlaeg: float = 0.0
    indicative: float = 0.0  # the needs the option starts after its plan year (decided by their budget)


def measures(register: pd.DataFrame, result: Result) -> Measures:
    """The same measures for every option (needs funded, equal-weight potential,
    benefit, hours freed, cost funded, unspent money at the end)."""
    reg = register.set_index("id")
    chosen = list(result.selected)
    equal_potential = potential_scores(reg).sum(axis=1)
    unspent = result.unspent_total() if result.has_option else None
    decisions = result.decisions(only_start=result.problem.plan_year) if result.has_option else []
    now = sum(amount for _id, _year, _pool, amount, _art, _start in decisions)
    plan_year = result.problem.plan_year
    later = (
        float(sum(result.problem.by_id()[i].profiles[s].sum() for i, s in result.selected.items() if s > plan_year))
        if result.has_option
        else 0.0
    )
    rate = result.options.discount_rate
    _rows, npv, running, reductions = economics.portfolio(register, result.selected, result.options.cost_column, rate)
    if result.selected:
        npv *= (1 + rate) ** -(min(result.selected.values()) - result.problem.years[0])
    return Measures(
        npv=float(npv),
        running=float(running),
        reductions=float(sum(reductions.values())),
        funded=len(chosen),
        equal_potential=float(equal_potential[chosen].sum()),
        benefit=float(reg.loc[chosen, "gevinst"].fillna(0).sum()),
        hours=float(reg.loc[chosen, "timer_frigjort"].fillna(0).sum()),
        cost=float(result.spend.sum()) - later if result.has_option else 0.0,
        indicative=later,
        decided_now=float(now),
        unspent_service=None if unspent is None else float(unspent[POOLS[0]]),
        unspent_anlaeg=None if unspent is None else float(unspent[POOLS[1]]),
        frame_service=float(result.limit()[0].sum()),
        frame_anlaeg=float(result.limit()[1].sum()),
    )


def in_and_out(register: pd.DataFrame, results: list[Result], names: list[str]) -> pd.DataFrame:
    """One row per need (``id``, and one column per option name: its start year, None when
    not funded), and whether the options disagree about funding it (``differs``) or only
    about when (``differs_start``)."""
    table = register[["id"]].copy()
    for name, result in zip(names, results, strict=True):
        table[name] = pd.Series([result.selected.get(i) for i in table["id"]], index=table.index, dtype=object)
    funded = table[list(names)].notna()
    table["differs"] = funded.nunique(axis=1) > 1
    starts = table[list(names)].apply(lambda row: len({v for v in row if v is not None}) > 1, axis=1)
    table["differs_start"] = starts & ~table["differs"]
    return table


def by_group(register: pd.DataFrame, results: list[Result], names: list[str], column: str) -> pd.DataFrame:
    """Funded cost per area (``omraade``) or per ``forvaltning`` in each option (1.000 kr.),
    one row per group in sorted order (a need naming no group counts under ``""``), without
    a total row."""
    reg = register.assign(**{column: register[column].fillna("")}).set_index("id")
    out = {}
    for name, result in zip(names, results, strict=True):
        chosen = list(result.selected)
        cost = reg.loc[chosen, result.options.cost_column]
        out[name] = cost.groupby(reg.loc[chosen, column]).sum()
    return pd.DataFrame(out, columns=list(names)).reindex(sorted(reg[column].unique())).fillna(0.0)


def start_year_fit(
    register: pd.DataFrame, frame: pd.DataFrame, options: Options, need_id: str, commitments=None
) -> pd.DataFrame:
    """For one need and every start year in the frame (``start``): is the start ``allowed``,
    does the need fit the frame on its own beside what is committed (``fits_alone``), how
    much is ``missing`` where it does not (1.000 kr., and ``missing_where`` per pool and
    year), and would its cost fall after the frame's last year (``after_frame``)."""
    problem = build_problem(register, frame, replace(options, force_in=(), force_out=()), commitments)
    row = next(register[register["id"] == need_id].itertuples(index=False))
    cost = float(getattr(row, options.cost_column))
    earliest, latest = start_window(row, problem.years)
    earliest = max(earliest, problem.plan_year)
    if commitments is not None and commitments.latest_start:
        latest = min(latest, commitments.latest_start)  # an OFS's alternative: needs starting next year only
    rows = []
    for start in problem.years:
        profile = cost_profile(row, cost, start, problem.years)
        gap = None if profile is None else problem.shortfall(profile)
        rows.append(
            {
                "start": start,
                "allowed": earliest <= start <= latest,
                "fits_alone": gap is not None and gap.sum() <= TOLERANCE,
                "missing": np.nan if gap is None else float(gap.sum()),
                "missing_where": {}
                if gap is None
                else {
                    (POOLS[p], problem.years[t]): float(gap[p, t])
                    for p in range(len(POOLS))
                    for t in range(len(problem.years))
                    if gap[p, t] > TOLERANCE
                },
                "after_frame": profile is None,
            }
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class VariantFit:
    """Does one variant fit the frame, and when, alone and in the option?

    ``alone``: the allowed start years in which it fits on its own (beside what is already
    committed) under the option's rules; ``alone_other_rule``: the same with planned
    carry-over switched the other way, so the report can say when the answer depends on
    it. When it fits in no start year, ``best_start``/``missing``/``missing_where`` give the
    start with the least missing money (None when every allowed start would spend after the
    frame's last year). ``chosen_start`` is its start in the option (None: not chosen), and
    ``why`` the option's explanation when it is not chosen; ``replaced`` and ``dropped`` say
    which variants and which other needs forcing it in would push out.
    """

    id: str
    title: str
    cost: float
    has_estimate: bool
    alone: tuple[int, ...] = ()
    alone_other_rule: tuple[int, ...] = ()
    best_start: int | None = None
    missing: float | None = None
    missing_where: dict = field(default_factory=dict)
    chosen_start: int | None = None
    why: Explanation | None = None
    replaced: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()


def variant_fits(register: pd.DataFrame, frame: pd.DataFrame, result: Result, group: str) -> list[VariantFit]:
    """For each variant of ``group``, cheapest first: does it fit the frame, and when?"""
    commitments = result.problem.commitments
    members = register[register["variantgruppe"] == group].sort_values("omkostning_forventet")
    fits = []
    for member in members.itertuples(index=False):
        need_id = member.id
        cost = getattr(member, result.options.cost_column)
        fit = VariantFit(need_id, member.titel, cost, bool(member.har_estimat))
        if not member.har_estimat:
            fits.append(fit)
            continue
        if need_id in result.problem.started:
            fits.append(replace(fit, alone=(result.selected[need_id],), chosen_start=result.selected[need_id]))
            continue
        table = start_year_fit(register, frame, result.options, need_id, commitments)
        allowed = table[table["allowed"]]
        alone = tuple(int(s) for s in allowed[allowed["fits_alone"]]["start"])
        other = replace(result.options, carry_over=not result.options.carry_over)
        other_table = start_year_fit(register, frame, other, need_id, commitments)
        other_alone = tuple(int(s) for s in other_table[other_table["allowed"] & other_table["fits_alone"]]["start"])
        fit = replace(fit, alone=alone, alone_other_rule=other_alone)
        if not alone:
            best = allowed.dropna(subset=["missing"]).sort_values("missing").head(1)
            if not best.empty:
                b = best.iloc[0]
                fit = replace(
                    fit, best_start=int(b["start"]), missing=float(b["missing"]), missing_where=b["missing_where"]
                )
            fits.append(fit)
            continue
        if need_id in result.selected:
            fit = replace(fit, chosen_start=result.selected[need_id])
        elif need_id in result.explanations:
            why = result.explanations[need_id]
            fit = replace(fit, why=why)
            if why.value_lost is not None:
                lost = set(result.selected) - set(why.forced_option or {}) - set(result.problem.started)
                replaced = tuple(sorted(i for i in lost if i in set(members["id"])))
                fit = replace(fit, replaced=replaced, dropped=tuple(sorted(lost - set(replaced))))
        fits.append(fit)
    return fits


def scaled_frame(frame: pd.DataFrame, scales: dict | None) -> pd.DataFrame:
    """The frame with each pool's amounts multiplied by its scale (pools not named keep 1).

    A pool's scale is one factor for every year, or a mapping from year to factor (years
    not named keep 1), e.g. ``{"service": 1.0, "anlæg": {"2027": 1.2}}``.
    """
    if not scales:
        return frame
    scaled = frame.copy()
    for pool, factor in scales.items():
        by_year = factor if isinstance(factor, dict) else None
        for year in scaled.loc[scaled["styringsomraade"] == pool, "aar"].unique():
            year_factor = float(by_year.get(str(int(year)), 1.0)) if by_year is not None else float(factor)
            mask = (scaled["styringsomraade"] == pool) & (scaled["aar"] == year)
            scaled.loc[mask, "beloeb"] = scaled.loc[mask, "beloeb"] * year_factor
    return scaled


COST_COLUMNS = ("omkostning_min", "omkostning_forventet", "omkostning_max")


def overridden_register(register: pd.DataFrame, overrides: dict | None) -> pd.DataFrame:
    """The register with a scenario's per-need overrides: ``cost`` (1.000 kr.) at every
    cost level, so the need costs that whatever level is planned with; ``start_year`` as
    its earliest and latest start. Needs not named are as registered."""
    if not overrides:
        return register
    changed = register.copy()
    for need_id, change in overrides.items():
        row = changed.index[changed["id"] == need_id]
        if "cost" in change:
            for column in COST_COLUMNS:
                changed.loc[row, column] = float(change["cost"])
            changed.loc[row, "har_estimat"] = True
        if "start_year" in change:
            changed.loc[row, "tidligste_start"] = int(change["start_year"])
            changed.loc[row, "seneste_start"] = int(change["start_year"])
    return changed


def run_scenario(register: pd.DataFrame, frame: pd.DataFrame, scenario, commitments=None, base=None) -> Result:
    """One analyst's scenario (:class:`~analysis.inputs.scenario.Scenario`): its options
    over ``base`` on its frame (each pool scaled as it says), with its per-need overrides."""
    return allocate(
        overridden_register(register, getattr(scenario, "overrides", None)),
        scaled_frame(frame, scenario.frame_scale),
        scenario.options(base),
        commitments,
    )


@dataclass(frozen=True)
class OptionGroup:
    """Options that fund the same needs from the same years with the same amounts: the
    report shows them as one option, named by its first member, and says which criteria
    lead there."""

    names: tuple[str, ...]
    results: tuple[Result, ...]

    @property
    def name(self) -> str:
        return self.names[0]

    @property
    def result(self) -> Result:
        return self.results[0]


def outcome(result: Result) -> tuple:
    """What an option decides: each funded need's start year and the amounts per pool and
    year (to 1 kr.). An option without a solution is an outcome of its own."""
    if not result.has_option:
        return ("none", id(result))
    spend = np.round(np.asarray(result.spend, dtype=float), 3)
    return tuple(sorted(result.selected.items())), tuple(spend.ravel())


def group_alike(results, names) -> list[OptionGroup]:
    """``results`` (named ``names``) grouped by :func:`outcome`, in order of first member."""
    groups: dict[tuple, list[int]] = {}
    for i, result in enumerate(results):
        groups.setdefault(outcome(result), []).append(i)
    return [
        OptionGroup(tuple(names[i] for i in members), tuple(results[i] for i in members)) for members in groups.values()
    ]


def is_sensitivity(options: Options, main: Options) -> bool:
    """An option that varies the main option's assumptions rather than its criterion: another
    cost level, other weights, or planned carry-over (a plan before ØU fits year by year)."""
    if options.carry_over != main.carry_over or options.cost_level != main.cost_level:
        return True
    return options.uses_weights and tuple(options.weights) != tuple(main.weights)


@dataclass(frozen=True)
class Change:
    """What one option changes against another: needs ``added`` (id → start) and
    ``dropped``, needs ``moved`` (id → (start before, start after)), and the differences in
    what is udmøntet now and in all (1.000 kr.)."""

    added: dict
    dropped: tuple[str, ...]
    moved: dict
    decided_now: tuple[float, float]
    cost: tuple[float, float]

    @property
    def same_needs(self) -> bool:
        return not (self.added or self.dropped or self.moved)


def change(register: pd.DataFrame, main: Result, other: Result) -> Change:
    """What ``other`` changes against ``main``."""
    before, after = main.selected, other.selected
    a, b = measures(register, main), measures(register, other)
    return Change(
        added={i: after[i] for i in sorted(set(after) - set(before))},
        dropped=tuple(sorted(set(before) - set(after))),
        moved={i: (before[i], after[i]) for i in sorted(set(before) & set(after)) if before[i] != after[i]},
        decided_now=(a.decided_now, b.decided_now),
        cost=(a.cost, b.cost),
    )
