"""Page 02, the allocation options: tables, texts and figures, as
:mod:`analysis.report.blocks` objects. Every function shows results the model returned;
none solves."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.inputs.contracts import POOLS
from analysis.inputs.register import need_titles
from analysis.model.allocation.comparison import VariantFit
from analysis.model.allocation.result import Result
from analysis.model.allocation.types import Reason
from analysis.model.business_case import standing
from analysis.report import formats as fmt
from analysis.report import vocabulary as words
from analysis.report.blocks import Chart, Table, Text
from analysis.report.figures import bar_style, danish_axis, new_figure
from analysis.report.options_table import SUMMARY_FIELDS
from analysis.report.reasons import assumptions_text, reasons_formats, reasons_table, time_preference_text


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
        value = fmt.DASH if result.objective is None else fmt.number(result.objective, 2)
        text = (
            f"{name}: HiGHS, {words.SOLVER_STATUS[result.status]}, MIP-gap {gap}, værdi efter egne kriterier {value}, "
            f"løsningstid {fmt.number(result.solve_time_s, 3)} s"
        )
        if result.explain_time_s:
            text += f"; forklaringer beregnet på {fmt.number(result.explain_time_s, 2)} s"
        lines.append(text + ".")
        message = words.result_message(result)
        if message:
            lines.append(f"{name}: {message}")
    return Text(lines, bullets=True, heading="Forslag til udmøntning: regnemodellens status")


def in_and_out(state) -> Table:
    """Which need each shown option funds, and from when (as the state computed it)."""
    register, names = state.data.register, state.allocation.shown_names
    table = state.in_and_out
    shown = pd.DataFrame({"Område": register["omraade"], "Id": table["id"], "Behov": register["titel"]})
    for name in names:
        shown[name] = pd.Series([None if v is None else int(v) for v in table[name]], index=shown.index, dtype=object)
    classes = ["diff" if d else "" for d in table["differs"] | table["differs_start"]]
    order = shown.sort_values(["Område", "Id"]).index
    return Table(
        shown.loc[order].reset_index(drop=True),
        caption="Behov med og uden for hvert forslag (startår; – = ikke finansieret)",
        formats={name: "year" for name in names},
        row_classes=[classes[i] for i in order],
        note="Markerede rækker (≠) er behov, hvor forslagene er uenige om, hvorvidt eller hvornår behovet finansieres.",
    )


def by_group(state, column: str) -> Table:
    """The shown options' funded cost per area or forvaltning (as the state computed it)."""
    names, price_year = state.allocation.shown_names, state.price_year
    table = state.funded_by(column).copy()
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


def selected(register: pd.DataFrame, result: Result, price_year: int, mode: str = "udmoentning") -> Table:
    """The option's funded needs, each with its standing (the same words as the business
    case page: udmøntet, udmøntes nu, vejledende, alternativ), whether its start moved since
    the last plan, and what the option chooses by."""
    reg = register.set_index("id")
    ids = sorted(result.selected, key=lambda i: (result.selected[i], i))
    cost = result.options.cost_column
    previous = result.problem.commitments.previous if result.problem.commitments else {}

    def status(need_id: str) -> str:
        said = words.STANDING_LABELS[standing(result, need_id, result.selected[need_id], mode)]
        if need_id in previous and previous[need_id] != result.selected[need_id]:
            said += f" (flyttet fra {previous[need_id]})"
        return said

    data = pd.DataFrame(
        {
            "Id": ids,
            "Behov": [reg.loc[i, "titel"] for i in ids],
            "Startår": [int(result.selected[i]) for i in ids],
            "Status": [status(i) for i in ids],
            "Omkostning": [reg.loc[i, cost] for i in ids],
            "Heraf anlæg": [reg.loc[i, cost] * reg.loc[i, "andel_anlaeg"] for i in ids],
        }
    )
    assumed = words.assumed_fields(register)
    reasons = reasons_table(register, ids)
    data = pd.concat([data, reasons.drop(columns=["Id"])], axis=1)
    renamed = {"Heraf anlæg": words.mark("Heraf anlæg", ("andel_anlaeg",), assumed)}
    data = data.rename(columns=renamed)
    return Table(
        data,
        caption=f"Finansierede behov – {words.describe_option(result.options)}",
        unit=words.unit(price_year),
        formats={"Startår": "year", "Omkostning": "tkr", renamed["Heraf anlæg"]: "tkr"} | reasons_formats(reasons),
        note=(
            "Status: udmøntet (ved en tidligere beslutning; står fast), udmøntes nu, vejledende (besluttes ved "
            "budgettet for startåret) eller alternativ (de frie midler, hvis ØU vælger det); flyttet: startåret "
            "er et andet end i sidste plan. "
            "Point 0–5 for hvert af notatets fire potentialer, gevinst og frigjorte timer er det, forslaget "
            f"vælger efter; de er antagelser, indtil forvaltningerne leverer dem. {time_preference_text(result)}"
        ),
    )


LOST = "Tabt ved at tage behovet med"
FRAME_REASONS = (Reason.NO_FIT, Reason.OUTCOMPETED, Reason.FORCED_CONFLICT)


def _with_assumptions(text: str, assumptions: str) -> str:
    return f"{text}; {assumptions}" if assumptions else text


def _lost_unit(result: Result) -> str:
    if result.options.strategy == "max-benefit":
        return "den gevinst pr. år (1.000 kr., antaget), som"
    weights = words.weights_text(result.options.weights)
    return f"de point for de fire potentialer ({weights}, antaget), som"


def explanations(register: pd.DataFrame, result: Result) -> Table:
    titles = need_titles(register)
    years = words.plan_years(result)
    rows = []
    for need_id, why in sorted(result.explanations.items(), key=lambda x: (x[1].reason.value, x[0])):
        rows.append(
            {
                "Id": need_id,
                "Behov": titles[need_id],
                "Årsag": words.REASON_LABELS[why.reason],
                "Forklaring": _with_assumptions(
                    words.explanation_detail(why, years),
                    assumptions_text(register, need_id) if why.reason in FRAME_REASONS else "",
                ),
                # a number where it is proven (the appendix keeps it as one), else the words
                LOST: why.value_lost
                if why.value_lost is not None and why.value_lost_proven in (True, None)
                else words.value_lost_text(why),
                "Ekstra ramme der skal til": words.extra_frame_text(why),
            }
        )
    lost = f"{LOST} ({words.value_unit(result.options)})"
    data = pd.DataFrame(
        rows, columns=["Id", "Behov", "Årsag", "Forklaring", LOST, "Ekstra ramme der skal til"], dtype=object
    ).rename(columns={LOST: lost})
    return Table(
        data,
        caption=f"Hvorfor behov ikke er finansieret – {words.describe_option(result.options)}",
        formats={lost: words.VALUE_UNITS[result.options.strategy][1]},
        note=(
            f"{LOST}: {_lost_unit(result)} forslaget mister, hvis behovet tages med (genberegnet). "
            "Ekstra ramme: det mindste ekstra beløb pr. styringsområde og år, der finansierer behovet "
            "uden at noget andet falder ud. Svaret om rammen gælder forudsætningerne for anlæg og fordeling over "
            "årene, som står i forklaringen."
        ),
    )


FRAME_LABEL = "Ramme (+ puljens overførte midler)"


def own_frame_label(name: str) -> str:
    return f"Ramme i {name}"


def spending_chart(
    frame: pd.DataFrame,
    results: list[Result],
    names: list[str],
    price_year: int,
    size: tuple[float, float] = (9, 3.6),
    caption: str | None = None,
) -> Chart:
    """What each option udmønter per year and pool against what the year may udmønte: its
    frame, plus the pool's own money an OFS moved into it. Before the plan year the bars are
    what earlier decisions udmøntede. An option with a frame of its own (a scenario that
    scales the frame) gets its own frame line, dashed in its bars' colour, so its bars are
    read against the frame they were planned in."""
    first = results[0].problem
    limit = results[0].limit()
    years = [str(y) for y in first.years]
    figure, axes = new_figure(*size, columns=2)
    width = 0.8 / max(len(results), 1)
    alt = []
    edges = np.arange(len(years) + 1) - 0.5
    for p, (ax, pool) in enumerate(zip(axes, POOLS, strict=True)):
        for k, (name, result) in enumerate(zip(names, results, strict=True)):
            spent = result.spending()[pool] / 1000
            x = np.arange(len(years)) + (k - (len(results) - 1) / 2) * width
            ax.bar(x, spent.to_numpy(), width=width, label=name, **bar_style(k))
            alt.append(
                f"{name} {words.POOL_LABELS[pool].lower()}: "
                + ", ".join(f"{y} {fmt.mio(v * 1000)}" for y, v in zip(years, spent, strict=True))
            )
            own = result.limit()
            if k and not np.allclose(own, limit):
                ax.stairs(
                    own[p] / 1000,
                    edges,
                    baseline=None,
                    color=bar_style(k)["color"],
                    linewidth=1.5,
                    linestyle="--",
                    label=own_frame_label(name),
                )
                alt.append(
                    f"{own_frame_label(name)}, {words.POOL_LABELS[pool].lower()}: "
                    + ", ".join(f"{y} {fmt.mio(v)}" for y, v in zip(years, own[p], strict=True))
                )
        # the frame as a step over each year's whole group of bars
        ax.stairs(limit[p] / 1000, edges, baseline=None, color="black", linewidth=1.5, label=FRAME_LABEL)
        ax.set_xticks(np.arange(len(years)), years)
        ax.set_title(words.POOL_LABELS[pool])
        danish_axis(ax.yaxis)
        ax.set_ylabel(f"mio. kr. ({price_year} p/l)")
    # one legend for both panels, under them: inside a panel it covered bars and the frame
    # from both panels: a scenario may change the frame of one styringsområde only
    pairs = {}
    for ax in axes:
        for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
            pairs.setdefault(label, handle)
    labels, handles = list(pairs), list(pairs.values())
    order = sorted(range(len(labels)), key=lambda i: labels[i] != FRAME_LABEL)  # the frame first, then A, B, …
    handles, labels = [handles[i] for i in order], [labels[i] for i in order]
    figure.legend(
        handles,
        labels,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=len(labels) if len(labels) <= 10 else -(-len(labels) // 2),
        frameon=False,
        fontsize=8,
    )
    return Chart(
        figure,
        caption=caption or f"Udmøntet i forslaget pr. år mod årets ramme (mio. kr., {price_year} p/l)",
        alt="Søjler med det udmøntede pr. år: " + "; ".join(alt),
    )


def _years(years) -> str:
    years = [str(y) for y in years]
    return years[0] if len(years) == 1 else ", ".join(years[:-1]) + " og " + years[-1]


def variant_line(fit: VariantFit, carry_over: bool, register: pd.DataFrame | None = None, unit: str = "point") -> str:
    """One plain Danish answer: does this variant fit the frame, and when? Where the answer
    depends on planned carry-over, it says so."""
    head = f"{fit.title} ({fit.id}, {fmt.mio(fit.cost)}"
    if register is not None and fit.has_estimate:
        row = register.set_index("id").loc[fit.id]
        points = sum(float(row[field]) for field in SUMMARY_FIELDS["equal_potential"])
        head += f", {fmt.number(points, 0)} antagne point for de fire potentialer"
    head += ")"
    if not fit.has_estimate:
        return f"{head}: har intet estimat."
    other = set(fit.alone_other_rule)
    if not fit.alone:
        if fit.best_start is None:
            text = f"{head}: kan ikke starte i rammens år, fordi udgiften ville falde efter rammens sidste år."
        else:
            where = ", ".join(f"{pool} {year} {fmt.mio(v)}" for (pool, year), v in sorted(fit.missing_where.items()))
            rule = "" if carry_over else " år for år"
            text = (
                f"{head}: passer ikke i rammen{rule} i noget tilladt startår, heller ikke alene. "
                f"Med start {fit.best_start} mangler der {fmt.mio(fit.missing)} ({where})"
            )
            assumed = assumptions_text(register, fit.id) if register is not None else ""
            text += f"; det {assumed}." if assumed else "."
        if other and not carry_over:
            text += (
                " Med planlagt overførsel af uforbrugte midler (følsomhed) ville den passe med start "
                f"{_years(sorted(other))}."
            )
        return text
    text = f"{head}: passer alene i rammen med start {_years(fit.alone)}"
    if carry_over and other != set(fit.alone):
        text += " – men kun fordi uforbrugte midler overføres; uden overførsel " + (
            f"kun med start {_years(sorted(other))}" if other else "i intet startår"
        )
    elif not carry_over and other - set(fit.alone):
        text += f" (med planlagt overførsel også med start {_years(sorted(other - set(fit.alone)))})"
    text += "."
    if fit.chosen_start is not None:
        text += f" Den er valgt i forslaget med start {fit.chosen_start}."
    elif fit.why is not None:
        if fit.why.value_lost is not None:
            text += " Tvinges den ind" + (f" i stedet for {', '.join(fit.replaced)}" if fit.replaced else "")
            text += f", mister forslaget {fmt.number(fit.why.value_lost, 1)} {unit} (antaget)"
            text += f", og {', '.join(fit.dropped)} må ud." if fit.dropped else "."
        else:
            text += f" Den er ikke valgt: {words.REASON_LABELS[fit.why.reason]}."
    return text


def _value_unit(result: Result) -> str:
    return "tusind kr. gevinst pr. år" if result.options.strategy == "max-benefit" else "point"


def variant_answers(state) -> Text:
    """For every variant group: does each variant fit the frame, and when (plain words), as
    the state computed it for the main option."""
    register, result = state.data.register, state.main
    lines = [
        variant_line(fit, result.options.carry_over, register, _value_unit(result))
        for fits in state.variants.values()
        for fit in fits
    ]
    if not lines:
        return Text(["Registeret har ingen variantgrupper."])
    return Text(lines, bullets=True, heading=f"Svar for {words.describe_option(result.options).lower()}:")
