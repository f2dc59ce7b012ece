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

UNDISTRIBUTED = "tværgående"  # a need of every forvaltning: its reductions are not yet placed
ECONOMIC_FIELDS = ("gevinst", "drift_aar", "dobbeltdrift", "gevinst_fuld_aar", "hjemtagelse", "levetid")


def _assumed(register: pd.DataFrame) -> bool:
    return bool(words.assumed_fields(register) & set(ECONOMIC_FIELDS))


def _mark(register: pd.DataFrame) -> str:
    return words.ASSUMED if _assumed(register) else ""


# What each investment in the option is, in the words of the allocation page
STATUS_STARTED = "udmøntet"
STATUS_NOW = "udmøntes nu"
STATUS_LATER = "vejledende"
STATUS_ALTERNATIVE = "alternativ"


def status_of(result: Result, need_id: str, start: int, mode: str = "udmoentning") -> str:
    """A funded need's standing: already udmøntet (started), udmøntet now (it starts in the
    plan year of an event that udmønter), or vejledende (a later start, decided at the
    budget for its start year); under an alternative option (an OFS that only shows what
    the free money could do) a new need is ``alternativ``."""
    if need_id in result.problem.started:
        return STATUS_STARTED
    if mode == "alternative":
        return STATUS_ALTERNATIVE
    if mode == "udmoentning" and start == result.problem.plan_year:
        return STATUS_NOW
    return STATUS_LATER


def payback_year(start: int, payback: int | None) -> int | None:
    """The calendar year the accumulated net is no longer negative (None: not within the life)."""
    return None if payback is None else start + payback - 1


def investments(register: pd.DataFrame, result: Result, price_year: int, mode: str = "udmoentning") -> Table | Text:
    """Per funded need, started or new: its business case at its start year, every
    nutidsværdi discounted to the frame's first year so that the rows add up to the total."""
    if not economics.has_economics(register):
        return Text(["Registeret har ingen oplysninger om afledt drift, gevinstprofil eller levetid."])
    reg = register.set_index("id", drop=False)
    rate = result.options.discount_rate
    first = result.problem.years[0]
    rows = []
    for need_id, start in sorted(result.selected.items(), key=lambda item: (item[1], item[0])):
        row = next(reg.loc[[need_id]].itertuples(index=False))
        cost = float(getattr(row, result.options.cost_column))
        table = economics.flows(row, cost, start)
        case = economics.need_economics(row, cost, start, rate)
        benefit_years = table.index[table["gevinst"] > 0]
        full = table.index[table["gevinst"] >= table["gevinst"].max() - 1e-9] if len(benefit_years) else []
        year = payback_year(start, case.payback)
        rows.append(
            {
                "Id": need_id,
                "Behov": row.titel,
                "Status": status_of(result, need_id, start, mode),
                "Startår": start,
                "Investering": case.investment,
                "Dobbeltdrift i alt": float(table["dobbeltdrift"].sum()),
                "Afledt drift pr. år": case.running,
                "Gevinst pr. år ved fuld effekt": economics.given_or(row.gevinst),
                "Gevinst fra – fuld fra": f"{benefit_years[0]} – {full[0]}" if len(benefit_years) else fmt.DASH,
                f"Nutidsværdi, diskonteret til {first}": economics.npv(table, rate, first),
                "Tjent hjem i": year if year is not None else "ikke i levetiden",
            }
        )
    data = pd.DataFrame(rows, dtype=object)
    money = ["Investering", "Dobbeltdrift i alt", "Afledt drift pr. år", "Gevinst pr. år ved fuld effekt",
             f"Nutidsværdi, diskonteret til {first}"]  # fmt: skip
    total = {c: "" for c in data.columns} | {"Id": "I alt", "Tjent hjem i": ""}
    total |= {c: float(data[c].sum()) for c in money}
    data.loc[len(data)] = total
    mark = _mark(register)
    # the register's cost is a fact when the note or the forvaltning gives it; every other
    # figure rests on the economics the register assumes
    renamed = {c: c + mark for c in data.columns[5:]}
    data = data.rename(columns=renamed)
    formats = {"Startår": "year"} | {renamed.get(c, c): "tkr" for c in money}
    formats[renamed["Tjent hjem i"]] = "year"
    return Table(
        data,
        caption=f"Investeringerne i forslaget – {words.describe_option(result.options)}",
        unit=words.unit(price_year),
        formats=formats,
        row_classes=[""] * (len(data) - 1) + ["total"],
        note=(
            "Status: udmøntet (påbegyndt), udmøntes nu, eller vejledende (besluttes ved budgettet for startåret). "
            "Investering: forventet omkostning. Afledt drift: driftsudgift pr. år fra året efter gennemførelsen i "
            "levetiden. Gevinst fra – fuld fra: første år med gevinst og første år med fuld gevinst. "
            f"Nutidsværdi: gevinst minus investering, dobbeltdrift og afledt drift over levetiden, diskonteret til "
            f"{first} med {fmt.percent(rate, 1)} om året (Finansministeriets diskonteringsrente), så rækkerne summer "
            "til porteføljens. Tjent hjem i: det første år, hvor den akkumulerede gevinst har dækket udgifterne. "
            "Påbegyndte investeringer er med, fordi deres afledte drift og gevinst følger med."
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


STATUS_LABELS = (
    (STATUS_STARTED, "er allerede udmøntet", "det udmøntede"),
    (STATUS_NOW, "udmøntes nu", "det, der udmøntes nu"),
    (STATUS_LATER, "er vejledende og besluttes ved budgettet for startåret", "det vejledende"),
    (STATUS_ALTERNATIVE, "er et alternativ, som ikke udmøntes ved denne sag", "alternativet"),
)


def _by_status(register: pd.DataFrame, result: Result, mode: str) -> dict[str, tuple[float, float]]:
    """Per status, the investment (1.000 kr.) of the option's needs in it and their
    nutidsværdi discounted to the frame's first year."""
    reg = register.set_index("id", drop=False)
    rate, first = result.options.discount_rate, result.problem.years[0]
    out: dict[str, tuple[float, float]] = {}
    for need_id, start in result.selected.items():
        status = status_of(result, need_id, start, mode)
        row = next(reg.loc[[need_id]].itertuples(index=False))
        cost = float(getattr(row, result.options.cost_column))
        value = economics.npv(economics.flows(row, cost, start), rate, first)
        invested, npv = out.get(status, (0.0, 0.0))
        out[status] = (invested + cost, npv + value)
    return out


def _years_list(amounts: pd.Series) -> str:
    return fmt.and_list([f"{fmt.mio(v)} i {int(y)}" for y, v in amounts.items()])


def key_numbers(register: pd.DataFrame, result: Result) -> dict | None:
    """The business case's headline figures (1.000 kr.), for the report's index page: the
    nutidsværdi discounted to the frame's first year, the afledt drift per year inside the
    frame and in the first year after it, the dobbeltdrift in all, and the year it pays
    back (None: not within the life). None when the register has no economics or there is
    no option."""
    if not economics.has_economics(register) or not result.has_option or not result.selected:
        return None
    years = result.problem.years
    table = _flows(register, result)
    running = table["afledt_drift"]
    after = running[running.index > years[-1]]
    inside = running[(running.index <= years[-1]) & (running > 0.5)]
    back = economics.payback(table)
    return {
        "npv": economics.npv(table, result.options.discount_rate, years[0]),
        "npv_base_year": years[0],
        "running_inside": {int(y): float(v) for y, v in inside.items()},
        "running_after": float(after.iloc[0]) if len(after) else 0.0,
        "running_from": years[-1] + 1,
        "dobbeltdrift": float(table["dobbeltdrift"].sum()),
        "payback_year": None if back is None else int(table.index[0]) + back - 1,
        "assumed": _assumed(register),
    }


def summary(register: pd.DataFrame, result: Result, name: str, price_year: int, mode: str = "udmoentning") -> Text:
    """The business case in the sentences a director reads first."""
    if not economics.has_economics(register) or not result.has_option:
        return Text(["Der er ingen business case at vise: registeret har ingen oplysninger om drift og gevinst."])
    years = result.problem.years
    rate = result.options.discount_rate
    table = _flows(register, result)
    npv = economics.npv(table, rate, years[0])
    payback = economics.payback(table)
    pays = (
        f"tjener sig hjem i {int(table.index[0]) + payback - 1}"
        if payback is not None
        else "tjener sig ikke hjem økonomisk inden for investeringernes levetid"
    )
    parts = _by_status(register, result, mode)
    shown = [(status, said, short) for status, said, short in STATUS_LABELS if parts.get(status, (0, 0))[0] > 0.5]
    # the parts in millions add up to the total shown (largest remainder)
    invested_parts = fmt.mio_parts([parts[status][0] for status, _, _ in shown])
    split = fmt.and_list([f"{amount} {said}" for amount, (_s, said, _h) in zip(invested_parts, shown, strict=True)])
    running = table["afledt_drift"]
    inside = running[(running.index <= years[-1]) & (running > 0.5)]
    after = running[running.index > years[-1]]
    peak_year = int(table["gevinst"].idxmax())
    invested = fmt.mio(table["investering"].sum())
    opening = (
        f"Business casen gælder de {len(result.selected)} investeringer, der allerede er udmøntet, "
        f"{invested} i alt; forslag {name} lægger ingen nye til."
        if set(parts) == {STATUS_STARTED}
        else f"Forslag {name} investerer {invested} i {len(result.selected)} behov: {split}."
    )
    double = table["dobbeltdrift"].sum()
    lines = [
        opening,
        "Den afledte drift begynder, når en investering er gennemført"
        + (f": {_years_list(inside)} inden for rammens år" if len(inside) else "")
        + (
            f"{',' if len(inside) else ':'} {fmt.mio(after.iloc[0])} i {years[-1] + 1}"
            + (
                f", højst {fmt.mio(after.max())} om året ({int(after.idxmax())})"
                if after.max() > after.iloc[0] + 0.5
                else ""
            )
            if len(after) and after.max() > 0.5
            else ""
        )
        + ". Rammen finansierer investeringerne, ikke den afledte drift: den skal finansieres uden for rammen, af "
        "forvaltningernes budgetter. Business casen regner kun i investeringernes levetid; derefter kræves "
        "reinvestering eller afvikling."
        + (
            f" Dertil kommer {fmt.mio(double)} i dobbeltdrift, mens gammelt og nyt kører side om side. Den er ikke "
            "udmøntet; notatet åbner for, at rammen i en overgangsperiode finansierer dobbeltdrift, så det er en "
            "beslutning for ØU."
            if double > 0.5
            else ""
        ),
        f"Gevinsten er højst {fmt.mio(table['gevinst'].max())} om året ({peak_year}), heraf "
        f"{fmt.mio(table.loc[peak_year, 'hjemtagelse'])} som budgetreduktioner; investeringernes fulde gevinster "
        "nås ikke i samme år, fordi de starter og slutter forskudt. "
        f"Nutidsværdien over levetiden er {fmt.mio(npv)} ({price_year} p/l, diskonteret til {years[0]} med "
        f"{fmt.percent(rate, 1)})"
        + (
            ", heraf " + fmt.and_list([f"{fmt.mio(parts[status][1])} for {short}" for status, _said, short in shown])
            if len(shown) > 1
            else ""
        )
        + f", og porteføljen {pays}.",
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
                "Udgifter over levetiden": float(
                    table[["investering", "dobbeltdrift", "afledt_drift"]].to_numpy().sum()
                ),
                "Gevinst i alt": float(table["gevinst"].sum()),
                "Nutidsværdi": economics.npv(table, rate, years[0]),
                "Tjent hjem i": int(table.index[0]) + payback - 1 if payback is not None else "ikke i levetiden",
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
            f"Udgifter over levetiden: investering, dobbeltdrift og afledt drift. Nutidsværdi diskonteret til "
            f"{years[0]}. Omkostning til maksimum: hvert behov til sit maksimum; den afledte drift er den samme "
            "(antaget). Forsinket: hver gevinst et år senere, udgifterne som planlagt."
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
        return Text(["Business casen forudsætter ingen budgetreduktioner: ingen af investeringerne har en andel til "
                     "hjemtagelse."])  # fmt: skip
    years = sorted({y for _who, y in promised})
    who = sorted({w for w, _y in promised})
    data = pd.DataFrame(
        [[w, *(promised.get((w, y), 0.0) for y in years)] for w in who], columns=["Forvaltning", *map(str, years)]
    )
    data["I alt"] = data[[str(y) for y in years]].sum(axis=1)
    data.loc[len(data)] = ["I alt", *(data[str(y)].sum() for y in years), data["I alt"].sum()]
    return Table(
        data,
        caption="Budgetreduktioner, som business casen forudsætter, pr. forvaltning og år" + _mark(register),
        unit=words.unit(price_year),
        formats={str(y): "tkr" for y in years} | {"I alt": "tkr"},
        row_classes=[""] * (len(data) - 1) + ["total"],
        note="Den del af gevinsten, som business casen forudsætter hjemtaget som budgetreduktion, pr. forvaltning og "
        "år, fordelt som registeret angiver."
        + (
            " Investeringerne er tværgående: reduktionerne er endnu ikke fordelt på forvaltningerne."
            if UNDISTRIBUTED in who
            else ""
        ),
    )
