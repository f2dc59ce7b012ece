"""Page 03, follow-up and the transfer case (OFS): tables, texts and figures of the
follow-up the model computed (one :class:`~analysis.model.followup.Followup`), as
:mod:`analysis.report.blocks` objects."""

from __future__ import annotations

import pandas as pd
from matplotlib.lines import Line2D

from analysis.inputs.followup_files import HIGHER, FollowupData
from analysis.inputs.register import need_titles
from analysis.model import followup
from analysis.model.followup import BenefitStatus, Followup
from analysis.report import formats as fmt
from analysis.report.blocks import Chart, Table, Text
from analysis.report.figures import PALETTE, new_figure, percent_axis, plain, wrap_label
from analysis.report.vocabulary import (
    BENEFIT_STATUS,
    ILLUSTRATIVE,
    NOT_STATED,
    OWN_YEARS_NOTE,
    OWN_YEARS_UNIT,
    POOL_LABELS,
    unit,
)

STATUS_COLOURS = {
    BenefitStatus.ON_TRACK: PALETTE[2],
    BenefitStatus.AT_RISK: PALETTE[1],
    BenefitStatus.OFF_TRACK: PALETTE[5],
    BenefitStatus.NO_MEASUREMENT: "#999999",
    BenefitStatus.NOT_THIS_YEAR: "#666666",
    BenefitStatus.TARGET_MET: PALETTE[2],
    BenefitStatus.TARGET_MISSED: PALETTE[5],
    BenefitStatus.TARGET_NOT_MEASURED: "#999999",
    BenefitStatus.STOPPED: "#666666",
}
NEEDS_ATTENTION = (
    BenefitStatus.AT_RISK,
    BenefitStatus.OFF_TRACK,
    BenefitStatus.NO_MEASUREMENT,
    BenefitStatus.NOT_THIS_YEAR,
    BenefitStatus.TARGET_MISSED,
    BenefitStatus.TARGET_NOT_MEASURED,
)


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
        row_classes=["diff" if y == year else "" for y in shown["År"]],
        note=(
            (OWN_YEARS_NOTE if own else "")
            + "Uforbrugt = ramme + overført ind − forbrug. Bundet: det, investeringerne har fået og ikke brugt, pr. "
            "investering; det overføres helt til den samme investering og bruges aldrig til at dække andres "
            "merforbrug. Merforbrug: det, investeringerne har brugt ud over rådigheden; det følger investeringen "
            "ind i næste år (negativt overført), medmindre ØU dækker det af puljen, eller investeringen intet næste "
            "år har (så står det på puljen, og ØU tager stilling). Frie midler: det, der aldrig blev udmøntet, og "
            "det en stoppet investering gav tilbage, minus det merforbrug, puljen dækker eller bærer (negativt: "
            f"trækkes fra næste år). Forslaget for {year} (markeret): {rule}. For tidligere år står det, "
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
        row_classes=["diff" if f else "" for f in flagged],
        note=(
            (OWN_YEARS_NOTE if own else "")
            + "Rådigheden er det udmøntede plus det, overførselssagen har overført til investeringen (negativt: et "
            "merforbrug, den har båret med sig). Merforbrug: 1.000 kr. brugt ud over rådigheden i året; samlet "
            "over: mere brugt til og med året, end investeringen er udmøntet til og med året. "
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


def illustrative_mark(result: Followup) -> str:
    """The caption mark for tables built on illustrative follow-up data."""
    return ILLUSTRATIVE if result.illustrative else ""


def _measure(value: float) -> str:
    """A measurement: whole numbers (head counts, hours) without decimals."""
    return fmt.number(value, 0 if float(value).is_integer() else 1)


def indicator_table(result: Followup) -> Table:
    table, year = result.indicators, result.year
    shown = pd.DataFrame(
        {
            "Id": table["id"],
            "Indikator": table["indicator"],
            "Enhed": table["unit"],
            "Bedre er": ["højere" if d == HIGHER else "lavere" for d in table["direction"]],
            "Baseline": [
                f"{_measure(b)} ({y})" for b, y in zip(table["baseline"], table["baseline_year"], strict=True)
            ],
            "Mål": [f"{_measure(m)} ({y})" for m, y in zip(table["target"], table["target_year"], strict=True)],
            "Seneste måling": [
                fmt.DASH if pd.isna(r) else f"{_measure(r)} ({int(y)})"
                for r, y in zip(table["realised"], table["year"], strict=True)
            ],
            "Fremdrift": table["progress"],
            "Forventet": table["expected_progress"],
            "Status": [
                BENEFIT_STATUS[v] + (f" (mangler {_measure(m)})" if v == BenefitStatus.TARGET_MISSED else "")
                for v, m in zip(table["status"], table["shortfall"], strict=True)
            ],
            "Ansvarlig": table["responsible"],
        }
    )
    # the Excel appendix holds each measurement and its year as numbers of their own
    appendix = shown.drop(columns=["Baseline", "Mål", "Seneste måling"])
    at = list(appendix.columns).index("Bedre er") + 1
    numbers = {
        "Baseline": table["baseline"],
        "Baselineår": table["baseline_year"],
        "Mål": table["target"],
        "Målår": table["target_year"],
        "Seneste måling": table["realised"],
        "Måleår": table["year"].where(table["realised"].notna()),
    }
    for k, (name, values) in enumerate(numbers.items()):
        appendix.insert(at + k, name, list(values))
    return Table(
        shown,
        caption=f"Gevinstrealisering pr. indikator, målinger til og med {year}" + illustrative_mark(result),
        formats={"Fremdrift": "pct", "Forventet": "pct"},
        appendix=appendix.reset_index(drop=True),
        appendix_formats={"Baseline": "measure", "Mål": "measure", "Seneste måling": "measure"}
        | {name: "int" for name in ("Baselineår", "Målår", "Måleår")}
        | {"Fremdrift": "pct", "Forventet": "pct"},
        row_classes=["diff" if s in NEEDS_ATTENTION else "" for s in table["status"]],
        note=(
            "Fremdrift = (realiseret − baseline) / (mål − baseline). Forventet: lineært fra 0 i baselineåret til 1 i "
            "målåret. Følger planen: højst 10 procentpoint efter det forventede; i risiko: højst 25; ellers bagud. "
            "Fra målåret vurderes målet på den seneste måling i eller efter målåret: mål nået, eller mål ikke nået "
            "med det, der mangler, i indikatorens enhed. Stoppet: investeringen er stoppet; dens målinger står, "
            "men den følges ikke længere mod sit mål."
        ),
    )


def status_counts(result: Followup) -> Table:
    counts = followup.status_counts(result.indicators)
    return Table(
        pd.DataFrame({"Status": [BENEFIT_STATUS[s] for s in counts], "Indikatorer": list(counts.values())}),
        caption="Indikatorer efter status" + illustrative_mark(result),
        formats={"Indikatorer": "int"},
    )


def coverage_text(result: Followup) -> Text:
    share, detail = result.coverage, result.coverage_detail
    missing = detail[~detail["covered"]]
    lines = [
        f"{fmt.percent(share)} af de "
        f"{fmt.count(len(detail), 'finansierede investering', 'finansierede investeringer')} "
        "følges op med baseline, mål "
        "og mindst én måling."
    ]
    for row in missing.itertuples(index=False):
        lacks = [
            name
            for name, ok in (("baseline", row.baseline), ("mål", row.target), ("måling", row.measurement))
            if not ok
        ]
        lines.append(f"{row.id} mangler {', '.join(lacks)}.")
    return Text(lines, bullets=len(lines) > 1, heading="Dækning", kind="warning" if len(missing) else "ok")


def hours_table(result: Followup) -> Table:
    table, year = result.hours, result.year
    shown = pd.DataFrame(
        {
            "Forvaltning": table["administration"].astype(object).fillna(NOT_STATED),
            "Forventet (fuld effekt)": table["expected"],
            "Realiseret til og med " + str(year): table["realised"],
            "Investeringer med måling": table["measured"],
        }
    )
    return Table(
        shown,
        caption="Timer om året flyttet fra administration til borgervendt arbejde" + illustrative_mark(result),
        unit="timer pr. år",
        formats={c: "tkr" for c in shown.columns[1:3]} | {"Investeringer med måling": "int"},
        note="Forventet: registerets frigjorte timer for de finansierede investeringer. Realiseret: ændringen fra "
        "baseline i indikatorer med enheden timer.",
    )


def _target_words(row) -> str:
    """A missed target in the indicator's unit: ``målt 450 mod målet 500 timer i 2028; mangler 50``."""
    return (
        f"målt {_measure(row.realised)} mod målet {_measure(row.target)} {row.unit} i {int(row.year)}; "
        f"mangler {_measure(row.shortfall)}"
    )


def indicator_lines(ind: pd.DataFrame) -> list[str]:
    """The benefits that need attention, in plain words: behind the ramp, or past the target
    year without reaching it or without a measurement."""
    lines = []
    for row in ind[ind["status"].isin([BenefitStatus.OFF_TRACK, BenefitStatus.AT_RISK])].itertuples(index=False):
        where = f"{fmt.percent(row.progress)} af vejen, forventet {fmt.percent(row.expected_progress)}"
        lines.append(f"{row.id} – {row.indicator}: {BENEFIT_STATUS[row.status]} ({where}).")
    for row in ind[ind["status"] == BenefitStatus.TARGET_MISSED].itertuples(index=False):
        lines.append(f"{row.id} – {row.indicator}: {BENEFIT_STATUS[row.status]} ({_target_words(row)}).")
    for row in ind[ind["status"] == BenefitStatus.TARGET_NOT_MEASURED].itertuples(index=False):
        lines.append(f"{row.id} – {row.indicator}: målåret {row.target_year} er nået, men der er ingen måling fra det.")
    return lines


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


def trajectories(data: FollowupData, result: Followup) -> Chart:
    """Each indicator's measurements (``data.gevinster``) against the straight line from
    baseline to target, as a share of the way (0 = baseline, 1 = target), one panel per
    indicator."""
    year = result.year
    groups = list(data.gevinster.groupby(["id", "indikator"], sort=True))
    columns = 3
    rows = max((len(groups) + columns - 1) // columns, 1)
    figure, axes = new_figure(10, 2.8 * rows, rows=rows, columns=columns)
    for unused in axes[len(groups) :]:
        figure.delaxes(unused)
    status = result.indicators.set_index(["id", "indicator"])["status"]
    alt = []
    for ax, ((need_id, indicator), group) in zip(axes, groups, strict=False):
        first = group.iloc[0]
        b_year, t_year = int(first["baseline_aar"]), int(first["maal_aar"])
        ax.plot([b_year, t_year], [0, 1], color="black", linestyle="--", linewidth=1, label="Forventet")
        measured = group.dropna(subset=["maaleaar", "realiseret"]).sort_values("maaleaar")
        measured = measured[measured["maaleaar"] <= year]
        progress = followup.progress(measured["realiseret"], first["baseline"], first["maal"])
        colour = STATUS_COLOURS[status[(need_id, indicator)]]
        ax.plot([b_year, *measured["maaleaar"]], [0, *progress], marker="o", color=colour, label="Realiseret")
        # the whole indicator, wrapped: a title cut mid-word could name another indicator
        ax.set_title(
            plain(wrap_label(f"{need_id}: {indicator}", 44, 3)),
            fontsize=8,
        )
        ax.set_xticks(range(b_year, t_year + 1))
        ax.tick_params(labelsize=7)
        percent_axis(ax.yaxis)
        ax.set_ylim(
            min(-0.1, progress.min() - 0.1 if len(progress) else -0.1),
            max(1.1, progress.max() + 0.1 if len(progress) else 1.1),
        )
        points = (
            ", ".join(f"{int(y)} {fmt.percent(p)}" for y, p in zip(measured["maaleaar"], progress, strict=True))
            or "ingen måling"
        )
        alt.append(f"{need_id} {indicator}: {points}; mål {t_year}")
    # what the colours and the dashed line mean, under the panels
    shown = [s for s in STATUS_COLOURS if s in set(status)]
    handles = [Line2D([], [], color="black", linestyle="--", linewidth=1)]
    handles += [Line2D([], [], color=STATUS_COLOURS[s], marker="o") for s in shown]
    labels = ["Forventet forløb"] + [f"Realiseret: {BENEFIT_STATUS[s]}" for s in shown]
    figure.tight_layout()
    figure.legend(
        handles, labels, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=len(labels), frameon=False, fontsize=8
    )
    return Chart(
        figure,
        caption="Fremdrift mod målet pr. indikator (0 % = baseline, 100 % = mål; stiplet: forventet forløb)"
        + illustrative_mark(result),
        alt="Linjediagrammer: " + "; ".join(alt),
    )


def potential_coverage(result: Followup) -> Text:
    """Which of the note's four potentials the indicators follow, and which none does."""
    from analysis.report.vocabulary import POTENTIAL_LABELS

    followed = result.potentials
    label = {code: POTENTIAL_LABELS[f"potentiale_{code}"].lower() for code in followed}
    covered = [f"{label[c]} ({len(ids)})" for c, ids in followed.items() if ids]
    missing = [label[c] for c, ids in followed.items() if not ids]
    lines = ["Indikatorerne følger " + (", ".join(covered) if covered else "intet af notatets potentialer") + "."]
    if missing:
        lines.append(
            "Ingen indikator følger "
            + " og ".join(missing)
            + (
                "; det potentiale er ikke fulgt op endnu."
                if len(missing) == 1
                else "; de potentialer er ikke fulgt op endnu."
            )
        )
    return Text(lines, heading="Notatets fire potentialer", kind="warning" if missing else "ok")


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

    table = ledger_table(register, result.position, price_year, levels=result.own_years)
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
