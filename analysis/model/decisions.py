"""Decisions given to an analysis (needs forced in or out, investments released, the plan
year, the year followed up) that the data cannot take, found before anything is solved.

The model names each problem by a code (:class:`Issue`) with what it is about; the report
layer words it in Danish (:func:`analysis.report.vocabulary.decision_text`), and the command
line exits 2 with those words.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Issue(StrEnum):
    UNKNOWN_ID = "unknown_id"  # an id the register does not have
    NOT_STARTED = "not_started"  # a release of something that has not started before the plan year
    PLAN_YEAR_OUTSIDE = "plan_year_outside"  # a plan year outside the frame
    NEEDS_GRANTS = "needs_grants"  # a plan year after the frame's first, without the grants
    NOTHING_TO_ALLOCATE = "nothing_to_allocate"  # allocation decisions for an event that allocates nothing
    YEAR_OUTSIDE = "year_outside"  # a year followed up or reported outside the frame
    NEEDS_FOLLOWUP = "needs_followup"  # a follow-up without grants, spending and benefit files
    NO_OVERSPEND = "no_overspend"  # a merforbrug to cover that the investment does not have


@dataclass(frozen=True)
class DecisionProblem:
    """One decision the data cannot take. ``parameter``: the parameter it was given in
    (``force_in``, ``release``, ``plan_year``, ``year``, …); ``ids``: the ids it is about;
    ``year``: the year it is about; ``years``: the frame's first and last year."""

    issue: Issue
    parameter: str = ""
    ids: tuple[str, ...] = ()
    year: int | None = None
    years: tuple[int, int] | None = None


class DecisionError(ValueError):
    """Every decision the data cannot take (exit 2 on the command line)."""

    def __init__(self, problems: list[DecisionProblem]):
        self.problems = list(problems)
        super().__init__("; ".join(f"{p.issue.value} {p.parameter} {' '.join(p.ids)}".strip() for p in self.problems))


def unknown_ids(register_ids, decided: dict[str, tuple[str, ...]]) -> list[DecisionProblem]:
    """One problem per id given to a parameter (``{"force_in": ids, …}``) that is not in
    the register: the one check of ids, for the command line, the notebooks and the report."""
    known = set(register_ids)
    return [
        DecisionProblem(Issue.UNKNOWN_ID, parameter, (need_id,))
        for parameter, ids in decided.items()
        for need_id in ids
        if need_id not in known
    ]


def raise_if(problems: list[DecisionProblem]) -> None:
    if problems:
        raise DecisionError(problems)
