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
PAYBACK_COLUMN = "Tjent hjem i"
NET_FACTS = "Netto til og med året (opgjort)"
RUNNING = "Dobbeltdrift og afledt drift til og med året"


def _numbers_only(shown: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The table for the Excel appendix: in the money ``columns`` a word the page shows
    instead of a number ("ikke målt i år", a dash) is an empty cell, so every cell of the
    column is a number a spreadsheet can add up."""
    out = shown.copy()
    for column in columns:
        out[column] = [None if isinstance(v, str) else v for v in out[column]]
    return out.reset_index(drop=True)


def _not_followed(state) -> Text | None:
    """Why there is nothing to follow in kroner (None: there is)."""
    view, year = state.kroner, state.followup.year
    if not view.measured:
        return Text(
            [
                "Forvaltningerne har endnu ikke opgjort gevinsterne i kroner, så business casen kan ikke følges op i "
                "kroner."
            ]
        )
    if view.benefits.empty:
        return Text([f"Ingen investering er sat i gang til og med {year}."])
    return None


def _stopped(table: pd.DataFrame) -> list[bool]:
    return list(table["stopped"]) if "stopped" in table else [False] * len(table)


def _table(state, columns: dict, totals: dict, caption: str, classes: list[str], note: str) -> Table:
    """One of the two kroner tables: Id, Behov and ``columns``, an "I alt" row of ``totals``."""
    table, data, result = state.kroner.benefits, state.data, state.followup
    titles = dict(zip(data.register["id"], data.register["titel"], strict=True))
    shown = pd.DataFrame({"Id": table["id"], "Behov": [titles.get(i, i) for i in table["id"]], **columns}, dtype=object)
    shown.loc[len(shown)] = {c: "" for c in shown.columns} | {"Id": "I alt"} | totals
    money = [c for c in shown.columns[2:] if c != PAYBACK_COLUMN]
    formats = {c: "tkr" for c in money} | ({PAYBACK_COLUMN: "year"} if PAYBACK_COLUMN in shown.columns else {})
    return Table(
        shown,
        caption=caption + illustrative_mark(result),
        unit=unit(data.price_year),
        formats=formats,
        appendix=_numbers_only(shown, money),
        appendix_formats=formats,
        row_classes=classes + ["total"],
        note=note,
    )


def benefits_in_kroner(state) -> Table | Text:
    """The business case followed in kroner, the facts: per started investment the benefit
    realised in the year and so far, what was taken home, what it spent and the net of the
    two (the assumptions are :func:`benefits_assumed`), as the state's kroner view has them;
    marked where it is behind what the business case assumed."""
    missing = _not_followed(state)
    if missing is not None:
        return missing
    table, year, level = state.kroner.benefits, state.followup.year, state.data.price_year
    net = list(table["net_total"])
    facts = {
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
    totals = {
        f"Realiseret {year}": float(table.loc[table["measured"], "realised"].sum()),
        "Realiseret til og med året": float(table.loc[table["measured_any"], "realised_total"].sum()),
        f"Hjemtaget {year}": float(table.loc[table["reduction_reported"], "reduction_taken"].sum()),
        "Forbrug til og med året": float(table["spent_total"].sum()),
        NET_FACTS: float(sum(net)),
        "Heraf forskudt forbrug": float(table["bound"].sum()),
    }
    behind = (
        (table["realised_total"] < table["promised_total"] - 0.5)
        | (table["reduction_taken"] < table["reduction_promised"] - 0.5)
    ) & ~pd.Series(_stopped(table), index=table.index, dtype=bool)
    return _table(
        state,
        facts,
        totals,
        f"Gevinsten i kroner, til og med {year}: det opgjorte",
        ["flag" if b else "" for b in behind],
        "Det, forvaltningerne har opgjort som realiseret gevinst og hjemtaget i kroner "
        f"({NOT_MEASURED}: ingen opgørelse), og forbruget (regnskab, ellers forventet forbrug); alt i {level} p/l, "
        f"hvert års beløb omregnet fra årets egen p/l. {NET_FACTS}: den realiserede gevinst minus forbruget, en "
        "gevinst, der ikke er målt, regnet som ingen; negativt er endnu ikke tjent hjem. Heraf forskudt forbrug: "
        f"udmøntede midler, der ikke er brugt i året og foreslås overført til {year + 1}; de bruges senere, så den "
        "del af forskellen til det forudsatte er ikke en gevinst. Business casens antagelser står i tabellen "
        "efter. I alt: summen af det opgjorte. Markeret (!): bagud på gevinst eller budgetreduktion i forhold til "
        "business casen.",
    )


def benefits_assumed(state) -> Table | None:
    """The business case's assumptions for the same investments and years: the benefit and
    budget reductions it assumed, its dobbeltdrift and afledt drift, its net and payback; a
    stopped investment's plan no longer holds (nothing when nothing is followed in kroner)."""
    if _not_followed(state) is not None:
        return None
    table, year = state.kroner.benefits, state.followup.year
    stopped = _stopped(table)

    def planned(column: str) -> list:  # a stopped investment's plan no longer holds
        return [STOPPED if s else v for v, s in zip(table[column], stopped, strict=True)]

    assumed = {
        f"Forudsat gevinst {year}": planned("promised"),
        "Forudsat til og med året": planned("promised_total"),
        f"Forudsat hjemtaget {year}": planned("reduction_promised"),
        RUNNING: planned("running_total"),
        "Forudsat netto til og med året": planned("net_promised_total"),
        PAYBACK_COLUMN: [
            STOPPED if s else "ikke i levetiden" if pd.isna(y) else int(y)
            for y, s in zip(table["payback_year"], stopped, strict=True)
        ],
    }
    running = table[[not s for s in stopped]]
    totals = {
        f"Forudsat gevinst {year}": float(running["promised"].sum()),
        "Forudsat til og med året": float(running["promised_total"].sum()),
        f"Forudsat hjemtaget {year}": float(running["reduction_promised"].sum()),
        RUNNING: float(running["running_total"].sum()),
        "Forudsat netto til og med året": float(running["net_promised_total"].sum()),
    }
    return _table(
        state,
        assumed,
        totals,
        f"Gevinsten i kroner, til og med {year}: business casens antagelser (antaget)",
        [""] * len(table),
        "Business casens gevinst, budgetreduktion, dobbeltdrift og afledte drift fra investeringens startår "
        "(registerets antagelser, indtil forvaltningerne leverer deres business cases), i samme p/l som tabellen "
        "før. Forudsat netto: gevinsten minus investering, dobbeltdrift og afledt drift efter business casen. "
        f"En stoppet investering ({STOPPED}) har ikke længere sin plan: dens opgjorte tal står i tabellen før, men "
        "den holdes ikke op mod det antagne og tæller ikke med i I alt (siden Business case regner den med det, den "
        "brugte).",
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
