"""Tables, texts and figures of the allocation notebook, as :mod:`analysis.display` objects."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from analysis import compare, fmt
from analysis.allocation import COST_LEVELS, REASON_LABELS, Result
from analysis.display import Chart, Table, Text
from analysis.figures import PALETTE
from analysis.frame import POOL_LABELS, POOLS, amounts
from analysis.tables import unit


def options_summary(register: pd.DataFrame, results: list[Result], names: list[str], price_year: int) -> Table:
    raw = compare.summary(register, results, names)
    shown = raw.copy().astype(object)
    for row in raw.index:
        for column in raw.columns:
            value = raw.loc[row, column]
            if row in ("Forslag", "Status"):
                continue
            if row == "MIP-gap":
                shown.loc[row, column] = fmt.DASH if value is None or pd.isna(value) else fmt.percent(value, 2)
            elif row == "Egen målværdi":
                shown.loc[row, column] = fmt.number(value, 2)
            else:
                shown.loc[row, column] = fmt.tkr(value)
    return Table(
        shown,
        caption="Allokeringsforslag side om side",
        unit=unit(price_year),
        index=True,
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
        status = {
            "optimal": "bevist optimal",
            "time_limit": "tidsgrænsen nået – ikke bevist optimal",
            "infeasible": "ingen løsning opfylder kravene",
            "error": "løseren fejlede",
        }[result.status]
        gap = fmt.DASH if result.mip_gap is None else fmt.percent(result.mip_gap, 2)
        text = f"{name}: HiGHS, {status}, MIP-gap {gap}, løsningstid {fmt.number(result.solve_time_s, 3)} s"
        if result.explain_time_s:
            text += f"; forklaringer beregnet på {fmt.number(result.explain_time_s, 2)} s"
        lines.append(text + ".")
        if result.message:
            lines.append(f"{name}: {result.message}")
    return Text(lines, bullets=True, heading="Løsning")


def in_and_out(register: pd.DataFrame, results: list[Result], names: list[str]) -> Table:
    table = compare.in_and_out(register, results, names)
    shown = pd.DataFrame({"Område": table["omraade"], "Id": table["id"], "Behov": table["titel"]})
    for name in names:
        shown[name] = [fmt.DASH if v is None else str(int(v)) for v in table[name]]
    classes = ["diff" if d else "" for d in table["forskel"] | table["forskel_start"]]
    return Table(
        shown.sort_values(["Område", "Id"]).reset_index(drop=True),
        caption="Behov med og uden for hvert forslag (startår; – = ikke finansieret)",
        row_classes=[classes[i] for i in shown.sort_values(["Område", "Id"]).index],
        note="Markerede rækker (≠) er behov, hvor forslagene er uenige om, hvorvidt eller hvornår behovet finansieres.",
    )


def by_group(register: pd.DataFrame, results: list[Result], names: list[str], column: str, price_year: int) -> Table:
    table = compare.by_group(register, results, names, column)
    label = {"omraade": "område", "forvaltning": "forvaltning"}[column]
    table.index.name = label.capitalize()
    return Table(
        table,
        caption=f"Finansieret omkostning pr. {label}",
        unit=unit(price_year),
        formats={n: "tkr" for n in names},
        index=True,
    )


def selected(register: pd.DataFrame, result: Result, price_year: int) -> Table:
    reg = register.set_index("id")
    ids = sorted(result.selected, key=lambda i: (result.selected[i], i))
    cost = COST_LEVELS[result.options.cost_level]
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
        caption=f"Finansierede behov – {compare.describe(result.options)}",
        unit=unit(price_year),
        formats={"Omkostning": "tkr", "Heraf anlæg": "tkr", "Værdi": "num1"},
        note="Værdi er behovets bidrag til målværdien, med tidspræferencen for startåret.",
    )


def _extra_text(extra: dict | None) -> str:
    if extra is None:
        return "ikke beregnet inden for tidsgrænsen"
    if not extra:
        return "ingen (kan komme med ved at flytte startår)"
    return "; ".join(f"{pool} {year}: {fmt.mio(v)}" for (pool, year), v in sorted(extra.items()))


def _value_lost_text(why: dict) -> str:
    if why.get("value_lost") is None:
        return fmt.DASH
    if why.get("value_lost_proven", True):
        return fmt.number(why["value_lost"], 1)
    low, high = fmt.number(why["value_lost_min"], 1), fmt.number(why["value_lost"], 1)
    return f"{low}–{high} (ikke bevist inden for tidsgrænsen)"


def explanations(register: pd.DataFrame, result: Result) -> Table:
    titles = dict(zip(register["id"], register["titel"], strict=True))
    rows = []
    for need_id, why in sorted(result.explanations.items(), key=lambda x: (x[1]["reason"], x[0])):
        rows.append(
            {
                "Id": need_id,
                "Behov": titles[need_id],
                "Årsag": REASON_LABELS[why["reason"]],
                "Forklaring": why.get("detail", ""),
                "Værditab ved at tvinge ind": _value_lost_text(why),
                "Ekstra ramme der skal til": _extra_text(why["extra_frame"]) if "extra_frame" in why else fmt.DASH,
            }
        )
    data = pd.DataFrame(
        rows, columns=["Id", "Behov", "Årsag", "Forklaring", "Værditab ved at tvinge ind", "Ekstra ramme der skal til"]
    )
    return Table(
        data,
        caption=f"Hvorfor behov ikke er finansieret – {compare.describe(result.options)}",
        note=(
            "Værditab: hvor meget målværdien falder, hvis behovet tvinges ind (genberegnet). "
            "Ekstra ramme: det mindste ekstra beløb pr. styringsområde og år, der finansierer behovet "
            "uden at noget andet falder ud."
        ),
    )


def spending_chart(frame: pd.DataFrame, results: list[Result], names: list[str], price_year: int) -> Chart:
    """Cumulative spending per pool for each option against the cumulative frame."""
    frame_cum = amounts(frame).cumsum() / 1000
    figure = Figure(figsize=(9, 3.6))
    axes = figure.subplots(1, 2, sharey=False)
    years = [str(y) for y in frame_cum.index]
    width = 0.8 / max(len(results), 1)
    alt = []
    for ax, pool in zip(axes, POOLS, strict=True):
        ax.spines[["top", "right"]].set_visible(False)
        for k, (name, result) in enumerate(zip(names, results, strict=True)):
            spent = result.spending()[pool].cumsum() / 1000
            x = np.arange(len(years)) + (k - (len(results) - 1) / 2) * width
            ax.bar(x, spent.to_numpy(), width=width, color=PALETTE[k % len(PALETTE)], label=name)
            alt.append(
                f"{name} {POOL_LABELS[pool].lower()}: "
                + ", ".join(f"{y} {fmt.mio(v * 1000)}" for y, v in zip(years, spent, strict=True))
            )
        ax.step(
            np.arange(len(years)), frame_cum[pool].to_numpy(), where="mid", color="black", label="Ramme (akkumuleret)"
        )
        ax.set_xticks(np.arange(len(years)), years)
        ax.set_title(POOL_LABELS[pool])
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: fmt.number(v, 0)))
        ax.set_ylabel(f"mio. kr. ({price_year} p/l)")
    axes[0].legend(frameon=False, fontsize=8)
    return Chart(
        figure,
        caption=f"Akkumuleret forbrug pr. forslag mod den akkumulerede ramme (mio. kr., {price_year} p/l)",
        alt="Søjler med akkumuleret forbrug: " + "; ".join(alt),
    )


def variant_answers(register: pd.DataFrame, frame: pd.DataFrame, result: Result) -> Text:
    """For every variant group: does each variant fit the frame, and when (plain words)."""
    groups = sorted(register["variantgruppe"].dropna().unique())
    lines = [line for group in groups for line in compare.variant_answers(register, frame, result, group)]
    if not lines:
        return Text(["Registeret har ingen variantgrupper."])
    return Text(lines, bullets=True, heading=f"Svar for {compare.describe(result.options).lower()}:")
