"""Page 02, the allocation options: tables, texts and figures, as
:mod:`analysis.report.blocks` objects. Every function shows results the model returned;
none solves."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.inputs.contracts import POOLS
from analysis.inputs.financing_frame import amounts
from analysis.inputs.register import need_titles
from analysis.model.allocation import comparison
from analysis.model.allocation.comparison import VariantFit
from analysis.model.allocation.result import Result
from analysis.report import formats as fmt
from analysis.report import vocabulary as words
from analysis.report.blocks import Chart, KeyFigures, Table, Text
from analysis.report.figures import PALETTE, danish_axis, new_figure

# The rows of the options table and how each is shown.
SUMMARY_ROWS = {
    "Egen målværdi": ("objective", "num2"),
    "MIP-gap": ("mip_gap", "pct2"),
    "Antal behov finansieret": ("funded", "tkr"),
    "Potentiale (lige vægte)": ("equal_potential", "tkr"),
    "Gevinst (1.000 kr.)": ("benefit", "tkr"),
    "Frigjorte timer pr. år": ("hours", "tkr"),
    "Finansieret i alt (1.000 kr.)": ("cost", "tkr"),
    "Uforbrugt service til sidst (1.000 kr.)": ("unspent_service", "tkr"),
    "Uforbrugt anlæg til sidst (1.000 kr.)": ("unspent_anlaeg", "tkr"),
}


def options_summary(register: pd.DataFrame, results: list[Result], names: list[str], price_year: int) -> Table:
    columns = {}
    for name, result in zip(names, results, strict=True):
        measured = comparison.measures(register, result)
        column = {"Forslag": words.describe_option(result.options), "Status": words.status_text(result)}
        column |= {label: getattr(measured, field) for label, (field, _) in SUMMARY_ROWS.items()}
        columns[name] = column
    table = pd.DataFrame(columns, dtype=object)
    return Table(
        table,
        caption="Allokeringsforslag side om side",
        unit=words.unit(price_year),
        index=True,
        row_formats={label: key for label, (_, key) in SUMMARY_ROWS.items()},
        note=(
            "Hvert forslag er bedst efter sin egen målværdi; de øvrige rækker måler alle forslag ens. "
            "Prioriteret rækkefølge er dagens praksis og er ikke optimeret; den har intet MIP-gap."
        ),
    )


def solver_note(results: list[Result], names: list[str]) -> Text:
    """Each option's real solver status, gap and time, in words."""
    lines = []
    for name, result in zip(names, results, strict=True):
        if result.method == "priority":
            lines.append(
                f"{name}: prioriteret rækkefølge, ingen løser ({fmt.number(result.solve_time_s * 1000, 1)} ms)."
            )
            continue
        gap = fmt.DASH if result.mip_gap is None else fmt.percent(result.mip_gap, 2)
        text = (
            f"{name}: HiGHS, {words.SOLVER_STATUS[result.status]}, MIP-gap {gap}, "
            f"løsningstid {fmt.number(result.solve_time_s, 3)} s"
        )
        if result.explain_time_s:
            text += f"; forklaringer beregnet på {fmt.number(result.explain_time_s, 2)} s"
        lines.append(text + ".")
        message = words.result_message(result)
        if message:
            lines.append(f"{name}: {message}")
    return Text(lines, bullets=True, heading="Løsning")


def in_and_out(register: pd.DataFrame, results: list[Result], names: list[str]) -> Table:
    table = comparison.in_and_out(register, results, names)
    shown = pd.DataFrame({"Område": table["omraade"], "Id": table["id"], "Behov": table["titel"]})
    for name in names:
        shown[name] = [fmt.DASH if v is None else str(int(v)) for v in table[name]]
    classes = ["diff" if d else "" for d in table["forskel"] | table["forskel_start"]]
    order = shown.sort_values(["Område", "Id"]).index
    return Table(
        shown.loc[order].reset_index(drop=True),
        caption="Behov med og uden for hvert forslag (startår; – = ikke finansieret)",
        row_classes=[classes[i] for i in order],
        note="Markerede rækker (≠) er behov, hvor forslagene er uenige om, hvorvidt eller hvornår behovet finansieres.",
    )


def by_group(register: pd.DataFrame, results: list[Result], names: list[str], column: str, price_year: int) -> Table:
    table = comparison.by_group(register, results, names, column)
    table.index = [label or words.NOT_STATED for label in table.index]
    table.loc["I alt"] = table.sum()
    label = {"omraade": "område", "forvaltning": "forvaltning"}[column]
    table.index.name = label.capitalize()
    return Table(
        table,
        caption=f"Finansieret omkostning pr. {label}",
        unit=words.unit(price_year),
        formats={n: "tkr" for n in names},
        index=True,
    )


def selected(register: pd.DataFrame, result: Result, price_year: int) -> Table:
    reg = register.set_index("id")
    ids = sorted(result.selected, key=lambda i: (result.selected[i], i))
    cost = result.options.cost_column
    data = pd.DataFrame(
        {
            "Id": ids,
            "Behov": [reg.loc[i, "titel"] for i in ids],
            "Område": [reg.loc[i, "omraade"] for i in ids],
            "Startår": [str(result.selected[i]) for i in ids],
            "Omkostning": [reg.loc[i, cost] for i in ids],
            "Heraf anlæg": [reg.loc[i, cost] * reg.loc[i, "andel_anlaeg"] for i in ids],
            "Værdi": [result.value_of(i) for i in ids],
        }
    )
    return Table(
        data,
        caption=f"Finansierede behov – {words.describe_option(result.options)}",
        unit=words.unit(price_year),
        formats={"Omkostning": "tkr", "Heraf anlæg": "tkr", "Værdi": "num1"},
        note="Værdi er behovets bidrag til målværdien, med tidspræferencen for startåret.",
    )


def explanations(register: pd.DataFrame, result: Result) -> Table:
    titles = need_titles(register)
    years = result.problem.years
    rows = []
    for need_id, why in sorted(result.explanations.items(), key=lambda x: (x[1].reason.value, x[0])):
        rows.append(
            {
                "Id": need_id,
                "Behov": titles[need_id],
                "Årsag": words.REASON_LABELS[why.reason],
                "Forklaring": words.explanation_detail(why, years),
                "Værditab ved at tvinge ind": words.value_lost_text(why),
                "Ekstra ramme der skal til": words.extra_frame_text(why),
            }
        )
    data = pd.DataFrame(
        rows, columns=["Id", "Behov", "Årsag", "Forklaring", "Værditab ved at tvinge ind", "Ekstra ramme der skal til"]
    )
    return Table(
        data,
        caption=f"Hvorfor behov ikke er finansieret – {words.describe_option(result.options)}",
        note=(
            "Værditab: hvor meget målværdien falder, hvis behovet tvinges ind (genberegnet). "
            "Ekstra ramme: det mindste ekstra beløb pr. styringsområde og år, der finansierer behovet "
            "uden at noget andet falder ud."
        ),
    )


def spending_chart(frame: pd.DataFrame, results: list[Result], names: list[str], price_year: int) -> Chart:
    """Cumulative spending per pool for each option against the cumulative frame."""
    frame_cum = amounts(frame).cumsum() / 1000
    figure, axes = new_figure(9, 3.6, columns=2)
    years = [str(y) for y in frame_cum.index]
    width = 0.8 / max(len(results), 1)
    alt = []
    for ax, pool in zip(axes, POOLS, strict=True):
        for k, (name, result) in enumerate(zip(names, results, strict=True)):
            spent = result.spending()[pool].cumsum() / 1000
            x = np.arange(len(years)) + (k - (len(results) - 1) / 2) * width
            ax.bar(x, spent.to_numpy(), width=width, color=PALETTE[k % len(PALETTE)], label=name)
            alt.append(
                f"{name} {words.POOL_LABELS[pool].lower()}: "
                + ", ".join(f"{y} {fmt.mio(v * 1000)}" for y, v in zip(years, spent, strict=True))
            )
        ax.step(
            np.arange(len(years)), frame_cum[pool].to_numpy(), where="mid", color="black", label="Ramme (akkumuleret)"
        )
        ax.set_xticks(np.arange(len(years)), years)
        ax.set_title(words.POOL_LABELS[pool])
        danish_axis(ax.yaxis)
        ax.set_ylabel(f"mio. kr. ({price_year} p/l)")
    axes[0].legend(frameon=False, fontsize=8)
    return Chart(
        figure,
        caption=f"Akkumuleret forbrug pr. forslag mod den akkumulerede ramme (mio. kr., {price_year} p/l)",
        alt="Søjler med akkumuleret forbrug: " + "; ".join(alt),
    )


def _years(years) -> str:
    years = [str(y) for y in years]
    return years[0] if len(years) == 1 else ", ".join(years[:-1]) + " og " + years[-1]


def variant_line(fit: VariantFit, carry_over: bool) -> str:
    """One plain Danish answer: does this variant fit the frame, and when?"""
    head = f"{fit.title} ({fit.id}, {fmt.mio(fit.cost)})"
    if not fit.has_estimate:
        return f"{head}: har intet estimat."
    if not fit.alone:
        if fit.best_start is None:
            return f"{head}: kan ikke starte i rammens år, fordi udgiften ville falde efter rammens sidste år."
        where = ", ".join(f"{pool} {year} {fmt.mio(v)}" for (pool, year), v in sorted(fit.missing_where.items()))
        return (
            f"{head}: passer ikke i rammen i noget tilladt startår, heller ikke alene. "
            f"Med start {fit.best_start} mangler der {fmt.mio(fit.missing)} ({where})."
        )
    text = f"{head}: passer alene i rammen med start {_years(fit.alone)}"
    if carry_over and set(fit.alone_without_carry_over) != set(fit.alone):
        strict = fit.alone_without_carry_over
        text += " – men kun fordi uforbrugte midler overføres; uden overførsel " + (
            f"kun med start {_years(strict)}" if strict else "i intet startår"
        )
    text += "."
    if fit.chosen_start is not None:
        text += f" Den er valgt i forslaget med start {fit.chosen_start}."
    elif fit.why is not None:
        if fit.why.value_lost is not None:
            text += " Tvinges den ind" + (f" i stedet for {', '.join(fit.replaced)}" if fit.replaced else "")
            text += f", falder værdien med {fmt.number(fit.why.value_lost, 2)}"
            text += f", og {', '.join(fit.dropped)} må ud." if fit.dropped else "."
        else:
            text += f" Den er ikke valgt: {words.REASON_LABELS[fit.why.reason]}."
    return text


def variant_answers(register: pd.DataFrame, frame: pd.DataFrame, result: Result) -> Text:
    """For every variant group: does each variant fit the frame, and when (plain words)."""
    groups = sorted(register["variantgruppe"].dropna().unique())
    lines = [
        variant_line(fit, result.options.carry_over)
        for group in groups
        for fit in comparison.variant_fits(register, frame, result, group)
    ]
    if not lines:
        return Text(["Registeret har ingen variantgrupper."])
    return Text(lines, bullets=True, heading=f"Svar for {words.describe_option(result.options).lower()}:")


def key_figures(data, result: Result) -> KeyFigures:
    """The main option's key figures for the report's index page, handed from this page to
    the index so that both show the same result."""
    unspent = result.unspent().iloc[-1] if result.status.has_option else None
    spent = result.spending().sum()
    figures = {
        "strategy": result.options.strategy,
        "status": result.status.value,
        "mip_gap": result.mip_gap,
        "funded": len(result.selected),
        "left_out": len(data.register) - len(result.selected),
        "no_estimate": int((~data.register["har_estimat"]).sum()),
        "spent": {pool: float(spent[pool]) for pool in POOLS},
        "unspent": None if unspent is None else {pool: float(unspent[pool]) for pool in POOLS},
        "message": words.result_message(result),
        "has_option": result.status.has_option,
    }
    return KeyFigures("allocation", figures)
