"""Allocation options: which needs to fund, and from which start year, within the frame.

- :mod:`.options`: what to optimise, and every default;
- :mod:`.problem`: the needs' cost profiles per allowed start year, and what is decided
  before solving;
- :mod:`.solver`: the exact strategies (``max-potential``, ``max-benefit``), a MILP solved
  by HiGHS;
- :mod:`.priority`: the ``priority`` strategy, today's practice, kept as the baseline;
- :mod:`.explain`: why each need is left out, and why demands cannot be met;
- :mod:`.result`: the typed result (status, explanations, the option);
- :mod:`.comparison`: several options side by side.

:func:`allocate` is the entry point the command line, the notebooks and the workbench call.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pandas as pd

from analysis.model.allocation.explain import explain, explain_priority, shortage
from analysis.model.allocation.options import Options
from analysis.model.allocation.priority import priority_walk
from analysis.model.allocation.problem import build_problem
from analysis.model.allocation.result import Reason, Result, Status
from analysis.model.allocation.solver import Model

if TYPE_CHECKING:
    from analysis.model.plan import Commitments

STOP_MARGIN = 0.1  # seconds kept back from the solver for stopping (see allocate)

__all__ = ["Options", "Reason", "Result", "Status", "allocate"]


def allocate(
    register: pd.DataFrame,
    frame: pd.DataFrame,
    options: Options | None = None,
    commitments: Commitments | None = None,
) -> Result:
    """Compute one allocation option, with explanations unless ``options.explain`` is off.

    With ``commitments`` (see :mod:`analysis.model.plan`) it is the plan for their plan
    year: started investments stay in the option as they are, and only the open needs are
    decided. The objective counts the started investments' value too."""
    options = options or Options()
    began = time.perf_counter()
    problem = build_problem(register, frame, options, commitments)
    started = dict(problem.started)
    if problem.conflicts:
        return Result(options, Status.INFEASIBLE, None, None, 0.0, started, problem, conflicts=list(problem.conflicts))
    if options.strategy == "priority":
        began = time.perf_counter()
        funded, skipped = priority_walk(problem)
        seconds = time.perf_counter() - began
        result = Result(options, Status.OPTIMAL, None, None, seconds, started | funded, problem, method="priority")
        result.objective = sum(result.value_of(i) for i in result.selected)
        if any(c.forced and c.id not in funded for c in problem.candidates):
            result.status = Status.INFEASIBLE
            result.shortage = shortage(problem)
        result.explanations = explain_priority(result, skipped)
        return result
    # The whole command respects the time limit: building the model and explaining included.
    deadline = began + options.time_limit
    model = Model(problem, max(deadline - time.perf_counter(), 0.0)) if time.perf_counter() < deadline else None
    if model is None or time.perf_counter() >= deadline:
        result = Result(options, Status.TIME_LIMIT, None, None, time.perf_counter() - began, started, problem)
        result.explanations = dict(problem.pre_excluded)
        return result
    # HiGHS checks its time limit between nodes and then hands the answer back: on 1.000
    # generated needs the call ended 15-25 ms after the deadline. Leave it that margin (1 %
    # of the limit, at most 0,1 s) so that the whole call ends within the time limit.
    margin = min(STOP_MARGIN, 0.01 * options.time_limit)
    run = model.solve(time_limit=max(deadline - margin - time.perf_counter(), 0.001))
    result = Result(options, run.status, run.objective, run.mip_gap, run.seconds, run.selected, problem)
    if run.status == Status.INFEASIBLE:
        result.shortage = shortage(problem)
        return result
    if not result.has_option:  # time limit reached before any solution: say so, explain nothing
        result.explanations = dict(problem.pre_excluded)
        return result
    if options.explain:
        explaining = time.perf_counter()
        budget = min(options.explain_time_limit, max(deadline - explaining, 0.0))
        result.explanations = explain(result, model, budget)
        result.explain_time_s = time.perf_counter() - explaining
    else:
        result.explanations = dict(problem.pre_excluded)
    # The started investments are in the plan as they were decided: add them, and their value.
    result.selected = started | result.selected
    if result.objective is not None:
        result.objective += sum(result.value_of(i) for i in started)
    return result
