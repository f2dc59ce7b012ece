"""Why each need is left out of an option, and why a set of demands cannot be met.

For a need that lost to others (outcompeted, or another variant chosen): the value lost
by forcing it in, from a re-solve warm-started from the chosen option, and for
outcompeted needs the least extra frame that funds it next to the option (a small MILP).
"""

from __future__ import annotations

import time
from dataclasses import replace

from analysis.inputs.parameters import Options
from analysis.model.allocation.problem import Problem
from analysis.model.allocation.solver import Model, Solve
from analysis.model.allocation.types import TOLERANCE, Case, Explanation, Reason, Shortage, Status


def shortage(problem: Problem) -> Shortage:
    """Which forced needs collide: the least extra frame that would let all of them in."""
    forced = tuple(c.id for c in problem.candidates if c.forced)
    if not forced:
        return Shortage((), None)
    status, extra = Model(problem, extra_frame=True).least_extra_frame([])
    return Shortage(forced, extra if status == Status.OPTIMAL and extra else None)


def explain_priority(
    problem: Problem, selected: dict[str, int], skipped: dict[str, Explanation]
) -> dict[str, Explanation]:
    """Reasons for the priority walk: what it skipped, and for needs it had no room for, the
    least extra frame that would have funded them beside what it funded (``selected``)."""
    explanations = dict(problem.pre_excluded)
    extra_model = None
    for need_id, why in skipped.items():
        if why.reason == Reason.OUTCOMPETED:
            extra_model = extra_model or Model(problem, extra_frame=True)
            # the needs the walk funded beside it (the started investments are no candidates)
            decided = [i for i in selected if i in problem.by_id()]
            status, extra = extra_model.least_extra_frame([*decided, need_id])
            why = replace(why, extra_frame_status=status, extra_frame=extra if status == Status.OPTIMAL else None)
        explanations[need_id] = why
    return explanations


def explain(
    problem: Problem, options: Options, solved: Solve, model: Model, budget: float | None = None
) -> dict[str, Explanation]:
    """A reason for every need not funded by an optimised option (``solved``, the main
    solve of ``model``: the open needs it funds and their value).

    The re-solves share ``budget`` seconds (default ``options.explain_time_limit``); a
    re-solve cut short reports the value lost as a range (``value_lost_min`` from the
    solver's bound, ``value_lost`` from the best forced option found), never as exact. When
    the budget is spent, the remaining needs keep their reason without a value lost.
    """
    explanations = dict(problem.pre_excluded)
    by_id = problem.by_id()
    chosen = solved.selected
    chosen_group = {by_id[i].group: i for i in chosen if by_id[i].group}
    extra_model = None
    pending = []
    for candidate in problem.candidates:
        if candidate.id in chosen:
            continue
        if candidate.group and candidate.group in chosen_group:
            pending.append((candidate, Explanation(Reason.VARIANT, others=(chosen_group[candidate.group],))))
        elif unmet := tuple(d for d in candidate.requires if d not in chosen):
            explanations[candidate.id] = Explanation(Reason.DEPENDENCY, others=unmet)
        elif problem.running_limit is not None and (
            sum(problem.running.get(i, 0.0) for i in chosen) + problem.running.get(candidate.id, 0.0)
            > problem.running_limit + TOLERANCE
        ):
            pending.append((candidate, Explanation(Reason.OUTCOMPETED, Case.RUNNING_CEILING)))
        else:
            pending.append((candidate, Explanation(Reason.OUTCOMPETED)))
    deadline = time.perf_counter() + (options.explain_time_limit if budget is None else budget)
    for index, (candidate, why) in enumerate(pending):
        if time.perf_counter() >= deadline:
            explanations[candidate.id] = why  # no time left to measure what forcing it in costs
            continue
        share = max(0.01, (deadline - time.perf_counter()) / (len(pending) - index))
        # What forcing it in would cost: a re-solve warm-started from the chosen option.
        model.force_in(candidate.id)
        run = model.solve(start_solution=chosen, time_limit=share)
        model.release(candidate.id)
        if run.status == Status.INFEASIBLE and why.reason == Reason.OUTCOMPETED:
            # It fits alone, but no option holds it: its prerequisites cannot start early
            # enough or fit beside it, or it collides with the forced needs.
            if candidate.requires:
                why = Explanation(Reason.DEPENDENCY, Case.CANNOT_START_TOGETHER, others=candidate.requires)
            else:
                why = Explanation(Reason.FORCED_CONFLICT)
            explanations[candidate.id] = why
            continue
        why = replace(why, resolve_status=run.status)
        if run.objective is not None and solved.objective is not None:
            lost = max(0.0, solved.objective - run.objective)
            proven = run.status == Status.OPTIMAL and solved.status == Status.OPTIMAL
            low = lost if proven or run.bound is None else max(0.0, solved.objective - run.bound)
            why = replace(
                why,
                value_lost=lost,
                value_lost_min=min(low, lost),
                value_lost_proven=proven,
                forced_option=run.selected,
            )
        if why.reason == Reason.OUTCOMPETED:
            extra_model = extra_model or Model(problem, extra_frame=True, cancel=model.cancel)
            status, extra = extra_model.least_extra_frame([*chosen, candidate.id], time_limit=share)
            why = replace(why, extra_frame_status=status, extra_frame=extra if status == Status.OPTIMAL else None)
        explanations[candidate.id] = why
    return explanations
