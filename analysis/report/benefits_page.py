"""Page 03's benefits: each indicator's status, the status counts, the trajectories, the
coverage of the follow-up, the four potentials followed and the hours moved, from one
:class:`~analysis.model.followup.Followup`, as :mod:`analysis.report.blocks` objects."""

from __future__ import annotations

import pandas as pd
from matplotlib.lines import Line2D

from analysis.inputs.followup_files import HIGHER, FollowupData
from analysis.model import followup
from analysis.model.followup import BenefitStatus, Followup
from analysis.report import formats as fmt
from analysis.report.blocks import Chart, Table, Text
from analysis.report.figures import PALETTE, new_figure, percent_axis, plain, wrap_label
from analysis.report.vocabulary import BENEFIT_STATUS, NOT_STATED, illustrative_mark

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
        row_classes=["flag" if s in NEEDS_ATTENTION else "" for s in table["status"]],
        note=(
            "Fremdrift = (realiseret − baseline) / (mål − baseline). Forventet: lineært fra 0 i baselineåret til 1 i "
            "målåret. Følger planen: højst 10 procentpoint efter det forventede; i risiko: højst 25; ellers bagud. "
            "Fra målåret vurderes målet på den seneste måling i eller efter målåret: mål nået, eller mål ikke nået "
            "med det, der mangler, i indikatorens enhed. Stoppet: investeringen er stoppet; dens målinger står, "
            "men den følges ikke længere mod sit mål. Markeret (!): i risiko, bagud, mål ikke nået eller ikke målt."
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
