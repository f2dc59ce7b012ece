"""The OFS page's business case in kroner: per started investment the benefit and the
budget reductions its business case expects against what the forvaltninger realised and
took home, the net so far on the regnskab, and the year's reductions per forvaltning."""

from __future__ import annotations

import pandas as pd

from analysis.report import formats as fmt
from analysis.report.blocks import Table, Text
from analysis.report.vocabulary import illustrative_mark, unit

NOT_MEASURED = "ikke målt i år"
NOT_MEASURED_SO_FAR = "ikke målt"
NOT_REPORTED = "ikke oplyst"
STOPPED = "stoppet"
PAYBACK_COLUMN = "Tjent hjem i (antaget)"
NET_FACTS = "Netto til og med året (opgjort)"
RUNNING = "Dobbeltdrift og afledt drift til og med året (antaget)"


def _numbers_only(shown: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The table for the Excel appendix: in the money ``columns`` a word the page shows
    instead of a number ("ikke målt i år", a dash) is an empty cell, so every cell of the
    column is a number a spreadsheet can add up."""
    out = shown.copy()
    for column in columns:
        out[column] = [None if isinstance(v, str) else v for v in out[column]]
    return out.reset_index(drop=True)


def benefits_in_kroner(state) -> Table | Text:
    """The business case followed in kroner: per started investment the benefit it promised
    in the year and so far against what was realised, the budget reductions promised
    against those taken home, and the accumulated net so far (realised benefit against the
    business case's costs to date), as the state's kroner view has them."""
    view, result, data = state.kroner, state.followup, state.data
    year = result.year
    if not view.measured:
        return Text(
            [
                "Forvaltningerne har endnu ikke opgjort gevinsterne i kroner, så business casen kan ikke følges op i "
                "kroner."
            ]
        )
    table = view.benefits
    if table.empty:
        return Text([f"Ingen investering er sat i gang til og med {year}."])
    titles = dict(zip(data.register["id"], data.register["titel"], strict=True))
    net = list(table["net_total"])
    facts = {  # what was accounted, realised and taken home
        f"Realiseret {year}": [
            # not measured where nothing was expected is no shortfall: a dash, not "ikke målt"
            r if m else NOT_MEASURED if p > 0.5 else fmt.DASH
            for r, m, p in zip(table["realised"], table["measured"], table["promised"], strict=True)
        ],
        "Realiseret til og med året": [
            r if m else NOT_MEASURED_SO_FAR if p > 0.5 else fmt.DASH
            for r, m, p in zip(table["realised_total"], table["measured_any"], table["promised_total"], strict=True)
        ],
        f"Hjemtaget {year}": [
            r if m else NOT_REPORTED if p > 0.5 else fmt.DASH
            for r, m, p in zip(
                table["reduction_taken"], table["reduction_reported"], table["reduction_promised"], strict=True
            )
        ],
        "Forbrug til og med året": list(table["spent_total"]),
        NET_FACTS: net,
        "Heraf forskudt forbrug": list(table["bound"]),
    }
    stopped = list(table["stopped"]) if "stopped" in table else [False] * len(table)

    def planned(column: str) -> list:  # a stopped investment's plan no longer holds
        return [STOPPED if s else v for v, s in zip(table[column], stopped, strict=True)]

    assumed = {  # the business case's
        f"Forudsat gevinst {year} (antaget)": planned("promised"),
        "Forudsat til og med året (antaget)": planned("promised_total"),
        f"Forudsat hjemtaget {year} (antaget)": planned("reduction_promised"),
        RUNNING: planned("running_total"),
        "Forudsat netto til og med året (antaget)": planned("net_promised_total"),
        PAYBACK_COLUMN: [
            STOPPED if s else "ikke i levetiden" if pd.isna(y) else int(y)
            for y, s in zip(table["payback_year"], stopped, strict=True)
        ],
    }
    running = table[[not s for s in stopped]]
    shown = pd.DataFrame(
        {"Id": table["id"], "Behov": [titles.get(i, i) for i in table["id"]], **facts, **assumed}, dtype=object
    )
    total = {c: "" for c in shown.columns} | {"Id": "I alt"}
    total |= {
        f"Realiseret {year}": float(table.loc[table["measured"], "realised"].sum()),
        "Realiseret til og med året": float(table.loc[table["measured_any"], "realised_total"].sum()),
        f"Hjemtaget {year}": float(table.loc[table["reduction_reported"], "reduction_taken"].sum()),
        "Forbrug til og med året": float(table["spent_total"].sum()),
        NET_FACTS: float(sum(net)),
        "Heraf forskudt forbrug": float(table["bound"].sum()),
        f"Forudsat gevinst {year} (antaget)": float(running["promised"].sum()),
        "Forudsat til og med året (antaget)": float(running["promised_total"].sum()),
        f"Forudsat hjemtaget {year} (antaget)": float(running["reduction_promised"].sum()),
        RUNNING: float(running["running_total"].sum()),
        "Forudsat netto til og med året (antaget)": float(running["net_promised_total"].sum()),
    }
    shown.loc[len(shown)] = total
    behind = (
        (table["realised_total"] < table["promised_total"] - 0.5)
        | (table["reduction_taken"] < table["reduction_promised"] - 0.5)
    ) & ~pd.Series(stopped, index=table.index, dtype=bool)
    money = [c for c in shown.columns[2:] if c != PAYBACK_COLUMN]
    formats = {c: "tkr" for c in money} | {PAYBACK_COLUMN: "year"}
    return Table(
        shown,
        caption=f"Gevinsten i kroner mod business casen, til og med {year}" + illustrative_mark(result),
        unit=unit(data.price_year),
        formats=formats,
        appendix=_numbers_only(shown, money),
        appendix_formats=formats,
        row_classes=["flag" if b else "" for b in behind] + ["total"],
        note=(
            "Først det opgjorte, så det antagne. Opgjort: det, forvaltningerne har opgjort som realiseret gevinst og "
            f"hjemtaget i kroner ({NOT_MEASURED}: ingen opgørelse), og forbruget (regnskab, ellers forventet "
            f"forbrug); alt i {data.price_year} p/l, hvert års beløb omregnet fra årets egen p/l. {NET_FACTS}: den "
            "realiserede gevinst minus forbruget, en gevinst, der ikke er målt, regnet som ingen; negativt er endnu "
            "ikke tjent hjem. Heraf forskudt forbrug: udmøntede midler, der ikke er brugt i året og foreslås "
            f"overført til {year + 1}; de bruges senere, så den del af forskellen til det forudsatte er ikke en "
            "gevinst. Antaget: business casens gevinst, budgetreduktion, dobbeltdrift og afledte drift fra "
            "investeringens startår (registerets antagelser, indtil forvaltningerne leverer deres business cases); "
            "Forudsat netto: gevinsten minus investering, dobbeltdrift og afledt drift efter business casen. "
            f"En stoppet investering ({STOPPED}) har ikke længere sin plan: dens opgjorte tal står, men den holdes "
            "ikke op mod det antagne og tæller ikke med i det antagnes I alt (siden Business case regner den med det, "
            "den brugte). I alt: summen af rækkerne; af det opgjorte kun det, der er opgjort. Markeret (!): bagud på gevinst eller budgetreduktion."
        ),
    )


def reductions_by_forvaltning(state) -> Table | None:
    """The budget reductions of the year per forvaltning: what the business case expects
    of the investments started by then, against what was taken home (nothing when neither
    is given)."""
    view, result = state.kroner, state.followup
    if view is None or view.reductions is None:
        return None
    year, reductions = result.year, view.reductions
    names = list(reductions["forvaltning"])
    promised = dict(zip(names, reductions["promised"], strict=True))
    taken = {n: v for n, v in zip(names, reductions["taken"], strict=True) if not pd.isna(v)}
    shown = pd.DataFrame(
        {
            "Forvaltning": names,
            f"Forudsat {year}": [promised.get(n, 0.0) for n in names],
            f"Hjemtaget {year}": [float(taken[n]) if n in taken else NOT_REPORTED for n in names],
        },
        dtype=object,
    )
    shown.loc[len(shown)] = ["I alt", float(sum(promised.values())), float(sum(taken.values()))]
    return Table(
        shown,
        caption=f"Budgetreduktioner pr. forvaltning i {year}: forudsat og hjemtaget" + illustrative_mark(result),
        unit=unit(state.price_year),
        formats={f"Forudsat {year}": "tkr", f"Hjemtaget {year}": "tkr"},
        appendix=_numbers_only(shown, [f"Forudsat {year}", f"Hjemtaget {year}"]),
        appendix_formats={f"Forudsat {year}": "tkr", f"Hjemtaget {year}": "tkr"},
        row_classes=[""] * (len(shown) - 1) + ["total"],
        note=(
            "Forudsat: den del af de påbegyndte investeringers gevinst, business casen forudsætter hjemtaget i året, "
            "fordelt på de forvaltninger, der skal hjemtage den (antaget). Hjemtaget: det, forvaltningerne har "
            f"opgjort som hjemtaget i året; {NOT_REPORTED}: ingen opgørelse."
        ),
    )
