"""The steps of an event's state, one typed run each: what the allocation page, the
robustness page and the follow-up page compute, from the validated dataset, the ledger (built
once, by :class:`analysis.model.state.EventState`, and handed to every step) and the
parameters, for one event of the cycle (:mod:`analysis.model.cycle`). Nothing here builds
the ledger: the state does, once, and every page, the command line and the workbench read
the state.

Each run first checks the decisions it is given (ids, releases, the plan year, the year
followed up) and raises :class:`~analysis.model.decisions.DecisionError` with every
problem, before anything is solved.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.inputs.contracts import POOLS
from analysis.inputs.dataset import Dataset
from analysis.inputs.parameters import DECISION_KEYS, Grid, Options, Rules, Sampling
from analysis.model import cycle, followup, ledger, plan, robustness, transfers
from analysis.model.allocation import Result, allocate, comparison
from analysis.model.cycle import Event
from analysis.model.decisions import DecisionError, DecisionProblem, Issue, raise_if, unknown_ids
from analysis.model.ledger import Ledger


def _frame_years(data: Dataset) -> tuple[int, int]:
    return data.years[0], data.years[-1]


def plan_year_of(data: Dataset, options: Options) -> int:
    return options.plan_year if options.plan_year is not None else data.years[0]


def decision_problems(data: Dataset, options: Options) -> list[DecisionProblem]:
    """What in ``options``' decisions the data cannot take (see :func:`commitments`)."""
    problems = unknown_ids(data.register["id"], {key: getattr(options, key) for key in DECISION_KEYS})
    years = data.years
    planned = plan_year_of(data, options)
    if planned not in years:
        problems.append(DecisionProblem(Issue.PLAN_YEAR_OUTSIDE, "plan_year", year=planned, years=_frame_years(data)))
        return problems
    if (planned != years[0] or options.release) and data.followup is None:
        problems.append(DecisionProblem(Issue.NEEDS_GRANTS, "plan_year", year=planned))
    return problems


def commitments(
    data: Dataset,
    book: Ledger,
    options: Options,
    event: Event | None = None,
    plan_year_money: np.ndarray | None = None,
    latest_start: int | None = None,
) -> plan.Commitments | None:
    """What the plan for ``options.plan_year`` takes as fixed, as ``event`` knows it (by
    default the event that udmønter the plan year). None for the frame's first year with
    nothing released and nothing added: the plan is then the plain allocation.

    Raises :class:`DecisionError` for an id not in the register, a plan year outside the
    frame, a later plan year without grants, or a release of a need that has not started."""
    raise_if(decision_problems(data, options))
    years = data.years
    planned = plan_year_of(data, options)
    event = event or cycle.deciding(planned, years)
    if data.followup is None or (planned == years[0] and not options.release and plan_year_money is None):
        return None
    forbrug = data.followup.forbrug if not data.followup.forbrug.empty else None
    found = plan.commitments(
        data.frame,
        book,
        forbrug,
        event,
        planned,
        tuple(options.release),
        plan_year_money,
        latest_start,
    )
    not_started = tuple(
        sorted(i for i in options.release if i not in found.released or found.released[i].start >= planned)
    )
    raise_if([DecisionProblem(Issue.NOT_STARTED, "release", not_started, year=planned)] if not_started else [])
    return found


@dataclass(frozen=True)
class AllocationRun:
    """The allocation page of one event: the options side by side under the plan year's
    commitments, the main option, and the analyst's scenarios after them. ``mode`` says
    what the event does with it: ``udmoentning`` (it udmønter the needs starting in the plan
    year), ``indicative`` (the first year's budget: udmøntes ved OFS 25/26) or
    ``alternative`` (an OFS: what the free money could fund instead)."""

    event: Event
    mode: str
    plan_year: int
    commitments: plan.Commitments | None
    options: tuple[Options, ...]  # the grid, then each scenario's
    names: tuple[str, ...]
    results: tuple[Result, ...]
    main: Result
    scenarios: tuple = ()
    free: np.ndarray | None = None  # pools: the free money an OFS's alternative may use
    frame: pd.DataFrame | None = None  # the standard frame the scenarios are scaled from

    @property
    def base(self) -> Options:
        """The first option of the grid: its rules and decisions hold for every option."""
        return self.options[0]

    @property
    def grid_size(self) -> int:
        return len(self.results) - len(self.scenarios)

    def alternatives(self) -> list[comparison.OptionGroup]:
        """The options the page puts side by side: the grid's options that differ from the
        main option only in their criterion, grouped where they decide alike, then the
        analyst's scenarios (each its own)."""
        n, main = self.grid_size, self.main.options
        pairs = [
            (name, result)
            for name, result in zip(self.names[:n], self.results[:n], strict=True)
            if not comparison.is_sensitivity(result.options, main)
        ]
        groups = comparison.group_alike([r for _n, r in pairs], [name for name, _r in pairs])
        scenarios = zip(self.names[n:], self.results[n:], strict=True)
        return groups + [comparison.OptionGroup((name,), (result,)) for name, result in scenarios]

    def sensitivities(self) -> list[tuple[str, Result]]:
        """The grid's options that vary the main option's assumptions (cost level, weights,
        planned carry-over): the page says what each would change."""
        n, main = self.grid_size, self.main.options
        pairs = zip(self.names[:n], self.results[:n], strict=True)
        return [(name, result) for name, result in pairs if comparison.is_sensitivity(result.options, main)]

    @property
    def shown_names(self) -> list[str]:
        return [group.name for group in self.alternatives()]

    @property
    def shown_results(self) -> list[Result]:
        return [group.result for group in self.alternatives()]

    def decisions(self) -> list[tuple]:
        """What the event decides with the main option, as ledger entries (nothing for an
        indicative plan): the needs starting in the plan year, and the releases."""
        if self.mode == INDICATIVE or not self.main.has_option:
            return []
        entries = self.main.decisions(only_start=self.plan_year)
        if self.commitments is not None:
            entries += plan.release_rows(self.commitments)
        return entries


UDMOENTNING, INDICATIVE, ALTERNATIVE = "udmoentning", "indicative", "alternative"


def mode_of(event: Event, years: list[int]) -> str:
    if event.alternative(years):
        return ALTERNATIVE
    return UDMOENTNING if event.udmoenter(years) else INDICATIVE


def free_money(data: Dataset, book: Ledger, event: Event, rules: Rules | None = None) -> np.ndarray:
    """Pools: the free money the OFS ``event`` leaves in the year it follows up (never
    negative: a pool that overspent has none)."""
    if data.followup is None:
        raise DecisionError([DecisionProblem(Issue.NEEDS_GRANTS, "year", year=event.year)])
    known = book.known_at(event)
    spending = transfers.known_spending(data.followup.forbrug, event)
    rows = transfers.position(data.frame, known, spending, event.year, rules or Rules()).pools
    this_year = rows[rows["year"] == event.year].set_index("pool")
    return np.array([max(float(this_year.loc[p, "free"]), 0.0) for p in ("service", "anlæg")])


def allocation(
    data: Dataset,
    book: Ledger,
    base: Options,
    shown: Grid,
    scenarios: tuple = (),
    event: Event | None = None,
) -> AllocationRun:
    """Every option of the ``shown`` grid over ``base`` (its rules, decisions and plan
    year), and each scenario over ``base``'s rules, for ``event`` (default: the one that
    udmønter the plan year). For an OFS the options are what its free money could fund: open
    needs starting in the next year. The main option is the first optimised one that has a
    solution."""
    planned = plan_year_of(data, base)
    event = event or cycle.deciding(planned, data.years)
    mode = mode_of(event, data.years)
    extra = latest = None
    if mode == ALTERNATIVE:
        extra, latest = free_money(data, book, event), planned
    grid = comparison.option_grid(base, shown.strategies, shown.cost_levels, shown.weightings)
    found = commitments(data, book, grid[0], event, extra, latest)
    results = comparison.run_all(data.register, data.frame, grid, found)
    main = comparison.main_result(results)
    names = comparison.option_names(grid)
    for scenario in scenarios:
        raise_if(decision_problems(data, scenario.options(grid[0])))
    extra_results = [comparison.run_scenario(data.register, data.frame, s, found, grid[0]) for s in scenarios]
    return AllocationRun(
        event=event,
        mode=mode,
        plan_year=planned,
        commitments=found,
        options=(*grid, *(r.options for r in extra_results)),
        names=(*names, *(s.name for s in scenarios)),
        results=(*results, *extra_results),
        main=main,
        scenarios=tuple(scenarios),
        free=extra,
        frame=data.frame,
    )


def report_options(data: Dataset, options: Options, event: str, year: int) -> Options:
    """``options`` at the plan year of the report for ``event`` and ``year`` (its own plan
    year when ``options`` names none). Raises :class:`DecisionError` when the event has no
    year left to allocate and ``options`` carries allocation decisions."""
    planned = cycle.plan_year(event, year, data.years, options.plan_year)
    if planned is None:
        given = [key for key in DECISION_KEYS if getattr(options, key)]
        raise_if(
            [DecisionProblem(Issue.NOTHING_TO_ALLOCATE, key, year=year, years=_frame_years(data)) for key in given]
        )
        return options
    return options.changed(plan_year=planned)


@dataclass(frozen=True)
class RobustnessRun:
    """The robustness page: the three analyses of the judged option, and the priority walk
    and the optimised option at today's frame that the frontier is read against."""

    analysis: robustness.Analysis
    reference: tuple[Result, ...]


def robustness_run(
    data: Dataset,
    book: Ledger,
    options: Options,
    sampling: Sampling,
    progress=None,
    scheduler=None,
    reference: bool = True,
) -> RobustnessRun:
    """The robustness of ``options`` on the same commitments as the allocation that plans
    its plan year (``digiramme robustness`` and the robustness page)."""
    found = commitments(data, book, options)
    result = robustness.run(
        data.register, data.frame, sampling, options, progress=progress, scheduler=scheduler, commitments=found
    )
    points = robustness.reference_options(data.register, data.frame, options, found) if reference else []
    return RobustnessRun(result, tuple(points))


def own_year_levels(data: Dataset) -> dict[tuple[str, int], tuple[float, int]]:
    """(pool, year) → (factor, p/l): what turns ``data``'s amounts of the frame's year into
    that year's own p/l, the one it was accounted and its OFS decided in (by the pool's
    index; a year the index does not hold stays in ``data``'s p/l)."""
    from analysis.inputs.price_index import factor

    out = {}
    for pool in POOLS:
        for year in data.years:
            try:
                out[(pool, year)] = (factor(data.pl_index, pool, data.price_year, year), year)
            except KeyError:
                out[(pool, year)] = (1.0, data.price_year)
    return out


def followup_run(data: Dataset, book: Ledger, year: int, rules: Rules | None = None) -> followup.Followup:
    """The follow-up of ``year`` for OFS ``year``/``year``+1: the OFS page, the report's
    front page and ``followup``; with ``rules.fund_from_free`` also what the free money funds."""
    problems = []
    if year not in data.years:
        problems.append(DecisionProblem(Issue.YEAR_OUTSIDE, "year", year=year, years=_frame_years(data)))
    if data.followup is None or not data.followup.complete:
        problems.append(DecisionProblem(Issue.NEEDS_FOLLOWUP, "year", year=year))
    rules = rules or Rules()
    problems += unknown_ids(data.register["id"], {"cover_overspend": rules.cover_overspend})
    raise_if(problems)
    result = followup.run(
        data.frame, data.register, data.followup, book, year, rules, own_year_levels(data), data.price_year
    )
    over = set(result.position.merforbrug(year)["id"]) if not result.position.investments.empty else set()
    lacking = tuple(sorted(set(rules.cover_overspend) - over))
    raise_if([DecisionProblem(Issue.NO_OVERSPEND, "cover_overspend", lacking, year=year)] if lacking else [])
    return result


def ofs_ledger(data: Dataset, book: Ledger, result: followup.Followup, options: Options | None = None) -> ledger.Ledger:
    """The ledger after the OFS the follow-up ``result`` proposes: what was decided before
    it, and its own decisions (the transfers, the free money's disposition; with the rule
    ``fund_from_free`` the udmøntning of the open needs the free money funds, under
    ``options``)."""
    year, rules = result.year, result.rules
    event = Event(cycle.OFS, year)
    known = book.known_at(event)
    entries = transfers.decision_rows(result.position, year, data.years[-1], known.starts())
    if rules.fund_from_free and event.alternative(data.years):
        chosen = (options or Options()).changed(plan_year=year + 1)
        found = commitments(data, book, chosen, event, free_money(data, book, event, rules), year + 1)
        option = allocate(data.register, data.frame, chosen, found)
        if option.has_option:
            entries += option.decisions(only_start=year + 1)
    return known.with_rows(ledger.rows(entries, event))


def allocation_ledger(data: Dataset, book: Ledger, result: Result, event: Event | None = None) -> ledger.Ledger:
    """The ledger after the udmøntning ``result`` proposes: what was decided before its
    event, and the event's decisions (the needs starting in the plan year, the releases).
    Rows the event decides again are replaced, never counted twice."""
    planned = result.problem.plan_year
    event = event or cycle.deciding(planned, data.years)
    known = book.known_at(event)
    entries = result.decisions(only_start=planned) if result.has_option else []
    if result.problem.commitments is not None:
        entries += plan.release_rows(result.problem.commitments)
    return known.with_rows(ledger.decided_rows(known, entries, event))


__all__ = [
    "AllocationRun",
    "DecisionError",
    "RobustnessRun",
    "allocation",
    "allocation_ledger",
    "commitments",
    "decision_problems",
    "followup_run",
    "ofs_ledger",
    "report_options",
    "robustness_run",
]
