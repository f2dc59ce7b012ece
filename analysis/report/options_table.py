"""The options side by side on page 02: one row per option that decides differently, the
recommended one marked, an analyst's scenario said in short in its row and in full in a
list under the table, and the sensitivities said as what they would change. Every
function shows results the model returned; none solves."""

from __future__ import annotations

from textwrap import shorten

import numpy as np
import pandas as pd

from analysis.model.allocation import comparison
from analysis.model.allocation.result import Result
from analysis.report import formats as fmt
from analysis.report import vocabulary as words
from analysis.report.blocks import Table, Text, Texts
from analysis.report.deviations import deviations, smallest_change

# The measures of the options tables, one column each, and how each is shown: amounts
# (1.000 kr.) in one table, the measures without a unit of money in another. Each option is
# a row, so the tables stay within the page however many options and scenarios there are.
SUMMARY_COLUMNS = {
    "Udmøntes nu": ("decided_now", "tkr"),
    "Udmøntet i alt, alle år": ("cost", "tkr"),
    "Vejledende": ("indicative", "tkr"),
    "Gevinst pr. år ved fuld effekt": ("benefit", "tkr"),
    "Ikke planlagt, service": ("unspent_service", "tkr"),
    "Ikke planlagt, anlæg": ("unspent_anlaeg", "tkr"),
    "Nutidsværdi over levetiden": ("npv", "tkr"),
    "Afledt drift pr. år": ("running", "tkr"),
    "Budgetreduktioner i alt": ("reductions", "tkr"),
}
MEASURE_COLUMNS = {
    "Behov finansieret (antal)": ("funded", "int"),
    "Potentiale, lige vægte (sum af point 0–5)": ("equal_potential", "int"),
    "Frigjorte timer pr. år (timer)": ("hours", "tkr"),
}


# the register fields each measure rests on, to mark it when they are assumptions
SUMMARY_FIELDS = {
    "equal_potential": (
        "potentiale_tilgaengelighed",
        "potentiale_aflastning",
        "potentiale_forenkling",
        "potentiale_skalering",
    ),
    "benefit": ("gevinst",),
    "hours": ("timer_frigjort",),
    "npv": ("gevinst", "drift_aar", "dobbeltdrift", "gevinst_fuld_aar", "levetid"),
    "running": ("drift_aar",),
    "reductions": ("gevinst", "hjemtagelse", "levetid"),
}


def _scenarios(run) -> dict:
    """The analyst's scenarios of ``run`` by the name their row has."""
    n = run.grid_size
    return dict(zip(run.names[n:], run.scenarios, strict=True))


def _changed(run, scenario, register: pd.DataFrame) -> list[str]:
    return deviations(run.main.options, scenario, run.frame, register, run.base) if run.frame is not None else []


def _how_many(lines: list[str]) -> str:
    return f"{fmt.count(len(lines), 'ændring', 'ændringer')} mod hovedforslaget" if lines else "som hovedforslaget"


def scenario_text(run, name: str, register: pd.DataFrame) -> str | None:
    """The row of the analyst's scenario ``name``, in short: its description (shortened),
    how many changes it makes against the main option, whether it has a frame of its own and
    a solution. The list under the table says every change (:func:`scenario_changes`), so
    the row stays a few lines in its narrow column. None: not a scenario."""
    scenarios = _scenarios(run)
    if name not in scenarios:
        return None
    scenario = scenarios[name]
    result = run.results[run.names.index(name)]
    text = "Scenarie"
    if scenario.description:
        text += f" ({shorten(scenario.description, 40, placeholder=' …')})"
    text += f": {_how_many(_changed(run, scenario, register))}"
    if not np.allclose(result.limit(), run.main.limit()):
        text += ", med sin egen ramme"
    if not result.has_option:
        text += "; ingen løsning"
    return text + "; se listen under tabellen."


def scenario_changes(state) -> Texts | None:
    """Under the options table: everything each analyst scenario changed against the main
    option, one list per scenario in the order of the rows, then the frame its "Ikke
    planlagt" is measured against when it has its own, and for a scenario without a
    solution why and the least change that gives one. None when the report has no scenario."""
    register, run = state.data.register, state.allocation
    scenarios = _scenarios(run)
    if not scenarios:
        return None
    parts = []
    for name, scenario in scenarios.items():
        result = run.results[run.names.index(name)]
        lines = _changed(run, scenario, register)
        heading = name + (f" ({scenario.description})" if scenario.description else "") + f": {_how_many(lines)}"
        parts.append(Text(lines or ["intet ændret"], bullets=True, heading=heading))
        if not np.allclose(result.limit(), run.main.limit()):
            parts.append(Text([f"Ikke planlagt måles mod scenariets egen ramme: {_frame_text(result)}."]))
        if not result.has_option:
            said = [f"Ingen løsning: {words.result_message(result) or 'kravene kan ikke opfyldes samtidig.'}"]
            fix = smallest_change(result, register)
            parts.append(Text(said + ([fix] if fix else []), kind="warning"))
    return Texts(parts, heading="Scenarierne: alt, hvad de har ændret mod hovedforslaget")


def _frame_text(result: Result) -> str:
    """An option's frame over all years per styringsområde: ``service 110 mio. kr. og
    anlæg 45 mio. kr. i alt over årene``."""
    total = result.limit().sum(axis=1)
    return f"service {fmt.mio(total[0])} og anlæg {fmt.mio(total[1])} i alt over årene"


def _criteria(group: comparison.OptionGroup, run=None, register: pd.DataFrame | None = None) -> str:
    """Which settings lead to a group's outcome: the first member's in full, the others by
    how they differ from it, each with its letter. An analyst's scenario is said in short
    (see :func:`scenario_text`); the list under the table says everything it changed."""
    if run is not None and register is not None:
        said = scenario_text(run, group.name, register)
        if said is not None:
            return said
    first = group.results[0].options
    texts = [f"{words.describe_option(first)} ({group.names[0]})"]
    texts += [
        f"{words.difference_text(first, result.options)} ({name})"
        for name, result in zip(group.names[1:], group.results[1:], strict=True)
    ]
    text = "; ".join(texts)
    if not group.result.has_option:
        text += f" – {words.status_text(group.result)}"
    elif group.result.method == "priority" and len(group.names) == 1:
        text += " – ikke optimeret"
    return text


def options_measures(state) -> Table:
    """The options measured without money, one row per option that decides differently:
    needs funded, potential, hours freed (as the state measured them)."""
    register, run = state.data.register, state.allocation
    assumed = words.assumed_fields(register)
    labels = {
        label: words.mark(label, SUMMARY_FIELDS.get(field, ()), assumed)
        for label, (field, _) in MEASURE_COLUMNS.items()
    }
    rows = []
    for group in run.alternatives():
        measured = state.measures[group.name]
        rows.append(
            {"Forslag": group.name}
            | {
                labels[label]: None if measured is None else getattr(measured, field)
                for label, (field, _) in MEASURE_COLUMNS.items()
            }
        )
    return Table(
        pd.DataFrame(rows, columns=["Forslag", *labels.values()], dtype=object),
        caption="Forslagene målt i behov, potentiale og timer",
        unit="kolonnerne siger enheden",
        formats={labels[label]: key for label, (_, key) in MEASURE_COLUMNS.items()},
        note="Potentialet er summen af de finansierede behovs point for de fire potentialer med lige vægte.",
    )


RECOMMENDED = "indstilles"
# the main option's mark by what the event does with it: an OFS only shows an alternative
# for the free money, and the frame's first budget plan is indicative
MAIN_MARK = {"udmoentning": RECOMMENDED, "alternative": "alternativ", "indicative": "vejledende"}


def options_summary(state) -> Table:
    """The options side by side, one row per option that decides differently (options that
    fund the same needs from the same years with the same amounts are one row, which says
    which criteria lead there): which one ØKF recommends, and what each funds and leaves
    unspent."""
    register, run, price_year = state.data.register, state.allocation, state.price_year
    assumed = words.assumed_fields(register)
    level = state.case_price_year
    labels = {
        label: words.mark(
            label + (f" ({level} p/l)" if field == "npv" and level != price_year else ""),
            SUMMARY_FIELDS.get(field, ()),
            assumed,
        )
        for label, (field, _) in SUMMARY_COLUMNS.items()
    }
    rows = []
    for group in run.alternatives():
        # an option without a solution has no amounts: a dash, not the started investments' figures
        measured = state.measures[group.name]
        row = {
            "Forslag": group.name,
            "Indstilling": MAIN_MARK.get(run.mode, RECOMMENDED) if any(r is run.main for r in group.results) else "",
            "Kriterier, der fører hertil": _criteria(group, run, register),
        }
        row |= {
            labels[label]: None if measured is None else getattr(measured, field)
            for label, (field, _) in SUMMARY_COLUMNS.items()
        }
        rows.append(row)
    columns = ["Forslag", "Indstilling", "Kriterier, der fører hertil", *labels.values()]
    return Table(
        pd.DataFrame(rows, columns=columns, dtype=object),
        caption="Forslag til udmøntning side om side: beløb",
        unit=words.unit(price_year),
        formats={labels[label]: key for label, (_, key) in SUMMARY_COLUMNS.items()},
        note=(
            "Udmøntes nu: det, forslaget udmønter til behovene med start i planåret, i budgetåret og "
            "overslagsårene. "
            f"Udmøntet i alt: det, der er udmøntet ved tidligere beslutninger, og det, forslaget udmønter til "
            f"behovene med start i {run.plan_year}, alle år. Vejledende: de behov, forslaget lader starte senere; "
            "de er ikke udmøntet og besluttes ved budgettet for deres startår. "
            f"Ikke planlagt er forskellen mellem rammen ({_frame_text(run.main)}, med puljernes overførte "
            "midler) og det udmøntede og det vejledende; et scenarie med en anden ramme måles mod sin egen, som "
            "listen under tabellen siger sammen med alt, hvad scenariet har ændret. "
            "Forslag, der finansierer de samme behov fra de samme år med de samme beløb, står på én række, og "
            "kolonnen Kriterier siger, hvilke kriterier der fører dertil. Hvert optimeret forslag er det bedste "
            "efter sine egne kriterier, beregnet på de antagne point; den prioriterede rækkefølge er antaget og "
            "ikke optimeret. Gevinst og frigjorte timer bygger på antagelser, indtil forvaltningerne leverer dem: "
            "de er ikke et løfte om besparelser. Nutidsværdi: investering, dobbeltdrift, afledt drift og gevinst "
            "over hvert finansieret behovs levetid (de udmøntede på deres regnskab, i faste priser i rammens "
            f"prisniveau, {level} p/l, som siden Business case), diskonteret til rammens første år med "
            f"{fmt.percent(run.main.options.discount_rate, 1)} om året (Finansministeriets diskonteringsrente); "
            "afledt drift er det, behovene efterlader på servicerammen hvert år, når de er gennemført; "
            "budgetreduktionerne er den del af gevinsten, der hjemtages over levetiden. "
            "Regnemodellens status, afvigelse og tid står i bilaget "
            "Datagrundlag og metode."
        ),
    )


def sensitivities(state) -> Text:
    """What each option would change under other assumptions (another cost level, other
    weights, planned carry-over), against the option of the same criterion at the main
    assumptions: one line per option and distinct change."""
    run = state.allocation
    main = run.main
    groups = run.alternatives()
    by_change: dict[tuple[str, str], dict[str, list[str]]] = {}
    for name, result, ref_name, ref, change in state.sensitivity_changes:
        if change is None:
            text = f"ingen løsning: {words.result_message(result)}"
        else:
            text = words.change_text(change)
        settings = by_change.setdefault((ref_name, text), {})
        settings.setdefault(words.difference_text(ref.options, result.options), []).append(name)
    if not by_change:
        return Text(["Ingen følsomheder er regnet (rapporten har ét omkostningsniveau og én vægtning)."])
    main_name = next(g.name for g in groups if any(r is main for r in g.results))
    lines = []
    for (ref_name, text), settings in by_change.items():
        said = "; med ".join(f"{setting} ({', '.join(names)})" for setting, names in settings.items())
        lead = "Med" if ref_name == main_name else f"Forslag {ref_name} med"
        lines.append(f"{lead} {said}: {text.rstrip('.')}.")
    heading = (
        f"Følsomheder: hvad ville ændre sig i forhold til indstillingen (forslag {main_name})"
        + (" og de andre forslag" if len(groups) > 1 else "")
        if run.mode == "udmoentning"
        else "Følsomheder: hvad ville ændre sig i forslagene"
    )
    return Text(lines, bullets=True, heading=heading)
