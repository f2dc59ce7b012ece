"""Page 05, the business case of the recommended option, as the state's business case model
and KK's investeringscases put it to ØU: per investment its cost, afledt drift, benefit,
nutidsværdi and tilbagebetalingstid; the portfolio's totals; a sensitivity (cost at its
maximum, benefits 25 % lower, a year's delay); when the money is spent against when the
benefits come; and the budget reductions promised per forvaltning and year. Nothing here
solves: the option is the one the allocation page recommends."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.model import economics
from analysis.model.allocation.result import Result
from analysis.report import formats as fmt
from analysis.report import vocabulary as words
from analysis.report.blocks import Chart, Table, Text
from analysis.report.figures import PALETTE, danish_axis, new_figure

ECONOMIC_FIELDS = ("gevinst", "drift_aar", "dobbeltdrift", "gevinst_fuld_aar", "hjemtagelse", "levetid")


def _assumed(register: pd.DataFrame) -> bool:
    return bool(words.assumed_fields(register) & set(ECONOMIC_FIELDS))


def _mark(register: pd.DataFrame) -> str:
    return words.ASSUMED if _assumed(register) else ""


def investments(register: pd.DataFrame, result: Result, price_year: int) -> Table | Text:
    """Per funded need, started or new: its business case at its start year."""
    if not economics.has_economics(register):
        return Text(["Registeret har ingen oplysninger om afledt drift, gevinstprofil eller levetid."])
    reg = register.set_index("id", drop=False)
    rate = result.options.discount_rate
    rows = []
    for need_id, start in sorted(result.selected.items(), key=lambda item: (item[1], item[0])):
        row = next(reg.loc[[need_id]].itertuples(index=False))
        case = economics.need_economics(row, float(getattr(row, result.options.cost_column)), start, rate)
        rows.append(
            {
                "Id": need_id,
                "Behov": row.titel,
                "Startår": start,
                "Investering": case.investment,
                "Afledt drift pr. år": case.running,
                "Gevinst i alt over levetiden": case.benefit_total,
                "Budgetreduktioner i alt": case.reduction_total,
                "Nutidsværdi": case.npv,
                "Tilbagebetalingstid (år)": case.payback if case.payback is not None else "tjener sig ikke hjem",
            }
        )
    data = pd.DataFrame(rows, dtype=object)
    mark = _mark(register)
    renamed = {c: c + mark for c in data.columns[4:]}
    data = data.rename(columns=renamed)
    money = ["Investering", *list(renamed.values())[:4]]
    return Table(
        data,
        caption=f"Investeringerne i forslaget – {words.describe_option(result.options)}",
        unit=words.unit(price_year),
        formats={"Startår": "year"} | {c: "tkr" for c in money} | {list(renamed.values())[4]: "int"},
        note=(
            "Nutidsværdi: gevinst minus investering, dobbeltdrift og afledt drift over levetiden, diskonteret til "
            f"startåret med {fmt.percent(rate, 1)} om året (Finansministeriets diskonteringsrente). "
            "Tilbagebetalingstid: år fra start, til gevinsten har dækket omkostningerne. Påbegyndte investeringer er "
            "med, fordi deres afledte drift og gevinst følger med."
        ),
    )


SENSITIVITIES = (
    ("Som forventet", {}),
    ("Omkostning til maksimum", {"cost": "omkostning_max"}),
    ("Gevinst 25 % lavere", {"benefit_factor": 0.75}),
    ("Gevinsten et år forsinket", {"delay": 1}),
    ("Alle tre på én gang", {"cost": "omkostning_max", "benefit_factor": 0.75, "delay": 1}),
)


def _flows(register: pd.DataFrame, result: Result, cost=None, benefit_factor=1.0, delay=0) -> pd.DataFrame:
    return economics.portfolio_flows(
        register, result.selected, cost or result.options.cost_column, benefit_factor=benefit_factor, delay=delay
    )


def summary(register: pd.DataFrame, result: Result, name: str, price_year: int) -> Text:
    """The business case in the sentences a director reads first."""
    if not economics.has_economics(register) or not result.has_option:
        return Text(["Der er ingen business case at vise: registeret har ingen oplysninger om drift og gevinst."])
    years = result.problem.years
    rate = result.options.discount_rate
    table = _flows(register, result)
    npv = economics.npv(table, rate, years[0])
    after = table.loc[table.index > years[-1], "afledt_drift"]
    first_after = float(after.iloc[0]) if len(after) else 0.0
    payback = economics.payback(table)
    pays = (
        f"tjener sig hjem i {years[0] + payback - 1}"
        if payback is not None
        else "tjener sig ikke hjem økonomisk inden for investeringernes levetid"
    )
    lines = [
        f"Forslag {name} investerer {fmt.mio(table['investering'].sum())} i {len(result.selected)} behov og "
        f"efterlader {fmt.mio(first_after)} om året i afledt drift på servicerammen fra {years[-1] + 1}. "
        f"Gevinsten når {fmt.mio(table['gevinst'].max())} om året, heraf {fmt.mio(table['hjemtagelse'].max())} "
        f"som budgetreduktioner. Nutidsværdien over levetiden er {fmt.mio(npv)} ({price_year} p/l, "
        f"{fmt.percent(rate, 1)}), og porteføljen {pays}.",
        "Forslaget vælger efter de fire potentialer, ikke efter kroner: investeringer i det digitale fundament giver "
        "som notatet siger oftest først effektiviseringer på længere sigt. Tallene for drift og gevinst er "
        + (
            "antagelser, indtil forvaltningerne leverer deres business cases." if _assumed(register) else "registerets."
        ),
    ]
    return Text(lines, heading="Business case i korte træk")


def sensitivity(register: pd.DataFrame, result: Result, price_year: int) -> Table:
    """The portfolio's nutidsværdi and payback when costs, benefits or timing go worse."""
    years = result.problem.years
    rate = result.options.discount_rate
    rows = []
    for label, change in SENSITIVITIES:
        table = _flows(
            register,
            result,
            cost=change.get("cost"),
            benefit_factor=change.get("benefit_factor", 1.0),
            delay=change.get("delay", 0),
        )
        payback = economics.payback(table)
        rows.append(
            {
                "Følsomhed": label,
                "Omkostninger i alt": float(table[["investering", "dobbeltdrift", "afledt_drift"]].to_numpy().sum()),
                "Gevinst i alt": float(table["gevinst"].sum()),
                "Nutidsværdi": economics.npv(table, rate, years[0]),
                "Tjent hjem i": years[0] + payback - 1 if payback is not None else "ikke inden for levetiden",
            }
        )
    data = pd.DataFrame(rows, dtype=object)
    mark = _mark(register)
    data = data.rename(columns={c: c + mark for c in data.columns[1:]})
    columns = list(data.columns)
    return Table(
        data,
        caption="Følsomhed: porteføljens økonomi, når det går dårligere end forventet",
        unit=words.unit(price_year),
        formats={columns[1]: "tkr", columns[2]: "tkr", columns[3]: "tkr", columns[4]: "year"},
        note=(
            f"Nutidsværdi diskonteret til {years[0]}. Omkostning til maksimum: hvert behov til sit maksimum. "
            "Forsinket: hver gevinst et år senere, omkostningerne som planlagt."
        ),
    )


def benefit_chart(register: pd.DataFrame, result: Result, price_year: int) -> Chart:
    """A gevinstdiagram: per year the money spent (investment, dobbeltdrift, afledt drift)
    below the axis and the benefit above it, with the accumulated net as a line."""
    table = _flows(register, result) / 1000
    years = [int(y) for y in table.index]
    figure, (ax,) = new_figure(9, 3.8)
    spent = table["investering"] + table["dobbeltdrift"]
    ax.bar(years, -spent, color=PALETTE[1], label="Investering og dobbeltdrift")
    ax.bar(years, -table["afledt_drift"], bottom=-spent, color=PALETTE[2], label="Afledt drift")
    ax.bar(years, table["gevinst"], color=PALETTE[0], label="Gevinst")
    ax.plot(years, np.cumsum(table["netto"]), color="black", marker="o", linewidth=1.5, label="Akkumuleret netto")
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xticks(years, [str(y) for y in years])
    danish_axis(ax.yaxis)
    ax.set_ylabel(f"mio. kr. ({price_year} p/l)")
    figure.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=4, frameon=False, fontsize=8)
    alt = "; ".join(
        f"{y}: udgift {fmt.mio((s + d) * 1000)}, gevinst {fmt.mio(g * 1000)}"
        for y, s, d, g in zip(years, spent, table["afledt_drift"], table["gevinst"], strict=True)
    )
    return Chart(
        figure,
        caption=f"Hvornår pengene bruges, og hvornår gevinsten kommer (mio. kr., {price_year} p/l){_mark(register)}",
        alt="Gevinstdiagram pr. år: " + alt,
    )


def reductions(register: pd.DataFrame, result: Result, price_year: int) -> Table | Text:
    """The budget reductions the option promises, per forvaltning and year (hjemtagelse)."""
    _rows, _npv, _running, promised = economics.portfolio(
        register, result.selected, result.options.cost_column, result.options.discount_rate
    )
    if not promised:
        return Text(["Forslaget lover ingen budgetreduktioner (ingen hjemtagelse i registeret)."])
    years = sorted({y for _who, y in promised})
    who = sorted({w for w, _y in promised})
    data = pd.DataFrame(
        [[w, *(promised.get((w, y), 0.0) for y in years)] for w in who], columns=["Forvaltning", *map(str, years)]
    )
    data.loc[len(data)] = ["I alt", *(data[str(y)].sum() for y in years)]
    return Table(
        data,
        caption="Budgetreduktioner, forslaget lover, pr. forvaltning og år" + _mark(register),
        unit=words.unit(price_year),
        formats={str(y): "tkr" for y in years},
        row_classes=[""] * (len(data) - 1) + ["total"],
        note="Den del af gevinsten, der kan hjemtages (registerets hjemtagelse), pr. forvaltning og år.",
    )
