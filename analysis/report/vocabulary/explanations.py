"""Why a need is left out, why an option has no solution, and what a solve's status says, in
Danish sentences (the JSON's ``reason_text`` and ``detail``, the pages and the terminal)."""

from __future__ import annotations

from analysis.inputs.cells import format_plain, visible
from analysis.model.allocation.result import Result
from analysis.model.allocation.types import Case, Conflict, ConflictKind, Explanation, Reason, Shortage, Status
from analysis.report import formats as fmt


def _ids(ids) -> str:
    return ", ".join(visible(i) for i in ids)


def explanation_detail(why: Explanation, years: list[int]) -> str:
    """The detail of why a need is left out, in one Danish sentence fragment. ``years``
    are the plan's years, from the plan year to the frame's last."""
    reason, case = why.reason, why.case
    if reason == Reason.NO_ESTIMATE:
        return "behovet har intet estimat endnu"
    if reason == Reason.FORCED_OUT:
        return "fravalgt af brugeren"
    if reason == Reason.NO_FIT:
        if not why.shortfalls:
            return f"intet tilladt startår inden for rammens år {years[0]}–{years[-1]}"
        return "; ".join(
            f"start {s.start}: udgiften falder efter {years[-1]}"
            if s.after_frame
            else f"start {s.start}: mangler {fmt.mio(s.missing)} i alt, mest på {s.worst_pool} i {s.worst_year} "
            f"({fmt.mio(s.worst_amount)})"
            for s in why.shortfalls
        )
    if reason == Reason.VARIANT:
        return f"varianten {_ids(why.others)} er valgt"
    if reason == Reason.DEPENDENCY:
        if case == Case.PRIORITY_TURN:
            return f"{_ids(why.others)} er ikke finansieret, når turen kommer hertil"
        if case == Case.CANNOT_START_TOGETHER:
            return f"kan ikke finansieres sammen med {_ids(why.others)}, som skal starte samme år eller før"
        return f"forudsætter {_ids(why.others)}, som ikke er finansieret"
    if reason == Reason.RELEASED:
        if why.stopped_by is not None:
            return f"stoppet ved {why.stopped_by.name}; det brugte står, og det byggede beholder sin afledte drift"
        return f"påbegyndt investering stoppet fra {years[0]}; forbruget før står"
    if reason == Reason.RUNNING_COST:
        return "dets afledte drift alene er mere, end loftet over afledt drift giver plads til"
    if reason == Reason.OUTCOMPETED:
        if case == Case.RUNNING_CEILING:
            return "ved siden af de valgte behov ville den afledte drift komme over loftet over afledt drift"
        if case == Case.PRIORITY_TURN:
            return "er der ikke plads til, når turen kommer hertil"
        return "giver mindre værdi for pengene end de valgte behov"
    return "der er ikke plads ved siden af de tvungne behov"  # FORCED_CONFLICT


def conflict_text(conflict: Conflict, years: list[int]) -> str:
    ids = conflict.ids
    if conflict.kind == ConflictKind.UNKNOWN_ID:
        return f'"{ids[0]}" er ikke et id i registeret'
    if conflict.kind == ConflictKind.FORCED_BOTH_WAYS:
        return f'"{ids[0]}" er både tvunget ind og fravalgt'
    if conflict.kind == ConflictKind.FORCED_UNFUNDABLE:
        return f'"{ids[0]}" skal med, men kan ikke finansieres: {explanation_detail(conflict.why, years)}'
    if conflict.kind == ConflictKind.FORCED_OUT_STARTED:
        # KK's words, as a reviewer and the workbench read them; the CLI adds its flags (terminal.py)
        return (
            f'"{ids[0]}" er en påbegyndt investering; den kan ikke fravælges, kun stoppes ved at frigive dens bevilling'
        )
    if conflict.kind == ConflictKind.COMMITMENTS_EXCEED:
        return f"på {conflict.pool} i {conflict.year} mangler der {fmt.mio(conflict.amount)}"
    if conflict.kind == ConflictKind.RUNNING_COST_EXCEEDED:
        return (
            f"de påbegyndte investeringers afledte drift alene er {fmt.mio(conflict.amount)} over loftet over "
            "afledt drift"
        )
    if conflict.kind == ConflictKind.FORCED_PREREQUISITE:
        return f'"{ids[0]}" skal med, men forudsætter "{ids[1]}", som ikke kan finansieres'
    return f"{_ids(ids)} skal alle med, men er varianter i samme gruppe ({conflict.group})"


def shortage_text(shortage: Shortage) -> str:
    if not shortage.forced:
        return "Ingen løsning opfylder kravene."
    names = _ids(shortage.forced)
    if not shortage.extra:
        return f"De tvungne behov ({names}) kan ikke finansieres samtidig."
    where = "; ".join(
        f"{fmt.mio(amount)} på {pool} i {year}" for (pool, year), amount in sorted(shortage.extra.items())
    )
    return f"De tvungne behov ({names}) kan ikke finansieres samtidig inden for rammen: der mangler {where}."


def plan_years(result: Result) -> list[int]:
    """The years a plan decides: from its plan year to the frame's last."""
    return result.problem.years[result.problem.start :]


def result_message(result: Result) -> str:
    """Why an option has no solution, in words ("" when it has one)."""
    if result.conflicts:
        lacking = [c for c in result.conflicts if c.kind == ConflictKind.COMMITMENTS_EXCEED]
        if lacking:
            where = "; ".join(f"på {c.pool} i {c.year} mangler der {fmt.mio(c.amount)}" for c in lacking)
            return f"De påbegyndte investeringer alene overskrider rammen: {where}".rstrip(".") + "."
        return ". ".join(conflict_text(c, plan_years(result)).rstrip(".") for c in result.conflicts) + "."
    if result.shortage is not None:
        return shortage_text(result.shortage)
    if result.status == Status.TIME_LIMIT and result.objective is None:
        limit = format_plain(result.options.time_limit)
        return f"Ingen løsning fundet inden for tidsgrænsen på {limit} s."
    return ""


# What a status says, and no more: the calculation shows an option is the best by its
# criteria on the scores it is given; the scores themselves are assumptions.
OPTIMAL_STATUS = "det bedste efter de valgte kriterier, beregnet på de antagne point"
TIME_LIMIT_STATUS = "det bedste fundet inden for tidsgrænsen; der kan findes et bedre"
PRIORITY_STATUS = "den antagne prioriterede rækkefølge, ikke optimeret"


def status_text(result: Result) -> str:
    """What was computed, in plain words (the solver's status, gap and time are in the
    technical annex)."""
    if result.method == "priority":
        return PRIORITY_STATUS if result.status == Status.OPTIMAL else "ingen løsning"
    if result.status == Status.OPTIMAL:
        return OPTIMAL_STATUS
    if result.has_option:
        return TIME_LIMIT_STATUS
    return "ingen løsning"


def extra_frame_text(why: Explanation) -> str:
    if why.extra_frame_status is None:
        return fmt.DASH
    if why.extra_frame is None:
        return "ikke beregnet inden for tidsgrænsen"
    if not why.extra_frame:
        return "ingen (kan komme med ved at flytte startår)"
    return "; ".join(f"{pool} {year}: {fmt.mio(v)}" for (pool, year), v in sorted(why.extra_frame.items()))


def value_lost_text(why: Explanation) -> str:
    if why.value_lost is None:
        return fmt.DASH
    if why.value_lost_proven in (True, None):
        return fmt.number(why.value_lost, 1)
    low, high = fmt.number(why.value_lost_min, 1), fmt.number(why.value_lost, 1)
    return f"{low}–{high} (ikke bevist inden for tidsgrænsen)"
