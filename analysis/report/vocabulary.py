"""KK's words, in one place: every Danish label the reports, the command line and the JSON
``reason_text``/``detail``/``message`` fields show for the model's codes.

The model speaks in codes (``Status``, ``Reason``, pool and potential codes); this module
turns them into Danish. Codes in JSON and on the command line keep their values; only the
display text lives here.
"""

from __future__ import annotations

from analysis.inputs.cells import visible
from analysis.inputs.contracts import ANLAEG, POTENTIALS, SERVICE, TOTAL
from analysis.inputs.financing_frame import ClaimStatus
from analysis.inputs.parameters import Options
from analysis.model.allocation.result import Result
from analysis.model.allocation.types import Case, Conflict, ConflictKind, Explanation, Reason, Shortage, Status
from analysis.model.decisions import DecisionProblem, Issue
from analysis.model.followup import BenefitStatus
from analysis.model.robustness.stats import CoreClass
from analysis.report import formats as fmt

POOL_LABELS = {SERVICE: "Service", ANLAEG: "Anlæg", TOTAL: "I alt"}
# a styringsområde's frame in running text ("servicerammen i 2027")
POOL_FRAMES = {SERVICE: "servicerammen", ANLAEG: "anlægsrammen"}
# The note's own words for its tables' total rows
TOTAL_ROWS = {SERVICE: "Serviceudgifter i alt", ANLAEG: "Anlægsudgifter i alt", TOTAL: "Udgifter i alt (netto)"}
# An indicator's status as the report says it
BENEFIT_STATUS = {
    BenefitStatus.ON_TRACK: "følger planen",
    BenefitStatus.AT_RISK: "i risiko",
    BenefitStatus.OFF_TRACK: "bagud",
    BenefitStatus.NO_MEASUREMENT: "ingen måling",
    BenefitStatus.NOT_THIS_YEAR: "ikke målt i år",
}
# A need's class by its core index, as the robustness page says it
CORE_CLASS = {CoreClass.CORE: "kerne", CoreClass.BORDERLINE: "grænsetilfælde", CoreClass.OUTSIDE: "udenfor"}
POTENTIAL_LABELS = dict(zip(POTENTIALS, ("Tilgængelighed", "Aflastning", "Forenkling", "Skalering"), strict=True))
STRATEGY_LABELS = {
    "priority": "Prioriteret rækkefølge (antaget prioritering)",
    "max-potential": "Størst potentiale",
    "max-benefit": "Størst gevinst",
    "max-npv": "Størst nettonutidsværdi",
}
COST_LEVEL_LABELS = {"min": "minimum", "expected": "forventet", "max": "maksimum"}
REASON_LABELS = {
    Reason.NO_ESTIMATE: "intet estimat",
    Reason.FORCED_OUT: "fravalgt",
    Reason.NO_FIT: "passer ikke i rammen, heller ikke alene",
    Reason.DEPENDENCY: "forudsætning ikke finansieret",
    Reason.VARIANT: "anden variant valgt",
    Reason.OUTCOMPETED: "udkonkurreret",
    Reason.FORCED_CONFLICT: "passer ikke ved siden af de tvungne behov",
    Reason.RELEASED: "stoppet",
    Reason.RUNNING_COST: "afledt drift over loftet",
}
SOLVER_STATUS = {
    Status.OPTIMAL: "bevist optimal",
    Status.TIME_LIMIT: "tidsgrænsen nået – ikke bevist optimal",
    Status.INFEASIBLE: "ingen løsning opfylder kravene",
    Status.ERROR: "løseren fejlede",
    Status.WITHIN_GAP: "bevist inden for den valgte afstand fra det bedste – ikke bevist optimal",
}
CLAIM_STATUS = {
    ClaimStatus.AGREES: "stemmer",
    ClaimStatus.DISAGREES: "afviger",
    ClaimStatus.NOT_IN_FRAME: "året findes ikke i tabellerne",
    ClaimStatus.TWO_READINGS: "kan læses på to måder",
}
ROBUSTNESS_PHASES = {"costs": "omkostninger", "weights": "vægte", "frontier": "effektiv rand"}
NOT_STATED = "(ikke angivet)"  # a need that names no forvaltning
# Register fields as the assumptions table names them.
FIELD_LABELS = {
    "forvaltning": "forvaltning",
    "andel_anlaeg": "andel anlæg",
    "fordeling": "fordeling over år",
    "tidligste_start": "tidligste start",
    "seneste_start": "seneste start",
    "pl_aar": "prisniveau",
    "gevinst": "gevinst",
    "timer_frigjort": "frigjorte timer",
    "prioritet": "prioritet",
    "forudsaetter": "forudsætninger",
    "omkostning_forventet": "forventet omkostning",
    "drift_aar": "afledt drift",
    "dobbeltdrift": "dobbeltdrift",
    "dobbeltdrift_aar": "år med dobbeltdrift",
    "gevinst_fuld_aar": "år til fuld gevinst",
    "gevinst_min": "laveste gevinst",
    "hjemtagelse_forvaltning": "forvaltninger, der hjemtager",
    "gevinst_max": "højeste gevinst",
    "hjemtagelse": "hjemtagelse",
    "levetid": "levetid",
    **{name: f"potentiale: {label.lower()}" for name, label in POTENTIAL_LABELS.items()},
}


def unit(price_year: int) -> str:
    """The unit of a table of amounts."""
    return f"1.000 kr., {price_year} p/l"


def option_label(options: Options) -> str:
    """``Størst potentiale, forventet omkostning``."""
    return f"{STRATEGY_LABELS[options.strategy]}, {COST_LEVEL_LABELS[options.cost_level]} omkostning"


# The unit of an option's value (what it maximises), per strategy, and how it is shown
VALUE_UNITS = {
    "max-potential": ("point, vægtede potentialer 0–5, antaget", "num1"),
    "max-benefit": ("1.000 kr. gevinst pr. år, antaget", "tkr"),
    "max-npv": ("1.000 kr. nutidsværdi, antaget", "tkr"),
    "priority": ("point med de viste vægte, som rækkefølgen ikke vælger efter", "num1"),
}


def value_unit(options: Options) -> str:
    """The unit an option's value is in, named for its strategy."""
    return VALUE_UNITS[options.strategy][0]


def value_text(value: float, options: Options, signed: bool = False) -> str:
    """An option's value (or a change in it) with its unit: ``+3,5 point (…)``, ``18.200``."""
    kind = VALUE_UNITS[options.strategy][1]
    text = fmt.number(abs(value) if signed else value, 1 if kind == "num1" else 0)
    if signed and round(value, 1 if kind == "num1" else 0) != 0:
        text = ("+" if value > 0 else "−") + text
    return f"{text} {value_unit(options)}"


CARRY_OVER_SENSITIVITY = "planlagt overførsel (følsomhed)"
WEIGHT_WORDS = {0: "uden vægt", 0.5: "vægtet halvt", 2: "vægtet dobbelt", 3: "vægtet tredobbelt"}
# A strategy as it reads beside another option's full label
STRATEGY_SHORT = {
    "priority": "den antagne prioriterede rækkefølge, ikke optimeret",
    "max-potential": "størst potentiale",
    "max-benefit": "størst gevinst",
    "max-npv": "størst nettonutidsværdi",
}


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " og " + items[-1]


def weights_text(weights) -> str:
    """The four potentials' weights in words: ``lige vægte``; ``aflastning vægtet dobbelt``
    (relative to the weight most potentials have)."""
    weights = [float(w) for w in weights]
    common = max(set(weights), key=lambda w: (weights.count(w), -w))
    if len(set(weights)) == 1:
        return "lige vægte"
    by_ratio: dict[float, list[str]] = {}
    for name, w in zip(POTENTIALS, weights, strict=True):
        if w != common:
            ratio = w / common if common else float("inf")
            by_ratio.setdefault(ratio, []).append(POTENTIAL_LABELS[name].lower())
    parts = []
    for ratio, names in by_ratio.items():
        word = WEIGHT_WORDS.get(ratio, f"vægtet {fmt.number(ratio, 2).rstrip('0').rstrip(',')} gange")
        parts.append(f"{_and(names)} {word}")
    return "; ".join(parts)


def describe_option(options: Options) -> str:
    """The label, with the weights where the strategy uses them, and planned carry-over
    where it is on (a sensitivity: a plan before ØU fits year by year)."""
    text = option_label(options)
    if options.uses_weights:
        text += ", " + weights_text(options.weights)
    if options.carry_over:
        text += ", " + CARRY_OVER_SENSITIVITY
    return text


def difference_text(main: Options, other: Options) -> str:
    """How ``other``'s settings differ from the main option's, in words: ``maksimum
    omkostning``; ``størst gevinst, aflastning vægtet dobbelt``."""
    parts = []
    if other.strategy != main.strategy:
        parts.append(STRATEGY_SHORT[other.strategy])
    if other.cost_level != main.cost_level:
        parts.append(f"{COST_LEVEL_LABELS[other.cost_level]} omkostning")
    if other.uses_weights and tuple(other.weights) != tuple(main.weights):
        parts.append(weights_text(other.weights))
    if other.carry_over != main.carry_over:
        parts.append("planlagt overførsel af uforbrugte midler" if other.carry_over else "ingen planlagt overførsel")
    return ", ".join(parts) or "samme indstillinger"


def change_text(change) -> str:
    """What an option changes against the recommended one
    (:class:`~analysis.model.allocation.comparison.Change`), in one Danish sentence."""
    parts = []
    if change.same_needs:
        parts.append("de samme behov fra de samme år")
    for need_id, start in change.added.items():
        parts.append(f"{need_id} kommer med fra {start}")
    if change.dropped:
        parts.append(f"{_and(list(change.dropped))} falder ud")
    for need_id, (before, after) in change.moved.items():
        parts.append(f"{need_id} starter {after} i stedet for {before}")
    (now_a, now_b), (all_a, all_b) = change.decided_now, change.cost
    if abs(now_b - now_a) >= 0.5:
        parts.append(
            f"{'men ' if change.same_needs else ''}der udmøntes {fmt.mio(now_b)} nu i stedet for {fmt.mio(now_a)}"
        )
    if abs(all_b - all_a) >= 0.5:
        parts.append(f"{fmt.mio(all_b)} i alt over årene i stedet for {fmt.mio(all_a)}")
    if change.same_needs and len(parts) == 1:
        return "ingen ændring: de samme behov fra de samme år med de samme beløb"
    return _and(parts)


def transfer_case(year: int) -> str:
    """KK names a transfer case after both years: the case that follows up 2026 is
    "Overførselssagen 26/27"."""
    return f"Overførselssagen {year % 100:02d}/{(year + 1) % 100:02d}"


def event_title(event) -> str:
    """``Budget 2027``; ``Overførselssagen 26/27``."""
    return transfer_case(event.year) if event.kind == "OFS" else f"Budget {event.year}"


def event_when(event) -> str:
    """When the event is: ``foråret 2027``; ``august–september 2026``."""
    calendar_year, half = event.when
    return f"foråret {calendar_year}" if half == 0 else f"august–september {calendar_year}"


def first_udmoentning(years: list[int]):
    """The event that udmønter the frame the first time: OFS 25/26 for a frame from 2026."""
    from analysis.model.cycle import deciding

    return deciding(years[0], years)


def indicative(years: list[int]) -> str:
    """The mark of the first year's budget plan: ``vejledende – udmøntes ved OFS 25/26``."""
    return f"vejledende – udmøntes ved {first_udmoentning(years).name}"


# What an OFS proposes for the free money (codes of followup --json's ``free_disposition``)
DISPOSITIONS = {
    "return_to_kassen": "tilbageføres kassen",
    "fund_open_needs": "bliver i puljen til åbne behov, der kan starte næste år",
    "deduct_next_year": "merforbrug, der trækkes fra næste år",
}
ARTS = {"udmøntet": "udmøntet", "overført": "overført", "tilbageført": "tilbageført"}
SPENDING_SOURCES = {
    "regnskab": "regnskab",
    "forventet": "forventet forbrug (prognose)",
    "bevilget": "det udmøntede og overførte, regnet som brugt (intet regnskab eller prognose)",
}


def spending_sources(sources) -> str:
    """Which kinds of spending figure a table rests on, in words."""
    order = [k for k in SPENDING_SOURCES if any(k in str(s).split("/") for s in sources)]
    return ", ".join(SPENDING_SOURCES[k] for k in order) or "intet forbrug endnu"


CHANGE_LABELS = {
    "new": "nyt behov i registeret",
    "gone": "behov fjernet fra registeret",
    "recosted": "omkostning ændret",
    "moved": "start flyttet",
    "dropped": "ikke længere med i planen",
    "released": "påbegyndt investering stoppet",
}


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


# the command-line option each decision is given in
DECISION_FLAGS = {"force_in": "--force-in", "force_out": "--force-out", "release": "--release", "year": "--year"}


def decision_text(problem: DecisionProblem) -> str:
    """A decision the data cannot take, in one Danish line naming the option it came from."""
    flag = DECISION_FLAGS.get(problem.parameter, f"--{problem.parameter.replace('_', '-')}")
    first, last = problem.years or (None, None)
    if problem.issue == Issue.UNKNOWN_ID:
        return f'{flag}: "{visible(problem.ids[0])}" er ikke et id i registeret'
    if problem.issue == Issue.NOT_STARTED:
        return (
            f"{flag}: {_ids(problem.ids)} er ikke en påbegyndt investering før {problem.year}; "
            "kun påbegyndte investeringer kan stoppes"
        )
    if problem.issue == Issue.PLAN_YEAR_OUTSIDE:
        return f"planåret {problem.year} ligger uden for rammens år {first}–{last}"
    if problem.issue == Issue.NEEDS_GRANTS:
        return (
            f"en plan for {problem.year} bygger på de tidligere bevillinger og det faktiske forbrug: "
            "angiv --bevillinger (og --forbrug)"
        )
    if problem.issue == Issue.NOTHING_TO_ALLOCATE:
        return (
            f"{flag} gælder udmøntningen, men {transfer_case(problem.year)} har intet at udmønte: rammen løber "
            f"til og med {last}"
        )
    if problem.issue == Issue.YEAR_OUTSIDE:
        return f"{flag} {problem.year} ligger uden for rammens år {first}–{last}"
    return "opfølgningen kræver bevillinger, forbrug og gevinster (--bevillinger, --forbrug, --gevinster)"


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
        limit = f"{result.options.time_limit:g}".replace(".", ",")
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


ASSUMED = " (antaget)"  # the visible mark on a column or row that rests on assumed inputs
ILLUSTRATIVE = " – illustrative eksempeldata"


def assumed_fields(register) -> set[str]:
    """The register fields that are assumptions for at least one need (its antagelser)."""
    return {field for fields in register["antagelser"] for field in fields}


def mark(label: str, fields, assumed: set[str]) -> str:
    """``label`` marked as assumed when it rests on any of ``fields`` that are assumed."""
    return label + ASSUMED if assumed & set(fields) else label


def illustrative(followup_data) -> bool:
    """Follow-up data that says it is illustrative (in its kilde column)."""
    from analysis.model.followup import is_illustrative

    return is_illustrative(followup_data)


def two_readings_text(claim) -> str:
    """A stated range that reads two ways (``ClaimStatus.TWO_READINGS``), both readings."""
    stated = fmt.mio_range(claim.omkostning_min, claim.omkostning_max)
    items = list(claim.behov)
    return (
        f"overskriften {stated} kan læses på to måder: fra {claim.alone} alene i den mindste udgave "
        f"({fmt.mio(claim.omkostning_min)}) til alle {len(items)} delposter i den største "
        f"({fmt.mio(claim.omkostning_max)}), og så stemmer den med delposterne; eller som summen af delposternes "
        f"spænd ({', '.join(items)}), {fmt.mio_range(claim.register_min, claim.register_max)}; rapporten regner med "
        "delposterne"
    )
