"""Allocation options: which needs to fund, and from which start year, within the frame.

- :class:`~analysis.inputs.parameters.Options`: what to optimise, and every default;
- :mod:`.types`: the codes (status, reasons, conflicts);
- :mod:`.problem`: the needs' cost profiles per allowed start year, and what is decided
  before solving;
- :mod:`.solver`: the exact strategies (``max-potential``, ``max-benefit``), a MILP solved
  by HiGHS;
- :mod:`.priority`: the ``priority`` strategy, an assumed ranking, kept as the baseline;
- :mod:`.explain`: why each need is left out, and why demands cannot be met;
- :mod:`.result`: the typed result (status, explanations, the option);
- :mod:`.comparison`: several options side by side.

:func:`allocate` is the entry point the command line, the notebooks and the workbench call.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pandas as pd

from analysis.inputs.parameters import Options
from analysis.model.allocation.explain import explain, explain_priority, shortage
from analysis.model.allocation.priority import priority_walk
from analysis.model.allocation.problem import build_problem
from analysis.model.allocation.result import Result
from analysis.model.allocation.solver import Cancel, Model
from analysis.model.allocation.types import Reason, Status

if TYPE_CHECKING:
    from analysis.model.plan import Commitments

STOP_MARGIN = 0.1  # seconds kept back from the solver for stopping (see allocate)

__all__ = ["Options", "Reason", "Result", "Status", "allocate"]


def allocate(
    register: pd.DataFrame,
    frame: pd.DataFrame,
    options: Options | None = None,
    commitments: Commitments | None = None,
    cancel: Cancel | None = None,
    start: dict[str, int] | None = None,
) -> Result:
    """Compute one allocation option, with explanations unless ``options.explain`` is off.

    ``cancel``: a token another thread may use to stop the solves (they raise
    :class:`~analysis.model.allocation.solver.Cancelled`); the workbench's proofs.
    ``start``: a plan (need → start year) handed to HiGHS as its first solution, for a
    solve that may stop at its time limit (the workbench's first answer). A proven optimum
    does not depend on it, but where plans are worth the same, which one is returned may,
    so a report's and the command's solves never pass one.

    With ``commitments`` (see :mod:`analysis.model.plan`) it is the plan for their plan
    year: started investments stay in the option as they are, and only the open needs are
    decided. The objective counts the started investments' value too."""
    options = options or Options()
    began = time.perf_counter()
    problem = build_problem(register, frame, options, commitments)
    started = dict(problem.started)
    whole = {"options": options, "problem": problem}
    if problem.conflicts:
        return Result(
            **whole,
            status=Status.INFEASIBLE,
            objective=None,
            mip_gap=None,
            solve_time_s=0.0,
            selected=started,
            conflicts=list(problem.conflicts),
        )
    if options.strategy == "priority":
        return _priority(problem, whole, started)
    # The whole command respects the time limit: building the model and explaining included.
    deadline = began + options.time_limit
    model = (
        Model(problem, max(deadline - time.perf_counter(), 0.0), cancel=cancel)
        if time.perf_counter() < deadline
        else None
    )
    if model is None or time.perf_counter() >= deadline:
        return Result(
            **whole,
            status=Status.TIME_LIMIT,
            objective=None,
            mip_gap=None,
            solve_time_s=time.perf_counter() - began,
            selected=started,
            explanations=dict(problem.pre_excluded),
        )
    # HiGHS checks its time limit between nodes and then hands the answer back: on 1.000
    # generated needs the call ended 15-25 ms after the deadline. Leave it that margin (1 %
    # of the limit, at most 0,1 s) so that the whole call ends within the time limit.
    margin = min(STOP_MARGIN, 0.01 * options.time_limit)
    run = model.solve(start_solution=start, time_limit=max(deadline - margin - time.perf_counter(), 0.001))
    solved = {"status": run.status, "mip_gap": run.mip_gap, "solve_time_s": run.seconds}
    if run.status == Status.INFEASIBLE:
        return Result(**whole, **solved, objective=None, selected=started, shortage=shortage(problem))
    if run.objective is None or not run.status.has_option:  # no solution within the time limit: explain nothing
        return Result(
            **whole, **solved, objective=run.objective, selected=started, explanations=dict(problem.pre_excluded)
        )
    explanations, explain_time = dict(problem.pre_excluded), 0.0
    if options.explain:
        explaining = time.perf_counter()
        budget = min(options.explain_time_limit, max(deadline - explaining, 0.0))
        explanations = explain(problem, options, run, model, budget)
        explain_time = time.perf_counter() - explaining
    # The started investments are in the plan as they were decided: add them, and their value.
    value = sum(problem.started_values[i] * problem.discount(s) for i, s in started.items())
    return Result(
        **whole,
        **solved,
        objective=run.objective + value,
        selected=started | run.selected,
        explanations=explanations,
        explain_time_s=explain_time,
    )


def _priority(problem, whole: dict, started: dict[str, int]) -> Result:
    """The priority walk: not optimised; its status says only whether the forced needs fit."""
    began = time.perf_counter()
    funded, skipped = priority_walk(problem)
    seconds = time.perf_counter() - began
    selected = started | funded
    by_id = problem.by_id()
    objective = sum(
        (problem.started_values[i] if i in problem.started_values else by_id[i].value) * problem.discount(s)
        for i, s in selected.items()
    )
    missing = any(c.forced and c.id not in funded for c in problem.candidates)
    return Result(
        **whole,
        status=Status.INFEASIBLE if missing else Status.OPTIMAL,
        objective=objective,
        mip_gap=None,
        solve_time_s=seconds,
        selected=selected,
        method="priority",
        shortage=shortage(problem) if missing else None,
        explanations=explain_priority(problem, selected, skipped),
    )
