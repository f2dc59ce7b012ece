"""A decision the data cannot take (:class:`~analysis.model.decisions.DecisionProblem`), in
one Danish line. The command line prefixes each line with the option it came from (its flags
live in :mod:`analysis.cli`); a notebook or a scenario file names its own parameter."""

from __future__ import annotations

from collections.abc import Callable

from analysis.inputs.cells import named_hidden, visible
from analysis.model.decisions import DecisionProblem, Issue
from analysis.report.vocabulary.events import transfer_case


def _as_given(parameter: str) -> str:
    return parameter


def decision_detail(problem: DecisionProblem) -> str | None:
    """What is wrong with the ids a parameter names, without naming where it was given
    (None for a problem that is not about ids): for a scenario file's finding, which names
    the file and the key itself."""
    ids = ", ".join(visible(i) for i in problem.ids)
    if problem.issue == Issue.UNKNOWN_ID:
        return f'"{visible(problem.ids[0])}" er ikke et id i registeret{named_hidden(problem.ids[0])}'
    if problem.issue == Issue.NOT_STARTED:
        return f"{ids} er ikke en påbegyndt investering før {problem.year}; kun påbegyndte investeringer kan stoppes"
    if problem.issue == Issue.NO_OVERSPEND:
        return f"{ids} har intet merforbrug i {problem.year}, der kan dækkes"
    return None


def decision_text(problem: DecisionProblem, named: Callable[[str], str] = _as_given) -> str:
    """A decision the data cannot take, in one Danish line naming where it was given:
    ``named(parameter)`` is the parameter as the caller's user knows it (the command line
    passes its flags, ``--force-in``; by default the parameter's own name)."""
    flag = named(problem.parameter)
    first, last = problem.years or (None, None)
    detail = decision_detail(problem)
    if detail is not None:
        return f"{flag}: {detail}"
    if problem.issue == Issue.PLAN_YEAR_OUTSIDE:
        return f"planåret {problem.year} ligger uden for rammens år {first}–{last}"
    if problem.issue == Issue.NEEDS_GRANTS:
        return (
            f"en plan for {problem.year} bygger på de tidligere bevillinger og det faktiske forbrug: "
            f"angiv {named('bevillinger')} (og {named('forbrug')})"
        )
    if problem.issue == Issue.NOTHING_TO_ALLOCATE:
        return (
            f"{flag} gælder udmøntningen, men {transfer_case(problem.year)} har intet at udmønte: rammen løber "
            f"til og med {last}"
        )
    if problem.issue == Issue.YEAR_OUTSIDE:
        return f"{flag} {problem.year} ligger uden for rammens år {first}–{last}"
    given = ", ".join(named(key) for key in ("bevillinger", "forbrug", "gevinster"))
    return f"opfølgningen kræver bevillinger, forbrug og gevinster ({given})"
