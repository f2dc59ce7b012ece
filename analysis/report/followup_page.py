"""Page 03, follow-up and the transfer case (OFS): the money's tables and texts of the
follow-up the model computed (one :class:`~analysis.model.followup.Followup`), as
:mod:`analysis.report.blocks` objects; the benefits are :mod:`analysis.report.benefits_page`."""

from __future__ import annotations

import pandas as pd

from analysis.inputs.register import need_titles
from analysis.model import followup
from analysis.model.followup import Followup
from analysis.report import formats as fmt
from analysis.report.benefits_page import indicator_lines
from analysis.report.blocks import Table, Text
from analysis.report.vocabulary import OWN_YEARS_NOTE, OWN_YEARS_UNIT, POOL_LABELS, illustrative_mark, unit


def ofs_table(result: Followup, price_year: int) -> Table:
    """Per styringsområde and year: the frame, what was moved in, udmøntet and spent, what is
    left, bound and free, and what the OFS proposes (for earlier years: what was decided)."""
    from analysis.report.vocabulary import DISPOSITIONS

    amounts = ["frame", "transfer_in", "funded", "spent", "unspent", "bound", "free", "merforbrug"]
    table = followup.in_own_years(result.pools, result.own_years, [*amounts, "transfer_out", "returned"])
    rules, year = result.rules, result.year
    own = "pl" in table
    shown = pd.DataFrame(
        {
            "Styringsområde": [POOL_LABELS[p] for p in table["pool"]],
            "År": table["year"].astype(int),
            **({"P/l": table["pl"]} if own else {}),
            "Ramme": table["frame"],
            "Overført ind": table["transfer_in"],
            "Udmøntet": table["funded"],
            "Forbrug": table["spent"],
            "Uforbrugt": table["unspent"],
            "Heraf bundet": table["bound"],
            "Frie midler": table["free"],
            "Heraf merforbrug": table["merforbrug"],
            "Overføres": table["transfer_out"],
            "Tilbageføres kassen": table["returned"],
            "De frie midler": [DISPOSITIONS[d] for d in table["free_disposition"]],
        }
    )
    rule = "hver investerings bundne midler overføres til den i næste år; de frie midler tilbageføres kassen"
    if rules.fund_from_free:
        rule = "bundne midler overføres; de frie midler bliver i puljen til åbne behov, der kan starte næste år"
    if not rules.carry_over:
        rule = "intet overføres"
    elif rules.cap is not None:
        rule += f"; overførsel højst {fmt.percent(rules.cap)} af årets ramme"
    return Table(
        shown,
        caption=f"Rammen og forslaget til overførselssagen, til og med {year}" + illustrative_mark(result),
        unit=OWN_YEARS_UNIT if own else unit(price_year),
        formats={"År": "year", "P/l": "year"} | {c: "tkr" for c in shown.columns[(3 if own else 2) : -1]},
        row_classes=["proposal" if y == year else "" for y in shown["År"]],
        note=(
            (OWN_YEARS_NOTE if own else "")
            + "Uforbrugt = ramme + overført ind − forbrug. Bundet: det, investeringerne har fået og ikke brugt, pr. "
            "investering; det overføres helt til den samme investering og bruges aldrig til at dække andres "
            "merforbrug. Merforbrug: det, investeringerne har brugt ud over rådigheden; det følger investeringen "
            "ind i næste år (negativt overført), medmindre ØU dækker det af puljen, eller investeringen intet næste "
            "år har (så står det på puljen, og ØU tager stilling). Frie midler: det, der aldrig blev udmøntet, og "
            "det en stoppet investering gav tilbage, minus det merforbrug, puljen dækker eller bærer (negativt: "
            f"trækkes fra næste år). Forslaget for {year} (markeret →): {rule}. For tidligere år står det, "
            "overførselssagen besluttede. Forbrug er regnskab, hvor det findes, ellers forventet forbrug. "
            "Overføres: i hele 1.000 kr. (et investeringsbeløb rundet ned, et merforbrug op); resten går til kassen."
        ),
    )


def investment_table(register: pd.DataFrame, result: Followup, price_year: int) -> Table:
    """Each investment per styringsområde: what it was udmøntet and had moved to it, what it
    spent, and merforbrug flagged for the year and for its whole life. Shares show one
    decimal, so a share flagged for deviating more than the threshold never reads as exactly
    on it."""
    rules = result.rules
    table = followup.in_own_years(
        result.investments_by_pool, result.own_years, ["funded", "transferred_in", "spent", "merforbrug"]
    )
    own = "pl" in table
    titles = need_titles(register)
    stopped = stopped_words(result)
    shown = pd.DataFrame(
        {
            "Id": table["id"],
            "Behov": [titles.get(i, i) + stopped.get(i, "") for i in table["id"]],
            "Styringsområde": [POOL_LABELS[p] for p in table["pool"]],
            "År": table["year"].astype(int),
            **({"P/l": table["pl"]} if own else {}),
            "Udmøntet": table["funded"],
            "Overført ind": table["transferred_in"],
            "Forbrug": table["spent"],
            "Brugt af rådigheden": table["spent_share"],
            "Brugt af det udmøntede i alt": table["spent_share_cumulative"],
            "Merforbrug": [
                fmt.DASH if m < 0.5 and not c else (fmt.tkr(m) if m >= 0.5 else "") + (" (samlet over)" if c else "")
                for m, c in zip(table["merforbrug"], table["overspent_cumulative"], strict=True)
            ],
            "Afvigelse": ["ja" if d else "" for d in table["deviation"]],
        }
    )
    assumed = table["spent_assumed"].any()
    flagged = table["deviation"] | table["overspent"] | table["overspent_cumulative"]
    return Table(
        shown,
        caption="Investeringernes forbrug mod det, de har til rådighed, pr. styringsområde" + illustrative_mark(result),
        unit=OWN_YEARS_UNIT if own else unit(price_year),
        formats={
            "År": "year",
            "P/l": "year",
            "Udmøntet": "tkr",
            "Overført ind": "tkr",
            "Forbrug": "tkr",
            "Brugt af rådigheden": "pct1",
            "Brugt af det udmøntede i alt": "pct1",
        },
        row_classes=["flag" if f else "" for f in flagged],
        note=(
            (OWN_YEARS_NOTE if own else "")
            + "Rådigheden er det udmøntede plus det, overførselssagen har overført til investeringen (negativt: et "
            "merforbrug, den har båret med sig). Merforbrug: 1.000 kr. brugt ud over rådigheden i året; samlet "
            "over: mere brugt til og med året, end investeringen er udmøntet til og med året. "
            "Markeret (!): et merforbrug eller en afvigelse. "
            f"Afvigelse: forbruget afviger mere end {fmt.percent(rules.deviation_threshold)} fra rådigheden "
            "(regnet på de uafrundede tal)."
            + (
                " Hvor der hverken er regnskab eller forventet forbrug, er rådigheden regnet som brugt."
                if assumed
                else ""
            )
        ),
    )


def stopped_words(result: Followup) -> dict[str, str]:
    """`` (stoppet fra 2029)`` for each investment whose grants were given back by then."""
    rows = result.position.investments
    if rows.empty:
        return {}
    out = {}
    for need_id, first in rows.dropna(subset=["released_from"]).groupby("id")["released_from"].min().items():
        out[need_id] = f" (stoppet fra {int(first)})"
    return out


def attention(result: Followup) -> Text:
    """A short list of what needs attention, in plain words."""
    lines = merforbrug_lines(result)
    year, pools = result.year, result.pools
    for row in pools[(pools["year"] == year) & (pools["free"] < 0)].itertuples(index=False):
        where = f"trækkes fra {year + 1}" if row.free_disposition == "deduct_next_year" else "ØU tager stilling"
        lines.append(f"Puljen på {row.pool} har {fmt.mio(-row.free)} for lidt i {year}: {where}.")
    inv = result.investments_by_pool
    now = inv[(inv["year"] == year) & (inv["deviation"] | inv["overspent"] | inv["overspent_cumulative"])]
    for row in now.itertuples(index=False):
        share = "intet til rådighed" if row.available == 0 else f"{fmt.percent(row.spent_share, 1)} af rådigheden brugt"
        over = "; merforbrug" if row.overspent else ""
        if row.overspent_cumulative:
            over += "; mere brugt i alt, end den er udmøntet"
        lines.append(f"{row.id} ({POOL_LABELS[row.pool].lower()}): {share} i {year}{over}.")
    lines += indicator_lines(result.indicators)
    share, detail = result.coverage, result.coverage_detail
    if share < 1:
        missing = len(detail) - int(detail["covered"].sum())
        lines.append(
            f"{fmt.count(missing, 'finansieret investering', 'finansierede investeringer')} følges ikke op fuldt ud "
            f"(dækning {fmt.percent(share)})."
        )
    if not lines:
        return Text(["Intet kræver særlig opmærksomhed."], kind="ok")
    return Text(lines, bullets=True, heading="Kræver opmærksomhed", kind="warning")


MERFORBRUG_WORDS = {
    "investment": "følger investeringen ind i {next} og afholdes af dens midler der",
    "covered": "dækkes af puljens midler, der ikke blev udmøntet (en udmøntning for {year})",
    "pool": "investeringen har intet {next} i rammen at bære det i, så det står på puljen, og ØU tager stilling "
    "til dækningen; {proposal}",
}
POOL_PROPOSALS = {
    "return_to_kassen": "forslaget er, at puljens frie midler i {year} dækker det",
    "fund_open_needs": "forslaget er, at puljens frie midler i {year} dækker det",
    "deduct_next_year": "puljens frie midler rækker ikke, så forslaget er, at resten trækkes fra puljen i {next}",
    "ask_ou": "rammen har intet {next}, så ØU må anvise dækningen",
}
ANLAEG_WORDS = {
    "fremrykning": "inden for anlægsbevillingen: en fremrykning af et senere års rådighedsbeløb",
    "tillaegsbevilling": "ud over anlægsbevillingen: kræver en tillægsbevilling",
}


def merforbrug_lines(result: Followup, threshold: float | None = None) -> list[str]:
    """Each investment's merforbrug in the year followed up of at least the threshold
    (``Rules.overspend_threshold``), with its amount and what is proposed."""
    year = result.year
    limit = result.rules.overspend_threshold if threshold is None else threshold
    rows = result.position.merforbrug(year)
    lines = []
    for row in rows.itertuples(index=False):
        if row.merforbrug < limit - 1e-9:
            continue
        disposition = result.position.pool_row(row.pool, year)["free_disposition"]
        proposal = POOL_PROPOSALS[disposition].format(next=year + 1, year=year)
        said = MERFORBRUG_WORDS[row.merforbrug_to or "pool"].format(next=year + 1, year=year, proposal=proposal)
        if row.covered > 1e-9 and row.merforbrug_to != "covered":
            said = f"{fmt.tkr(row.covered)} dækkes af puljen, resten {said}"
        anlaeg = f"; {ANLAEG_WORDS[row.anlaeg_overrun]}" if row.anlaeg_overrun else ""
        lines.append(
            f"Merforbrug {row.id} ({POOL_LABELS[row.pool].lower()}) i {year}: {fmt.tkr(row.merforbrug)} (1.000 kr.), "
            f"{said}{anlaeg}."
        )
    return lines


def transfer_decisions(register: pd.DataFrame, result: Followup, price_year: int, last_year: int) -> Table:
    """The bevillingsteknik of the OFS's proposal: each investment's bound money moved on,
    the pool's money kept or deducted, and what goes back to the kassen."""
    from analysis.model.transfers import decision_rows
    from analysis.report.appropriations import transfer_table

    entries = decision_rows(result.position, result.year, last_year)
    table = transfer_table(register, entries, result.year, unit(price_year))
    table.caption += illustrative_mark(result)
    return table


def ledger(register: pd.DataFrame, result: Followup, price_year: int) -> Table:
    """Every krone traced per investment and styringsområde, up to the year followed up."""
    from analysis.report.ledger_page import ledger_table

    table = ledger_table(register, result.position, price_year, levels=result.own_years, decided=result.grants_decided)
    table.caption += illustrative_mark(result)
    return table


def about_the_data(result: Followup) -> Text | None:
    """A word on the follow-up files when they say they are illustrative examples (nothing
    otherwise: a report on the kommune's own figures needs no such warning)."""
    if not result.illustrative:
        return None
    return Text(
        [
            "Bevillinger, forbrug og gevinster i denne rapport er illustrative eksempler, ikke kommunens tal. "
            "Udmøntningerne er et forslag beregnet som på siden om udmøntning; forbrug og målinger er opdigtede for at "
            "vise beregningerne."
        ],
        heading="Om eksempeldata",
    )
