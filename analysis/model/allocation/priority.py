"""The ``priority`` strategy: the register's own ranking (``prioritet``, an assumption where
the register says so), walked in order and kept as the baseline the optimised options are
compared with. It is a ranking, not an optimisation."""

from __future__ import annotations

import numpy as np

from analysis.model.allocation.problem import Problem
from analysis.model.allocation.types import TOLERANCE, Case, Explanation, Reason


def _prerequisites_first(ranked: list) -> list:
    """``ranked`` with each need moved to just after its last prerequisite when it ranks
    above it: a need's turn comes when its prerequisites have had theirs, so "forudsætning
    ikke finansieret" only ever means the prerequisite was not funded. Otherwise the order
    stays as ranked (dependencies form no cycle; the register refuses one)."""
    ids = {c.id for c in ranked}
    placed: list = []
    done: set[str] = set()
    waiting = list(ranked)
    while waiting:
        for k, candidate in enumerate(waiting):
            if all(d in done or d not in ids for d in candidate.requires):
                placed.append(waiting.pop(k))
                done.add(candidate.id)
                break
        else:  # a cycle: never from a valid register; keep the ranking
            placed += waiting
            break
    return placed


def priority_walk(problem: Problem) -> tuple[dict[str, int], dict[str, Explanation]]:
    """Forced needs first, then needs in ``prioritet`` order (ties by id, unranked last), a
    need never before its prerequisites; fund each at its earliest start that fits next to
    what is funded.

    Returns the funded starts and, for each need skipped, why.
    """
    order = _prerequisites_first(sorted(problem.candidates, key=lambda c: (not c.forced, c.priority, c.id)))
    funded: dict[str, int] = {}
    skipped: dict[str, Explanation] = {}
    spend = np.zeros_like(problem.frame)
    taken_groups: dict[str, str] = {}
    running = 0.0  # afledt drift of what is funded, against the ceiling (if any)
    for candidate in order:
        if candidate.group and candidate.group in taken_groups:
            skipped[candidate.id] = Explanation(Reason.VARIANT, others=(taken_groups[candidate.group],))
            continue
        missing = tuple(d for d in candidate.requires if d not in funded)
        if missing:
            skipped[candidate.id] = Explanation(Reason.DEPENDENCY, Case.PRIORITY_TURN, others=missing)
            continue
        latest_dep = max((funded[d] for d in candidate.requires), default=problem.years[0])
        start = next(
            (s for s in candidate.starts if s >= latest_dep and problem.fits(spend + candidate.profiles[s])), None
        )
        if start is None:
            skipped[candidate.id] = Explanation(Reason.OUTCOMPETED, Case.PRIORITY_TURN)
            continue
        own = problem.running.get(candidate.id, 0.0)
        if problem.running_limit is not None and running + own > problem.running_limit + TOLERANCE:
            skipped[candidate.id] = Explanation(Reason.OUTCOMPETED, Case.RUNNING_CEILING)
            continue
        running += own
        funded[candidate.id] = start
        spend += candidate.profiles[start]
        if candidate.group:
            taken_groups[candidate.group] = candidate.id
    return funded, skipped
