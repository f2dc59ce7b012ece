"""Page 05, the business case of the recommended option, as the state's business case model
and KK's investeringscases put it to ØU: per investment its cost, afledt drift, benefit,
nutidsværdi and tilbagebetalingstid; the portfolio's totals; a sensitivity (cost at its
maximum, benefits 25 % lower, a year's delay); when the money is spent against when the
benefits come; and the budget reductions promised per forvaltning and year. Nothing here
computes: every figure is the event state's business case
(:class:`~analysis.model.business_case.BusinessCase`) of the allocation page's main option."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.model.business_case import BusinessCase, Standing
from analysis.report import formats as fmt
from analysis.report import vocabulary as words
from analysis.report.blocks import Chart, Table, Text
from analysis.report.figures import PALETTE, danish_axis, new_figure

UNDISTRIBUTED = "tværgående"  # a need of every forvaltning: its reductions are not yet placed
ECONOMIC_FIELDS = ("gevinst", "drift_aar", "dobbeltdrift", "gevinst_fuld_aar", "hjemtagelse", "levetid")
NO_CASE = "Der er ingen business case at vise: registeret har ingen oplysninger om drift og gevinst."


def assumes_economics(register: pd.DataFrame) -> bool:
    return bool(words.assumed_fields(register) & set(ECONOMIC_FIELDS))


def case_level(state) -> int:
    """The business case's fixed price level (the frame's, at every event)."""
    case = state.business_case
    return case.price_year if case is not None and case.price_year is not None else state.price_year


def _mark(register: pd.DataFrame) -> str:
    return words.ASSUMED if assumes_economics(register) else ""


def investments(state) -> Table | Text:
    """Per funded need, started or new: its business case at its start year, every
    nutidsværdi discounted to the frame's first year so that the rows add up to the total."""
    case, register = state.business_case, state.data.register
    if case is None:
        return Text(["Registeret har ingen oplysninger om afledt drift, gevinstprofil eller levetid."])
    price_year = case_level(state)
    first, rate = case.base_year, case.rate
    rows = [
        {
            "Id": i.id,
            "Behov": i.title,
            "Status": words.STANDING_LABELS[i.standing],
            "Startår": i.start,
            "Investering": i.investment,
            "Dobbeltdrift i alt": i.dobbeltdrift,
            "Afledt drift pr. år": i.running,
            "Gevinst pr. år ved fuld effekt": i.benefit_full,
            "Gevinst fra – fuld fra": f"{i.benefit_from} – {i.benefit_full_from}" if i.benefit_from else fmt.DASH,
            f"Nutidsværdi, diskonteret til {first}": i.npv,
            "Tjent hjem i": i.payback_year if i.payback_year is not None else "ikke i levetiden",
        }
        for i in case.investments
    ]
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
        caption=f"Investeringerne i forslaget – {words.describe_option(state.main.options)}",
        unit=words.unit(price_year),
        formats=formats,
        row_classes=[""] * (len(data) - 1) + ["total"],
        note=(
            "Status: udmøntet (påbegyndt), udmøntes nu, vejledende (besluttes ved budgettet for startåret), eller "
            "stoppet. Investering: for en udmøntet investering forbruget til nu (regnskab, ellers prognose) og resten "
            "af dens udmøntning; for en stoppet det, den brugte, med afledt drift, dobbeltdrift og gevinst i forhold "
            "til den del af udmøntningen, der blev bygget (antaget); ellers forventet omkostning. Alle beløb i faste "
            f"priser ({price_year} p/l, rammens prisniveau), så tjent hjem-året ikke flytter med p/l-indekset. "
            "Afledt drift: driftsudgift pr. år fra året efter gennemførelsen i "
            "levetiden. Gevinst fra – fuld fra: første år med gevinst og første år med fuld gevinst. "
            f"Nutidsværdi: gevinst minus investering, dobbeltdrift og afledt drift over levetiden, diskonteret til "
            f"{first} med {fmt.percent(rate, 1)} om året (Finansministeriets diskonteringsrente), så rækkerne summer "
            "til porteføljens. Tjent hjem i: det første år, hvor den akkumulerede gevinst har dækket udgifterne. "
            "Påbegyndte investeringer er med, fordi deres afledte drift og gevinst følger med."
        ),
    )


SENSITIVITY_LABELS = {
    "expected": "Som forventet",
    "max_cost": "Omkostning til maksimum",
    "lower_benefit": "Gevinst 25 % lavere",
    "delayed_benefit": "Gevinsten et år forsinket",
    "all_three": "Alle tre på én gang",
}
STANDING_LABELS = (
    (Standing.STARTED, "er allerede udmøntet", "det udmøntede"),
    (Standing.NOW, "udmøntes nu", "det, der udmøntes nu"),
    (Standing.LATER, "er vejledende og besluttes ved budgettet for startåret", "det vejledende"),
    (Standing.ALTERNATIVE, "er et alternativ, som ikke udmøntes ved denne sag", "alternativet"),
    (Standing.STOPPED, "er brugt af investeringer, der er stoppet", "de stoppede"),
)


def _years_list(amounts: pd.Series) -> str:
    return fmt.and_list([f"{fmt.mio(v)} i {int(y)}" for y, v in amounts.items()])


def summary(state) -> Text:
    """The business case in the sentences a director reads first."""
    case, register = state.business_case, state.data.register
    if case is None:
        return Text([NO_CASE])
    price_year = case_level(state)
    name = state.key_figures.recommended
    flows, years_after = case.flows, case.last_frame_year + 1
    pays = (
        f"tjener sig hjem i {case.payback_year}"
        if case.payback_year is not None
        else "tjener sig ikke hjem økonomisk inden for investeringernes levetid"
    )
    parts = case.by_standing
    shown = [(kind, said, short) for kind, said, short in STANDING_LABELS if parts.get(kind, (0, 0))[0] > 0.5]
    # the parts in millions add up to the total shown (largest remainder)
    invested_parts = fmt.mio_parts([parts[kind][0] for kind, _, _ in shown])
    split = fmt.and_list([f"{amount} {said}" for amount, (_s, said, _h) in zip(invested_parts, shown, strict=True)])
    inside = case.running_inside[case.running_inside > 0.5]
    after = case.running_after
    peak_year = case.peak_year
    invested = fmt.mio(case.invested)
    count = len(case.investments)
    opening = (
        f"Business casen gælder de {count} investeringer, der allerede er udmøntet, "
        f"{invested} i alt; forslag {name} lægger ingen nye til."
        if set(parts) == {Standing.STARTED}
        else f"Forslag {name} investerer {invested} i {count} behov: {split}."
    )
    double = case.dobbeltdrift
    lines = [
        opening,
        "Den afledte drift begynder, når en investering er gennemført"
        + (f": {_years_list(inside)} inden for rammens år" if len(inside) else "")
        + (
            f"{',' if len(inside) else ':'} {fmt.mio(after.iloc[0])} i {years_after}"
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
        f"Gevinsten er højst {fmt.mio(flows['gevinst'].max())} om året ({peak_year}), heraf "
        f"{fmt.mio(flows.loc[peak_year, 'hjemtagelse'])} som budgetreduktioner; investeringernes fulde gevinster "
        "nås ikke i samme år, fordi de starter og slutter forskudt. "
        f"Nutidsværdien over levetiden er {fmt.mio(case.npv)} (faste priser, {price_year} p/l, diskonteret til "
        f"{case.base_year} med {fmt.percent(case.rate, 1)})"
        + (
            ", heraf " + fmt.and_list([f"{fmt.mio(parts[kind][1])} for {short}" for kind, _said, short in shown])
            if len(shown) > 1
            else ""
        )
        + f", og porteføljen {pays}.",
        "Forslaget vælger efter de fire potentialer, ikke efter kroner: investeringer i det digitale fundament giver "
        "som notatet siger oftest først effektiviseringer på længere sigt. Tallene for drift og gevinst er "
        + (
            "antagelser, indtil forvaltningerne leverer deres business cases."
            if assumes_economics(register)
            else "registerets."
        ),
    ]
    changed = change_line(state)
    if changed:
        lines.insert(-1, changed)
    return Text(lines, heading="Business case i korte træk")


def change_line(state) -> str:
    """What moved the nutidsværdi since the event before, by cause: the accounts learnt
    since, a stop, the udmøntning now; and the vejledende part, recomputed at every event."""
    changes = getattr(state, "case_changes", None)  # a page state built by hand may have none
    if changes is None:
        return ""
    parts = [f"regnskab og prognose {fmt.signed_mio(changes.accounts)}"]
    if changes.stopped:
        parts.append(f"stoppet af {fmt.and_list(list(changes.stopped))} {fmt.signed_mio(changes.stops)}")
    if abs(changes.udmoentet) > 0.5 or state.key_figures is not None and state.key_figures.mode == "udmoentning":
        parts.append(f"udmøntningen nu {fmt.signed_mio(changes.udmoentet)}")
    said = (
        f"Siden {changes.previous.name}: nutidsværdien af de udmøntede investeringer var "
        f"{fmt.mio(changes.at_previous)} på det regnskab, {changes.previous.name} kendte, og er nu "
        f"{fmt.mio(changes.decided)}: " + fmt.and_list(parts) + "."
    )
    if abs(changes.indicative) > 0.5:
        alternative = state.key_figures is not None and state.key_figures.mode == "alternative"
        said += (
            f" Dertil alternativet med {fmt.mio(changes.indicative)}; det er ikke besluttet, og det regnes igen ved "
            "hver begivenhed."
            if alternative
            else f" Dertil de vejledende behov med {fmt.mio(changes.indicative)}; de er ikke besluttet, og planen for "
            "dem regnes igen ved hver begivenhed."
        )
    return said.replace("kr..", "kr.")


def sensitivity(state) -> Table | Text:
    """The portfolio's nutidsværdi and payback when costs, benefits or timing go worse."""
    case, register = state.business_case, state.data.register
    if case is None:
        return Text([NO_CASE])
    rows = [
        {
            "Følsomhed": SENSITIVITY_LABELS[s.code],
            "Udgifter over levetiden": s.cost_total,
            "Gevinst i alt": s.benefit_total,
            "Nutidsværdi": s.npv,
            "Tjent hjem i": s.payback_year if s.payback_year is not None else "ikke i levetiden",
        }
        for s in case.sensitivities
    ]
    data = pd.DataFrame(rows, dtype=object)
    mark = _mark(register)
    data = data.rename(columns={c: c + mark for c in data.columns[1:]})
    columns = list(data.columns)
    return Table(
        data,
        caption="Følsomhed: porteføljens økonomi, når det går dårligere end forventet",
        unit=words.unit(case_level(state)),
        formats={columns[1]: "tkr", columns[2]: "tkr", columns[3]: "tkr", columns[4]: "year"},
        note=(
            f"Udgifter over levetiden: investering, dobbeltdrift og afledt drift. Nutidsværdi diskonteret til "
            f"{case.base_year}. Omkostning til maksimum: hvert behov til sit maksimum; den afledte drift er den samme "
            "(antaget). Forsinket: hver gevinst et år senere, udgifterne som planlagt."
        ),
    )


def benefit_chart(state) -> Chart | Text:
    """A gevinstdiagram: per year the money spent (investment, dobbeltdrift, afledt drift)
    below the axis and the benefit above it, with the accumulated net as a line."""
    case, price_year = state.business_case, case_level(state)
    if case is None:
        return Text([NO_CASE])
    table = case.flows / 1000
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
        caption=f"Hvornår pengene bruges, og hvornår gevinsten kommer (mio. kr., {price_year} p/l)"
        f"{_mark(state.data.register)}",
        alt="Gevinstdiagram pr. år: " + alt,
    )


def reductions(state) -> Table | Text:
    """The budget reductions the option promises, per forvaltning and year (hjemtagelse)."""
    case: BusinessCase | None = state.business_case
    promised = case.reductions if case is not None else {}
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
        caption="Budgetreduktioner, som business casen forudsætter, pr. forvaltning og år" + _mark(state.data.register),
        unit=words.unit(case_level(state)),
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
