"""The ledger page: every krone traced per investment and styringsomraade, year by year:
what was udmøntet, what an OFS moved to it, what it spent (regnskab or forventet, said
which), what was left, and the running totals."""

from __future__ import annotations

import pandas as pd

from analysis.inputs.register import need_titles
from analysis.model.followup import in_own_years
from analysis.model.transfers import Position
from analysis.report import formats as fmt
from analysis.report import vocabulary as words
from analysis.report.blocks import Table

AS_DECIDED = "Udmøntet som besluttet"
DECIDED_PL = "Besluttet i p/l"


def ledger_table(
    register: pd.DataFrame,
    position: Position | None,
    price_year: int,
    caption: str = "",
    levels: dict | None = None,
    decided: pd.DataFrame | None = None,
) -> Table:
    """Per investment, pool and year: udmøntet, overført ind, forbrug and its source, rest
    (negative: merforbrug), overført videre, and cumulative udmøntet and forbrug; with
    ``levels`` (see :attr:`~analysis.model.followup.Followup.own_years`) each year in its own p/l;
    with ``decided`` (:meth:`~analysis.model.ledger.Ledger.grants_as_decided`) the grant as ØU
    decided it, in the p/l it was decided in, beside its conversion."""
    beside = decided is not None
    columns = [
        "Id",
        "Behov",
        "Styringsområde",
        "År",
        *([AS_DECIDED, DECIDED_PL] if beside else []),
        *(["P/l"] if levels else []),
        "Udmøntet",
        "Overført ind",
        "Forbrug",
        "Forbrug er",
        "Rest",
        "Overført videre",
        "Udmøntet i alt til nu",
        "Forbrug i alt til nu",
    ]
    if position is None or position.investments.empty:
        return Table(pd.DataFrame(columns=columns), caption=caption or "Bevillingsloggen", unit=words.unit(price_year))
    titles = need_titles(register)
    rows = position.investments.sort_values(["id", "pool", "year"], key=lambda c: c.map(str) if c.name != "year" else c)
    amounts = ["granted", "transferred_in", "spent", "rest", "transferred_out"]
    amounts += ["granted_cumulative", "spent_cumulative"]
    rows = in_own_years(rows, levels or {}, amounts)
    as_decided = {}
    if beside:
        as_decided = {(r.id, r.pool, int(r.year)): (r.decided, r.pl) for r in decided.itertuples(index=False)}
    found = [
        as_decided.get((i, p, int(y)), (0.0, None))
        for i, p, y in zip(rows["id"], rows["pool"], rows["year"], strict=True)
    ]
    shown = pd.DataFrame(
        {
            "Id": rows["id"],
            "Behov": [titles.get(i, i) for i in rows["id"]],
            "Styringsområde": [words.POOL_LABELS[p] for p in rows["pool"]],
            "År": rows["year"].astype(int),
            **({AS_DECIDED: [d for d, _ in found], DECIDED_PL: [lv for _, lv in found]} if beside else {}),
            **({"P/l": rows["pl"]} if levels else {}),
            "Udmøntet": rows["granted"],
            "Overført ind": rows["transferred_in"],
            "Forbrug": rows["spent"],
            "Forbrug er": [words.SPENDING_SOURCES.get(s, s).split(" (")[0] for s in rows["source"]],
            "Rest": rows["rest"],
            "Overført videre": rows["transferred_out"],
            "Udmøntet i alt til nu": rows["granted_cumulative"],
            "Forbrug i alt til nu": rows["spent_cumulative"],
        }
    ).reset_index(drop=True)
    flagged = (rows["overspent"] | rows["overspent_cumulative"]).tolist()
    assumed = bool(rows["transferred_in_assumed"].any())
    # the page: the grant as decided in one cell ("3.000 (2026)"), and the year's p/l only
    # where it is not the year itself; the Excel appendix keeps every number in its own cell
    page = shown
    if beside:
        said = [
            fmt.DASH if abs(d) < 1e-9 and lv is None else f"{fmt.tkr(d)} ({lv if lv is not None else 'flere'})"
            for d, lv in found
        ]
        page = shown.drop(columns=[DECIDED_PL]).assign(**{AS_DECIDED: said})
    if levels and all(lv == y for lv, y in zip(shown["P/l"], shown["År"], strict=True)):
        page = page.drop(columns=["P/l"])
    money = {
        c: "tkr" for c in columns if c not in ("Id", "Behov", "Styringsområde", "År", "P/l", DECIDED_PL, "Forbrug er")
    }
    every = {"År": "year", "P/l": "year", DECIDED_PL: "year"} | money
    on_page = {c: f for c, f in every.items() if c in page.columns and not (c == AS_DECIDED and beside)}
    return Table(
        page,
        appendix=shown if page is not shown else None,
        appendix_formats={c: f for c, f in every.items() if c in shown.columns} if page is not shown else {},
        caption=caption or f"Bevillingsloggen til og med {position.through}: hver investering pr. styringsområde og år",
        unit=words.OWN_YEARS_UNIT if levels else words.unit(price_year),
        formats=on_page,
        row_classes=["flag" if f else "" for f in flagged],
        note=(
            (
                words.OWN_YEARS_NOTE.replace("(kolonnen P/l)", "(året er p/l-året)")
                if "P/l" not in page.columns and levels
                else words.OWN_YEARS_NOTE
                if levels
                else ""
            )
            + (words.AS_DECIDED_NOTE if beside else "")
            + "Rest = udmøntet + overført ind − forbrug; negativ rest er merforbrug (markeret !), og et merforbrug "
            "modregnes aldrig i en anden investerings midler. Overført videre: de bundne midler, som "
            "overførselssagen flytter til investeringen året efter (for det seneste år: forslaget). Markeret er "
            "også en investering, der samlet har brugt mere, end den er udmøntet."
            + (
                " Hvor bevillingsloggen ikke har en tidligere overførselssags beslutning, er den regnet, som "
                "overførselssagen ville have foreslået."
                if assumed
                else ""
            )
        ),
    )
