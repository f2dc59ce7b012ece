"""Page 04, robustness: tables, texts and figures of the analysis the model returned, as
:mod:`analysis.report.blocks` objects. Nothing here solves; the frontier chart's points at
today's frame are options the notebook computed."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.inputs.contracts import POOLS
from analysis.inputs.register import need_titles
from analysis.model import robustness
from analysis.model.allocation.result import Result
from analysis.model.robustness import Analysis, CoreClass
from analysis.report import formats as fmt
from analysis.report.blocks import Chart, Table, Text
from analysis.report.figures import PALETTE, POOL_COLOURS, danish_axis, new_figure, percent_axis, plain
from analysis.report.vocabulary import CORE_CLASS, POOL_LABELS, ROBUSTNESS_PHASES, STRATEGY_LABELS


def progress_bar(enabled: bool):
    """A ``progress(phase, done, total)`` callback drawing a bar in JupyterLab, or None."""
    if not enabled:
        return None
    from tqdm.auto import tqdm

    bars: dict[str, object] = {}

    def progress(phase: str, done: int, total: int) -> None:
        bar = bars.get(phase) or bars.setdefault(phase, tqdm(total=total, desc=ROBUSTNESS_PHASES[phase]))
        bar.update(done - bar.n)
        if done == total:
            bar.close()

    return progress


def core_table(register: pd.DataFrame, analysis: Analysis) -> Table:
    titles = need_titles(register)
    cost = analysis.cost_core().set_index("id")
    weight = analysis.weight_core().set_index("id")["core_index"]
    levels = analysis.entry_scales()
    ids = sorted(cost.index, key=lambda i: (-cost.loc[i, "core_index"], i))
    data = pd.DataFrame(
        {
            "Id": ids,
            "Behov": [titles[i] for i in ids],
            "Kerneindeks, omkostninger": [cost.loc[i, "core_index"] for i in ids],
            "Usikkerhed (±)": [cost.loc[i, "margin"] for i in ids],
            "Klasse": [STARTED if i in analysis.started else CORE_CLASS[cost.loc[i, "class"]] for i in ids],
            "Kerneindeks, vægte": [weight[i] for i in ids],
            # a started investment is in at every level because it is decided, not because it
            # wins at the lowest level tried: say so rather than show that level
            "Med fra rammeniveau": [ALWAYS if i in analysis.started else levels.get(i) for i in ids],
        }
    )
    sampling = analysis.sampling
    from analysis.report.vocabulary import assumed_fields, mark

    potentials = (
        "potentiale_tilgaengelighed",
        "potentiale_aflastning",
        "potentiale_forenkling",
        "potentiale_skalering",
    )
    return Table(
        data,
        caption=mark(
            "Kerneindeks: hvor ofte hvert behov er med i det bedste forslag", potentials, assumed_fields(register)
        ),
        formats={
            "Kerneindeks, omkostninger": "pct",
            "Usikkerhed (±)": "pct1",
            "Kerneindeks, vægte": "pct",
            "Med fra rammeniveau": "pct",
        },
        row_classes=["diff" if c == CORE_CLASS[CoreClass.BORDERLINE] else "" for c in data["Klasse"]],
        note=(
            f"Omkostninger: {fmt.number(analysis.draws)} udfald trukket inden for hvert behovs spænd fra min til "
            "max (oftest nær det forventede)"
            + (", trukket indtil hvert behovs klasse lå fast" if sampling.adaptive else "")
            + ". Usikkerhed: halvdelen af kerneindeksets 99 %-interval. Vægte: vægtninger af de fire potentialer. "
            f"Kerne: med i mindst {fmt.percent(robustness.CORE_THRESHOLD)}; udenfor: højst "
            f"{fmt.percent(robustness.OUTSIDE_THRESHOLD)}; ellers grænsetilfælde (markeret). Rammeniveau: det laveste "
            "niveau (andel af rammen), hvor behovet er med"
            + ("; et påbegyndt behov er med ved alle niveauer" if analysis.started else "")
            + "."
            + started_note(analysis)
            + (
                f" Hvert udfald er løst til højst {fmt.percent(sampling.gap, 2)} fra det bedste forslag (se bilaget)."
                if sampling.gap > 0
                else ""
            )
            + (
                f" {fmt.count(analysis.costs.at_time_limit(), 'omkostningsudfald', 'omkostningsudfald')} stoppede ved "
                "tidsgrænsen uden bevis for, at forslaget er det bedste (se bilaget)."
                if analysis.costs.at_time_limit()
                else ""
            )
        ),
    )


STARTED = "påbegyndt"  # a started investment's class on the page: a fact, not a draw
ALWAYS = "altid (påbegyndt)"  # a started investment's frame level on the page


def started_note(analysis: Analysis) -> str:
    """What a later plan year holds fixed, in the words of the allocation page."""
    if analysis.plan_year is None:
        return ""
    started = ", ".join(analysis.started) or "ingen"
    return (
        f" Planår {analysis.plan_year}: de påbegyndte investeringer ({started}) står fast med deres bevillinger og er "
        "med i alle udfald; kun de åbne behov er trukket og besluttet igen, som i allokeringens hovedforslag."
    )


def weight_answer(register: pd.DataFrame, analysis: Analysis) -> Text:
    titles = need_titles(register)
    weight = analysis.weight_core()

    def names(ids) -> str:
        return "; ".join(f"{i} ({titles[i]})" for i in ids) or "ingen"

    every = weight.loc[weight["core_index"] == 1, "id"]
    none = weight.loc[weight["core_index"] == 0, "id"]
    return Text(
        [
            "Finansieret under alle afprøvede vægtninger: " + names(every) + ".",
            "Finansieret under ingen vægtning: " + names(none) + ".",
        ],
        bullets=True,
        heading="Vægtningernes betydning",
    )


def distribution_table(analysis: Analysis, price_year: int) -> Table:
    quantiles = {"Målværdi": analysis.value_distribution()}
    unspent = analysis.unspent_distribution()
    quantiles |= {f"Endnu ikke udmøntet, {POOL_LABELS[p].lower()}": unspent[p] for p in POOLS}
    columns = {"p05": "5 %-fraktil", "median": "Median", "p95": "95 %-fraktil"}
    data = pd.DataFrame(
        {label: [q.get(key) for q in quantiles.values()] for key, label in columns.items()},
        index=list(quantiles),
        dtype=object,
    )
    data.index.name = "Størrelse"
    return Table(
        data,
        caption="Fordeling over omkostningsudfaldene",
        unit=f"beløb i 1.000 kr., {price_year} p/l",
        index=True,
        row_formats={"Målværdi": "num1"} | {label: "tkr" for label in list(quantiles)[1:]},
        note="Endnu ikke udmøntet: rammen over alle år minus det, det bedste forslag for udfaldet udmønter.",
    )


def frontier_chart(analysis: Analysis, options: list[Result]) -> Chart:
    """The best value against the frame level, with where each need enters, and the given
    options (computed at today's frame) as points at 100 %."""
    scales = list(analysis.sampling.scales)
    values = [np.nan if v is None else v for v in analysis.frontier.objective]
    figure, (ax,) = new_figure(8, 4)
    ax.plot(scales, values, color=PALETTE[0], marker="o", label="Bedste værdi ved rammeniveauet")
    # Rings of falling size, each labelled with its value: options worth the same (today's
    # priority order often funds what the model does) would otherwise hide one another.
    shown = [option for option in options if option.objective is not None]
    for k, option in enumerate(shown, start=1):
        label = f"{STRATEGY_LABELS[option.options.strategy]}: {fmt.number(option.objective, 1)}"
        size = 100 + 120 * (len(shown) - k)  # the smallest still rings the frontier's own dot
        ax.scatter(
            [1.0],
            [option.objective],
            s=size,
            facecolors="none",
            edgecolors=PALETTE[k],
            linewidths=2,
            zorder=3,
            label=label,
        )
    entries: dict[float, list[str]] = {}
    for need_id, level in analysis.entry_scales().items():
        if not pd.isna(level) and level > min(scales):
            entries.setdefault(float(level), []).append(need_id)
    for level, ids in sorted(entries.items()):
        if level in scales:
            ax.annotate(
                plain(", ".join(ids)),
                (level, values[scales.index(level)]),
                textcoords="offset points",
                xytext=(0, 8),
                ha="center",
                fontsize=7,
            )
    percent_axis(ax.xaxis)
    danish_axis(ax.yaxis)
    ax.set_xlabel("Rammeniveau (andel af rammen)")
    ax.set_ylabel("Målværdi")
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    alt = "Bedste værdi pr. rammeniveau: " + "; ".join(
        f"{fmt.percent(s)} {fmt.number(v, 1)}" for s, v in zip(scales, values, strict=True)
    )
    alt += ". Behov der kommer med ved højere niveau: " + "; ".join(
        f"{fmt.percent(level)}: {', '.join(ids)}" for level, ids in sorted(entries.items())
    )
    return Chart(figure, caption="Mere eller mindre ramme: bedste værdi ved forskellige rammeniveauer", alt=alt)


def unspent_chart(analysis: Analysis, price_year: int) -> Chart:
    """Histogram of unspent money per pool across the cost draws."""
    figure, axes = new_figure(8, 3, columns=2)
    alt = []
    for ax, (p, pool) in zip(axes, enumerate(POOLS), strict=True):
        values = analysis.costs.unspent[:, p] / 1000
        values = values[np.isfinite(values)]
        ax.hist(values, bins=20, color=POOL_COLOURS[pool])
        ax.set_title(POOL_LABELS[pool])
        ax.set_xlabel(f"mio. kr. ({price_year} p/l)")
        danish_axis(ax.xaxis)
        if len(values):
            alt.append(f"{POOL_LABELS[pool]}: fra {fmt.mio(values.min() * 1000)} til {fmt.mio(values.max() * 1000)}")
    axes[0].set_ylabel("Antal udfald")
    figure.tight_layout()
    return Chart(
        figure,
        caption="Endnu ikke udmøntet over omkostningsudfaldene (mio. kr.)",
        alt="Histogrammer. " + "; ".join(alt),
    )


PHASES = (("omkostninger", "costs"), ("vægte", "weights"), ("rammeniveauer", "frontier"))


def gap_note(analysis: Analysis) -> str:
    """How close to the best each run is proven, and which runs the clock stopped."""
    gap = analysis.sampling.gap
    worst = "; ".join(
        f"{name}: {fmt.DASH if g is None else fmt.percent(g, 2)}"
        for name, g in ((name, getattr(analysis, kind).worst_gap()) for name, kind in PHASES)
    )
    stopped = sum(getattr(analysis, kind).at_time_limit() for _, kind in PHASES)
    proven = all(getattr(analysis, kind).worst_gap() == 0 for _, kind in PHASES)
    if gap == 0 and proven and not stopped:
        return "Hver løsning er bevist optimal (MIP-gap 0)."
    text = (
        f"Hver løsning stoppes, når den er bevist inden for {fmt.percent(gap, 2)} af det bedst mulige (MIP-gap)"
        if gap > 0
        else "Hver løsning skal bevises optimal (MIP-gap 0)"
    ) + f"; største gap: {worst}."
    if stopped:
        text += (
            f" {fmt.number(stopped)} løsninger stoppede ved tidsgrænsen: deres svar afhænger af maskinens hastighed, "
            "så samme frø kan give et lidt andet kerneindeks på en anden maskine."
        )
    return text


def method_note(analysis: Analysis) -> Text:
    """The technical detail of the robustness analysis, for the annex."""
    options, sampling = analysis.options, analysis.sampling
    statuses = {name: sorted({s.value for s in getattr(analysis, kind).statuses}) for name, kind in PHASES}
    return Text(
        [
            f"Omkostningsudfald: {fmt.number(analysis.draws)} af højst {fmt.number(sampling.samples)}"
            + (
                f" (adaptivt: stoppet, da alle klasser lå fast; mindst {fmt.number(sampling.min_samples)})"
                if sampling.adaptive
                else ""
            )
            + ", trukket fra en PERT-fordeling på min, forventet "
            f"og max; frø {sampling.seed}. Vægtninger: lige så mange, jævnt over alle vægtninger af de fire "
            "potentialer, hjørnerne og lige vægte altid med.",
            f"Tidspræference {fmt.number(options.time_preference, 2)}; planlagt overførsel: "
            f"{'ja' if options.carry_over else 'nej'}; "
            f"skal med: {', '.join(options.force_in) or 'ingen'}; må ikke komme med: "
            f"{', '.join(options.force_out) or 'ingen'}; "
            f"tidsgrænse pr. løsning {fmt.number(sampling.time_limit)} s.",
            (
                f"Planår {analysis.plan_year}; påbegyndte investeringer står fast: "
                f"{', '.join(analysis.started) or 'ingen'}."
                if analysis.plan_year is not None
                else "Planår: rammens første år; intet er påbegyndt."
            ),
            "Løserens status: " + "; ".join(f"{kind}: {', '.join(s)}" for kind, s in statuses.items()) + ".",
            gap_note(analysis),
        ],
        heading="Robusthed",
    )
