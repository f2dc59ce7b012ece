"""One typed run per page: what the allocation page, the robustness page and the follow-up
page compute, each from the validated dataset and the parameters. The notebooks, the
command line, the workbench and the renderer call these, so every place that shows a page's
result computes it the same way.

Each run first checks the decisions it is given (ids, releases, the plan year, the year
followed up) and raises :class:`~analysis.model.decisions.DecisionError` with every
problem, before anything is solved.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.inputs.dataset import Dataset
from analysis.inputs.parameters import Options, Rules, Sampling
from analysis.model import cycle, followup, plan, robustness
from analysis.model.allocation import Result, allocate, comparison
from analysis.model.decisions import DecisionError, DecisionProblem, Issue, raise_if, unknown_ids

DECIDED = ("force_in", "force_out", "release")  # the Options fields that name register ids


def _frame_years(data: Dataset) -> tuple[int, int]:
    return data.years[0], data.years[-1]


def decision_problems(data: Dataset, options: Options) -> list[DecisionProblem]:
    """What in ``options``' decisions the data cannot take (see :func:`commitments`)."""
    problems = unknown_ids(data.register["id"], {key: getattr(options, key) for key in DECIDED})
    years = data.years
    plan_year = options.plan_year if options.plan_year is not None else years[0]
    if plan_year not in years:
        problems.append(DecisionProblem(Issue.PLAN_YEAR_OUTSIDE, "plan_year", year=plan_year, years=_frame_years(data)))
        return problems
    if (plan_year != years[0] or options.release) and data.followup is None:
        problems.append(DecisionProblem(Issue.NEEDS_GRANTS, "plan_year", year=plan_year))
    return problems


def commitments(data: Dataset, options: Options) -> plan.Commitments | None:
    """What the plan for ``options.plan_year`` inherits (None for the frame's first year
    without releases: nothing has started, and the plan is the plain allocation).

    Raises :class:`DecisionError` for an id not in the register, a plan year outside the
    frame, a later plan year without grants, or a release of a need that has not started."""
    raise_if(decision_problems(data, options))
    years = data.years
    plan_year = options.plan_year if options.plan_year is not None else years[0]
    if data.followup is None or (plan_year == years[0] and not options.release):
        return None
    forbrug = data.followup.forbrug if not data.followup.forbrug.empty else None
    found = plan.commitments(data.frame, data.followup.bevillinger, forbrug, plan_year, tuple(options.release))
    not_started = tuple(sorted(set(options.release) - set(found.released)))
    raise_if([DecisionProblem(Issue.NOT_STARTED, "release", not_started, year=plan_year)] if not_started else [])
    return found


def allocate_option(data: Dataset, options: Options, frame_scale: dict | None = None) -> Result:
    """One allocation option on the dataset (the frame scaled per pool as ``frame_scale``
    says): ``digiramme allocate`` and the workbench."""
    found = commitments(data, options)
    return allocate(data.register, comparison.scaled_frame(data.frame, frame_scale), options, found)


@dataclass(frozen=True)
class AllocationRun:
    """The allocation page: the options side by side under the plan year's commitments, the
    main option, and the analyst's scenarios after them."""

    plan_year: int
    commitments: plan.Commitments | None
    options: tuple[Options, ...]  # the grid, then each scenario's
    names: tuple[str, ...]
    results: tuple[Result, ...]
    main: Result
    scenarios: tuple = ()

    @property
    def base(self) -> Options:
        """The first option of the grid: its rules and decisions hold for every option."""
        return self.options[0]


def allocation(
    data: Dataset,
    base: Options,
    strategies: list[str],
    cost_levels: list[str],
    weightings: list[list[float]],
    scenarios: tuple = (),
) -> AllocationRun:
    """Every option of the grid over ``base`` (its rules, decisions and plan year), and each
    scenario over ``base``'s rules. The main option is the first optimised one that has a
    solution."""
    grid = comparison.option_grid(base, strategies, cost_levels, weightings)
    found = commitments(data, grid[0])
    results = comparison.run_all(data.register, data.frame, grid, found)
    main = comparison.main_result(results)
    names = comparison.option_names(grid)
    for scenario in scenarios:
        raise_if(decision_problems(data, scenario.options(grid[0])))
    extra = [comparison.run_scenario(data.register, data.frame, s, found, grid[0]) for s in scenarios]
    plan_year = found.plan_year if found is not None else data.years[0]
    return AllocationRun(
        plan_year=plan_year,
        commitments=found,
        options=(*grid, *(r.options for r in extra)),
        names=(*names, *(s.name for s in scenarios)),
        results=(*results, *extra),
        main=main,
        scenarios=tuple(scenarios),
    )


def report_options(data: Dataset, options: Options, event: str, year: int) -> Options:
    """``options`` at the plan year of the report for ``event`` and ``year`` (its own plan
    year when ``options`` names none). Raises :class:`DecisionError` when the event has no
    year left to allocate and ``options`` carries allocation decisions."""
    planned = cycle.plan_year(event, year, data.years, options.plan_year)
    if planned is None:
        given = [key for key in DECIDED if getattr(options, key)]
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
    options: Options,
    sampling: Sampling,
    progress=None,
    scheduler=None,
    reference: bool = True,
) -> RobustnessRun:
    """The robustness of ``options`` on the same commitments as the allocation that plans
    its plan year (``digiramme robustness`` and the robustness page)."""
    found = commitments(data, options)
    result = robustness.run(
        data.register, data.frame, sampling, options, progress=progress, scheduler=scheduler, commitments=found
    )
    points = robustness.reference_options(data.register, data.frame, options, found) if reference else []
    return RobustnessRun(result, tuple(points))


def followup_run(data: Dataset, year: int, rules: Rules | None = None) -> followup.Followup:
    """The follow-up of ``year``: the OFS page, the report's front page and ``followup``."""
    problems = []
    if year not in data.years:
        problems.append(DecisionProblem(Issue.YEAR_OUTSIDE, "year", year=year, years=_frame_years(data)))
    if data.followup is None or not data.followup.complete:
        problems.append(DecisionProblem(Issue.NEEDS_FOLLOWUP, "year", year=year))
    raise_if(problems)
    return followup.run(data.frame, data.register, data.followup, year, rules or Rules())


__all__ = [
    "AllocationRun",
    "DecisionError",
    "RobustnessRun",
    "allocate_option",
    "allocation",
    "commitments",
    "decision_problems",
    "followup_run",
    "report_options",
    "robustness_run",
]
