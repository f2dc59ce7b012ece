"""KK's words for the model's codes: pools, statuses, strategies, cost levels, reasons,
register fields, the ledger's arts and the follow-up's dispositions; and the marks that set
assumptions apart from facts."""

from __future__ import annotations

from analysis.inputs.contracts import ANLAEG, POTENTIALS, SERVICE, TOTAL
from analysis.inputs.financing_frame import ClaimStatus
from analysis.model.allocation.types import Reason, Status
from analysis.model.business_case import Standing
from analysis.model.followup import BenefitStatus
from analysis.model.robustness.stats import CoreClass

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
    BenefitStatus.TARGET_MET: "mål nået",
    BenefitStatus.TARGET_MISSED: "mål ikke nået",
    BenefitStatus.TARGET_NOT_MEASURED: "ikke målt i eller efter målåret",
    BenefitStatus.STOPPED: "stoppet",
}
# A funded need's standing in an option, the same words on every page (02, 05, the index)
STANDING_LABELS = {
    Standing.STARTED: "udmøntet",
    Standing.NOW: "udmøntes nu",
    Standing.LATER: "vejledende",
    Standing.ALTERNATIVE: "alternativ",
    Standing.STOPPED: "stoppet",
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


# The unit of a table whose every year stands in its own p/l (column "P/l")
OWN_YEARS_UNIT = "1.000 kr., hvert år i sin egen p/l"
OWN_YEARS_NOTE = (
    "Hvert år står i sin egen p/l (kolonnen P/l): årets regnskab og overførselssagens beslutninger om året "
    "med de beløb, der blev regnskabsført og besluttet; udmøntningen og det, der blev overført ind fra året "
    "før, fremskrevet til årets p/l; et beløb i alt til nu står i årets p/l. "
)
AS_DECIDED_NOTE = (
    "Udmøntet som besluttet: det beløb, ØU udmøntede til året, med den p/l, det blev besluttet i, i parentes "
    "(Excel-bilaget har dem i hver sin kolonne), med det, en stoppet investering gav tilbage, trukket fra; "
    "Udmøntet er det samme beløb fremskrevet til årets p/l. "
)


# A strategy as it reads beside another option's full label
STRATEGY_SHORT = {
    "priority": "den antagne prioriterede rækkefølge, ikke optimeret",
    "max-potential": "størst potentiale",
    "max-benefit": "størst gevinst",
    "max-npv": "størst nettonutidsværdi",
}


# What an OFS proposes for the free money (codes of followup --json's ``free_disposition``)
DISPOSITIONS = {
    "return_to_kassen": "tilbageføres kassen",
    "fund_open_needs": "bliver i puljen til åbne behov, der kan starte næste år",
    "deduct_next_year": "merforbrug, der trækkes fra næste år",
    "ask_ou": "merforbrug uden et næste år i rammen: ØU tager stilling til dækningen",
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

ASSUMED = " (antaget)"  # the visible mark on a column or row that rests on assumed inputs
ILLUSTRATIVE = " – illustrative eksempeldata"


def assumed_fields(register) -> set[str]:
    """The register fields that are assumptions for at least one need (its antagelser)."""
    return {field for fields in register["antagelser"] for field in fields}


def mark(label: str, fields, assumed: set[str]) -> str:
    """``label`` marked as assumed when it rests on any of ``fields`` that are assumed."""
    return label + ASSUMED if assumed & set(fields) else label


def illustrative_mark(result) -> str:
    """The caption mark for tables built on an illustrative follow-up (``result.illustrative``)."""
    return ILLUSTRATIVE if result.illustrative else ""


def illustrative(followup_data) -> bool:
    """Follow-up data that says it is illustrative (in its kilde column)."""
    from analysis.model.followup import is_illustrative

    return is_illustrative(followup_data)
