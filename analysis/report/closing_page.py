"""The closing OFS's section "Rammens afslutning" (page 03): the whole frame reconciled per
pool and year in the frame's p/l with the nominal amounts beside it, the afledt drift after
the frame, the budget reductions assumed against those taken home, each investment's
cumulative overrun and the benefits' status at the end. Every figure is the event state's
(:attr:`~analysis.model.state.EventState.closing`); this module only words it. Outside the
closing OFS the section says when it comes (the report leaves it out)."""

from __future__ import annotations

import pandas as pd

from analysis.inputs.contracts import POOLS
from analysis.inputs.register import need_titles
from analysis.model.followup import status_counts
from analysis.report import formats as fmt
from analysis.report import vocabulary as words
from analysis.report.blocks import Table, Text

COLUMNS = {
    "frame": "Ramme",
    "funded": "Udmøntet",
    "released": "Givet tilbage ved stop",
    "transfer_in": "Overført ind",
    "spent": "Forbrug",
    "transfer_out": "Overført videre",
    "returned": "Tilbageført kassen",
}


def _not_closing(state) -> Text:
    return Text([f"Afsnittet udfyldes ved rammens afslutning, {words.transfer_case(state.years[-1])}."])


def summary(state) -> Text:
    """The closing in a few sentences: the frame and what became of it, the afledt drift it
    leaves, the reductions, the overruns and the benefits at the end."""
    closing = state.closing
    if closing is None:
        return _not_closing(state)
    table, level = closing.reconciliation, closing.price_year
    total = {c: float(table[c].sum()) for c in COLUMNS}
    first_after = closing.last_year + 1
    after = closing.running_after.sum(axis=0)
    reductions = closing.reductions
    lines = [
        f"Rammen {state.years[0]}–{closing.last_year} var {fmt.mio(total['frame'])} ({level} p/l). Af den er "
        f"{fmt.mio(total['funded'])} udmøntet til investeringerne (efter stop), {fmt.mio(total['released'])} givet "
        f"tilbage ved stop, og {fmt.mio(total['spent'])} brugt; {fmt.mio(total['returned'])} er tilbageført kassen "
        f"ved overførselssagerne, denne medregnet. Tabellerne viser det pr. styringsområde og år, i {level} p/l og "
        "som det blev besluttet og regnskabsført (hvert år i sin egen p/l).",
        f"Investeringerne efterlader afledt drift efter rammen: {fmt.mio(float(after.get(first_after, 0.0)))} i "
        f"{first_after} ({level} p/l), som forvaltningerne skal finansiere uden for rammen.",
    ]
    if len(reductions):
        assumed, taken = float(reductions["assumed"].sum()), float(reductions["taken"].sum())
        lines.append(
            f"Business casen forudsatte {fmt.mio(assumed)} hjemtaget som budgetreduktioner til og med "
            f"{closing.last_year} (antaget); "
            + (
                f"forvaltningerne har opgjort {fmt.mio(taken)} hjemtaget"
                + (f", {fmt.mio(assumed - taken)} mindre." if assumed - taken > 0.5 else ".")
                if taken > 0.5
                else "forvaltningerne har ikke opgjort noget hjemtaget."
            )
        )
    over = closing.overruns
    if len(over):
        lines.append(
            "Merforbrug over hele rammen: "
            + fmt.and_list(
                [
                    f"{r.id} ({words.POOL_LABELS[r.pool].lower()}) {fmt.mio(r.overrun)}"
                    for r in over.itertuples(index=False)
                ]
            )
            + ", omregnet til rammens p/l; se tabellen nedenfor."
        )
    else:
        lines.append("Ingen investering har samlet brugt mere, end den blev udmøntet.")
    counts = status_counts(state.followup.indicators)
    lines.append(
        "Gevinsterne ved afslutningen: "
        + ", ".join(f"{words.BENEFIT_STATUS[s]} {n}" for s, n in counts.items() if n)
        + " (se afsnittet Gevinster)."
    )
    return Text(lines)


def _with_totals(table: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for pool in POOLS:
        mine = table[table["pool"] == pool]
        rows.append(mine)
        rows.append(pd.DataFrame([{"pool": pool, "year": None, **{c: float(mine[c].sum()) for c in COLUMNS}}]))
    return pd.concat(rows, ignore_index=True)


def _shown(table: pd.DataFrame, nominal: bool) -> pd.DataFrame:
    totals = _with_totals(table)
    out = pd.DataFrame(
        {
            "Styringsområde": [words.POOL_LABELS[p] for p in totals["pool"]],
            "År": ["I alt" if pd.isna(y) else int(y) for y in totals["year"]],
            **(
                {"P/l": [None if pd.isna(y) else lv for y, lv in zip(totals["year"], totals["pl"], strict=True)]}
                if nominal
                else {}
            ),  # fmt: skip
            **{label: totals[c] for c, label in COLUMNS.items()},
        },
        dtype=object,
    )
    return out


def reconciliation(state) -> Table | None:
    """The whole frame per pool and year in the frame's p/l."""
    closing = state.closing
    if closing is None:
        return None
    shown = _shown(closing.reconciliation, nominal=False)
    return Table(
        shown,
        caption=f"Rammens afslutning: hele rammen pr. styringsområde og år, i {closing.price_year} p/l",
        unit=words.unit(closing.price_year),
        formats={"År": "year"} | {label: "tkr" for label in COLUMNS.values()},
        row_classes=["total" if y == "I alt" else "" for y in shown["År"]],
        note=(
            f"Alle beløb omregnet til {closing.price_year} p/l, rammens prisniveau, så årene kan lægges sammen. "
            "Udmøntet: investeringernes udmøntning, efter det, et stop gav tilbage (Givet tilbage ved stop). "
            "Overført ind og videre: de bundne midler, overførselssagerne flyttede mellem årene (negativt: et "
            "merforbrug, der fulgte investeringen). Tilbageført kassen: puljens frie midler, som overførselssagerne "
            f"tilbageførte, {words.transfer_case(closing.last_year)}s forslag medregnet. Pr. år gælder: ramme + "
            "overført ind − forbrug − overført videre = tilbageført kassen."
        ),
    )


def nominal(state) -> Table | None:
    """The same as decided and accounted: each year in its own p/l."""
    closing = state.closing
    if closing is None:
        return None
    shown = _shown(closing.nominal, nominal=True)
    return Table(
        shown,
        caption="Rammens afslutning: det samme som besluttet og regnskabsført, hvert år i sin egen p/l",
        unit=words.OWN_YEARS_UNIT,
        formats={"År": "year", "P/l": "year"} | {label: "tkr" for label in COLUMNS.values()},
        row_classes=["total" if y == "I alt" else "" for y in shown["År"]],
        note=(
            words.OWN_YEARS_NOTE
            + "I alt lægger årenes beløb sammen, som de står (løbende priser); tabellen før har dem i samme p/l."
        ),
    )


def running_after(state) -> Table | None:
    """The afledt drift after the frame, per forvaltning and year."""
    closing = state.closing
    if closing is None:
        return None
    table = closing.running_after
    shown = pd.DataFrame({"Forvaltning": list(table.index), **{str(y): table[y] for y in table.columns}}, dtype=object)
    shown.loc[len(shown)] = ["I alt", *(float(table[y].sum()) for y in table.columns)]
    return Table(
        shown,
        caption=f"Afledt drift efter rammen pr. forvaltning og år (antaget), {closing.price_year} p/l",
        unit=words.unit(closing.price_year),
        formats={str(y): "tkr" for y in table.columns},
        row_classes=[""] * (len(shown) - 1) + ["total"],
        note=(
            "Driftsudgiften pr. år, som investeringerne efterlader efter gennemførelsen, i deres levetid, fordelt "
            "på den forvaltning, registeret angiver for behovet (tværgående: på tværs af forvaltningerne, drevet af "
            "ØKF); en stoppet investering i forhold til det, der blev bygget. Rammen finansierer den ikke. Tallene er "
            "registerets antagelser."
        ),
    )


def reductions(state) -> Table | None:
    """The budget reductions assumed against those taken home, per forvaltning."""
    closing = state.closing
    if closing is None or closing.reductions.empty:
        return None
    table = closing.reductions
    shown = pd.DataFrame(
        {
            "Forvaltning": table["forvaltning"],
            "Forudsat hjemtaget (antaget)": table["assumed"],
            "Hjemtaget": table["taken"],
            "Forskel": table["taken"] - table["assumed"],
        },
        dtype=object,
    )
    shown.loc[len(shown)] = ["I alt", *(float(shown[c].sum()) for c in shown.columns[1:])]
    return Table(
        shown,
        caption=f"Budgetreduktioner {state.years[0]}–{closing.last_year}: forudsat og hjemtaget, "
        f"{closing.price_year} p/l",
        unit=words.unit(closing.price_year),
        formats={c: "tkr" for c in shown.columns[1:]},
        row_classes=[""] * (len(shown) - 1) + ["total"],
        note=(
            "Forudsat: den del af gevinsten, business casen forudsætter hjemtaget som budgetreduktioner til og med "
            "rammens sidste år, på investeringernes regnskab. Hjemtaget: det, forvaltningerne har opgjort, omregnet "
            "fra hvert års egen p/l. Forskel: hjemtaget minus forudsat; negativt er ikke hjemtaget."
        ),
    )


def overruns(state) -> Table | None:
    """Each investment's cumulative overrun over the frame."""
    closing = state.closing
    if closing is None:
        return None
    table = closing.overruns
    titles = need_titles(state.data.register)
    shown = pd.DataFrame(
        {
            "Id": table["id"],
            "Behov": [titles.get(i, i) for i in table["id"]],
            "Styringsområde": [words.POOL_LABELS[p] for p in table["pool"]],
            "Udmøntet i alt": table["granted"],
            "Forbrug i alt": table["spent"],
            "Merforbrug i alt": table["overrun"],
            "Heraf dækket af puljen": table["covered"],
        },
        dtype=object,
    )
    return Table(
        shown,
        caption=f"Merforbrug over hele rammen pr. investering, {closing.price_year} p/l",
        unit=words.unit(closing.price_year),
        formats={c: "tkr" for c in shown.columns[3:]},
        note=(
            "Forbruget over alle rammens år mod udmøntningen (efter stop); et merforbrug, der fulgte investeringen "
            "ind i året efter, er afholdt af dens egne midler der og står kun her, hvis det ikke blev det. "
            "Heraf dækket af puljen: det, ØU besluttede at dække af puljens midler."
        ),
    )


__all__ = ["nominal", "overruns", "reconciliation", "reductions", "running_after", "summary"]
