"""What the workbench shows beside its controls: the option's key figures per styringsområde
and year against the baseline, a small chart of the option against the baseline, and saved
scenarios side by side, and which needs a move brings in, drops or moves. Every amount in
mio. kr., every change signed. Like the rest of the
report layer these only show results the model returned; the workbench solves."""

from __future__ import annotations

import pandas as pd

from analysis.inputs.contracts import POOLS
from analysis.inputs.register import need_titles
from analysis.model.allocation import comparison
from analysis.model.allocation.result import Result
from analysis.report import allocation_page
from analysis.report import formats as fmt
from analysis.report import vocabulary as words
from analysis.report.blocks import Chart, Table
from analysis.report.deviations import deviations, smallest_change

SPENT, CHANGE, LEFT = "udmøntet", "ændring", "endnu ikke udmøntet"


def key_figures(result: Result, baseline: Result | None, price_year: int) -> Table:
    """Per year (a row each, and the total): what the option udmønter per styringsområde,
    the change against the baseline (signed), and what is left of the option's own frame,
    in mio. kr."""
    years = [str(y) for y in result.problem.years]
    spent, left = result.spending(), result.unspent()
    compare = baseline is not None and baseline.has_option
    columns, formats = {}, {}
    for pool in POOLS:
        label = words.POOL_LABELS[pool]
        now = [float(v) for v in spent[pool]]
        columns[f"{label}: {SPENT}"] = [*now, sum(now)]
        formats[f"{label}: {SPENT}"] = "mio_n"
        if compare:
            change = [a - float(b) for a, b in zip(now, baseline.spending()[pool], strict=True)]
            columns[f"{label}: {CHANGE}"] = [*change, sum(change)]
            formats[f"{label}: {CHANGE}"] = "signed_mio_n"
        # with planned carry-over a year's figure is cumulative: the total is the pool's own
        columns[f"{label}: {LEFT}"] = [*(float(v) for v in left[pool]), float(result.unspent_total()[pool])]
        formats[f"{label}: {LEFT}"] = "mio_n"
    table = pd.DataFrame(columns, index=pd.Index([*years, "I alt"], name="År"))
    return Table(
        table,
        caption="Nøgletal pr. år",
        unit=f"mio. kr., {price_year} p/l",
        index=True,
        formats=formats,
        note="Ændring: mod grundlaget. Endnu ikke udmøntet: af forslagets egen ramme.",
    )


def chart(frame: pd.DataFrame, result: Result, baseline: Result | None, price_year: int) -> Chart:
    """The option against the baseline per year and styringsområde, each against its frame."""
    shown = [baseline, result] if baseline is not None and baseline.has_option else [result]
    names = ["Grundlag", "Nu"] if len(shown) == 2 else ["Nu"]
    return allocation_page.spending_chart(
        frame,
        shown,
        names,
        price_year,
        size=(5.6, 2.1),
        caption=f"Udmøntet nu mod grundlaget pr. år (mio. kr., {price_year} p/l)",
    )


def side_by_side(
    register: pd.DataFrame,
    frame: pd.DataFrame,
    main: tuple[Result, comparison.Measures | None],
    named: list[tuple],
    main_label: str = "Hovedforslaget",
) -> Table:
    """Saved scenarios beside the main option (or the baseline the analyst pinned, named by
    ``main_label``), each with the measures the workbench computed for it: ``main`` is
    (result, measures), ``named`` holds (scenario, result, measures). One row each, amounts
    in mio. kr., and in words what each changed (or why it has no solution and the least
    change that gives one)."""
    rows = []
    main, main_measured = main
    for label, scenario, result, measured in [
        (main_label, None, main, main_measured),
        *((s.name, s, r, m) for s, r, m in named),
    ]:
        if scenario is None:
            said = words.describe_option(main.options)
        else:
            lines = deviations(main.options, scenario, frame, register)
            said = "; ".join(lines) if lines else "ingen ændringer"
            if not result.has_option:
                said += f". Ingen løsning: {words.result_message(result)} {smallest_change(result, register)}".rstrip()
        rows.append(
            {
                "Scenarie": label,
                "Behov finansieret": None if measured is None else measured.funded,
                "Udmøntet i alt": None if measured is None else measured.cost,
                "Vejledende": None if measured is None else measured.indicative,
                "Ikke planlagt, service": None if measured is None else measured.unspent_service,
                "Ikke planlagt, anlæg": None if measured is None else measured.unspent_anlaeg,
                "Ændret mod " + main_label[0].lower() + main_label[1:]: said,
            }
        )
    return Table(
        pd.DataFrame(rows, dtype=object),
        caption="Gemte scenarier side om side",
        unit="mio. kr.",
        formats={
            "Behov finansieret": "int",
            "Udmøntet i alt": "mio",
            "Vejledende": "mio",
            "Ikke planlagt, service": "mio",
            "Ikke planlagt, anlæg": "mio",
        },
        note=(
            "Udmøntet i alt: det, der er udmøntet før, og det, scenariet udmønter til behovene med start i planåret, "
            "alle år. Vejledende: behov, scenariet lader starte senere (besluttes ved budgettet for startåret). Ikke "
            "planlagt: rammen minus det udmøntede og det vejledende. Hvert scenarie måles mod sin egen ramme; – "
            "betyder ingen løsning."
        ),
    )


def changes_against(
    register: pd.DataFrame,
    baseline: Result,
    option: Result,
    price_year: int,
    against: str = "grundforslaget (rapportens hovedforslag)",
) -> Table:
    """Which needs enter, leave or move start year against the baseline, in a stable order
    (the register's), with the signed change in value (in the strategy's unit), in what is
    udmøntet and in what is not (mio. kr.)."""
    titles = need_titles(register)
    rows = []
    for need_id in register["id"]:
        before, now = baseline.selected.get(need_id), option.selected.get(need_id)
        if before == now:
            continue
        change = "kommer med" if before is None else "falder ud" if now is None else "flytter start"
        rows.append(
            {
                "Id": need_id,
                "Behov": titles[need_id],
                "Ændring": change,
                "Start i grundlaget": fmt.DASH if before is None else str(before),
                "Start nu": fmt.DASH if now is None else str(now),
            }
        )
    table = pd.DataFrame(rows, columns=["Id", "Behov", "Ændring", "Start i grundlaget", "Start nu"])
    lines = []
    if option.has_option and baseline.has_option:
        spent_now, spent_before = option.spending().sum(), baseline.spending().sum()
        left_now, left_before = option.unspent_total(), baseline.unspent_total()
        lines = [
            f"{words.POOL_LABELS[p]}: udmøntet {fmt.signed_mio(spent_now[p] - spent_before[p])}, endnu ikke udmøntet "
            f"{fmt.signed_mio(left_now[p] - left_before[p])}"
            for p in POOLS
        ]
    value = ""
    same_rules = (
        option.options.strategy == baseline.options.strategy and option.options.weights == baseline.options.weights
    )
    if lines and same_rules and option.objective is not None and baseline.objective is not None:
        # values are only comparable under the same strategy and weights
        gained = words.value_text(option.objective - baseline.objective, option.options, signed=True)
        value = f" Værdi efter egne kriterier: {gained}."
    note = f"Ændring mod {against}.{value} " + "; ".join(lines) + "." if lines else ""
    return Table(table, caption="Behov, der kommer med, falder ud eller flytter start", unit="", note=note)
