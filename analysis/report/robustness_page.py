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
        bar = bars.get(phase) or bars.setdefault(
            phase,
            tqdm(
                total=total,
                desc=ROBUSTNESS_PHASES[phase].capitalize(),
                unit="udfald",
                # in Danish: tqdm's own "it/s", "<" and "?" read as English
                bar_format="{desc}: {percentage:3.0f} % |{bar}| {n_fmt} af {total_fmt} udfald "
                "({elapsed} brugt, ca. {remaining} tilbage)",
            ),
        )
        bar.update(done - bar.n)
        if done == total:
            bar.close()

    return progress


POOL_FRAMES = {"service": "servicerammen", "anlæg": "anlægsrammen"}
NO_ESTIMATE = "kan ikke vurderes"  # a need without an estimate: it was never drawn


def funded_at_today(analysis: Analysis) -> set[str]:
    """The needs funded at today's frame (scale 100 %) in the frontier's run."""
    scales = [float(s) for s in analysis.sampling.scales]
    today = next((k for k, s in enumerate(scales) if abs(s - 1.0) < 1e-9), None)
    if today is None:
        return set()
    row = analysis.frontier.funded[today]
    return {need_id for need_id, funded in zip(analysis.frontier.ids, row, strict=True) if funded}


def core_table(register: pd.DataFrame, analysis: Analysis) -> Table:
    titles = need_titles(register)
    costed = set(register.loc[register["har_estimat"], "id"])
    cost = analysis.cost_core().set_index("id")
    weight = analysis.weight_core().set_index("id")["core_index"]
    levels = analysis.entry_scales()
    today = funded_at_today(analysis)
    ids = sorted(cost.index, key=lambda i: (i not in costed, -cost.loc[i, "core_index"], i))

    def cls(need_id: str) -> str:
        if need_id in analysis.started:
            return STARTED
        return CORE_CLASS[cost.loc[need_id, "class"]] if need_id in costed else NO_ESTIMATE

    def level(need_id: str):
        # a started investment is in at every level because it is decided, not because it
        # wins at the lowest level tried; a need out at today's frame has no entry to show
        if need_id in analysis.started:
            return ALWAYS
        if need_id not in today:
            return None
        found = levels.get(need_id)
        lowest = min(analysis.sampling.scales)
        # at the lowest level tried it is in already: how much lower is not measured
        return f"{fmt.percent(lowest)} eller lavere" if found is not None and abs(found - lowest) < 1e-9 else found

    data = pd.DataFrame(
        {
            "Id": ids,
            "Behov": [titles[i] for i in ids],
            "Kerneindeks, omkostninger": [cost.loc[i, "core_index"] if i in costed else None for i in ids],
            "Klasse": [cls(i) for i in ids],
            "Kerneindeks, vægte": [weight[i] if i in costed else None for i in ids],
            "Med fra rammeniveau": [level(i) for i in ids],
        },
        dtype=object,
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
            "Kerneindeks, omkostninger": "share",
            "Kerneindeks, vægte": "share",
            "Med fra rammeniveau": "pct",
        },
        row_classes=["border" if c == CORE_CLASS[CoreClass.BORDERLINE] else "" for c in data["Klasse"]],
        note=(
            f"Omkostninger: {fmt.number(analysis.draws)} udfald trukket inden for hvert behovs spænd fra min til "
            "max (oftest nær det forventede)"
            + (
                ", og i samme udfald gevinsten inden for dens spænd, hvor registeret giver et"
                if analysis.benefits
                else ""
            )
            + ("; nutidsværdien er regnet for hvert udfald" if analysis.options.strategy == "max-npv" else "")
            + (
                ", trukket indtil hvert behovs klasse lå fast"
                + (
                    f" eller dets kerneindeks var kendt inden for {fmt.number(sampling.margin * 100)} procentpoint"
                    if sampling.margin > 0
                    else ""
                )
                if sampling.adaptive
                else ""
            )
            + _boundary_note(analysis)
            + ". Vægte: vægtninger af de fire potentialer. "
            f"Kerne: med i mindst {fmt.percent(robustness.CORE_THRESHOLD)} af udfaldene; udenfor: højst "
            f"{fmt.percent(robustness.OUTSIDE_THRESHOLD)}; ellers grænsetilfælde (markeret ~). Et behov uden estimat "
            f"{NO_ESTIMATE}: det er ikke trukket. Rammeniveau: det laveste niveau (andel af rammen), hvor et behov, "
            "der er med ved dagens ramme, er med"
            + ("; et påbegyndt behov er med ved alle niveauer" if analysis.started else "")
            + ". Procenterne er hele procent; med én decimal (fx 99,5 % eller 0,4 %), hvor hele procent ville "
            "runde til 100 % eller 0 %: 100 % og 0 % betyder, at behovet var med i alle eller i ingen udfald."
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


def _boundary_note(analysis: Analysis) -> str:
    """The needs at a class boundary, whose class the draws could not settle."""
    near = analysis.at_boundary()
    if not near or not analysis.sampling.adaptive:
        return ""
    return (
        f"; {fmt.count(len(near), 'behov', 'behov')} ({', '.join(near)}) ligger ved en klassegrænse, så klassen er "
        f"usikker: kerneindekset er kendt inden for {fmt.number(analysis.sampling.margin * 100)} procentpoint til "
        "hver side"
    )


def headline(register: pd.DataFrame, analysis: Analysis, price_year: int) -> Text:
    """The page's message in the sentences a director can quote: whether the proposal holds,
    and, when every need that can be funded is kerne because the frame exceeds the needs,
    that first."""
    costed = register[register["har_estimat"]]
    cost = analysis.cost_core().set_index("id")
    classes = {i: STARTED if i in analysis.started else cost.loc[i, "class"] for i in costed["id"]}
    core = {i for i, c in classes.items() if c in (STARTED, CoreClass.CORE)}
    borderline = sorted(i for i, c in classes.items() if c == CoreClass.BORDERLINE)
    singles = costed[costed["variantgruppe"].isna()]
    groups = costed[costed["variantgruppe"].notna()].groupby("variantgruppe")
    every_single = set(singles["id"]) <= core
    one_per_group = all(len(set(members["id"]) & core) == 1 for _g, members in groups)
    unspent = analysis.unspent_distribution()
    left = " og ".join(
        f"omkring {fmt.mio(unspent[p]['median'])} af {POOL_FRAMES[p]}"
        for p in POOLS
        if unspent[p].get("median") and unspent[p]["median"] >= 500
    )
    no_estimate = register.loc[~register["har_estimat"], "id"]
    lines = []
    if every_single and one_per_group and left:
        names = [members["titel"].iloc[0].split(" – ")[0] for _g, members in groups]
        variants = f" (af {', '.join(names)} altid den samme variant)" if names else ""
        lines.append(
            f"Rammen er større end de kendte behov: hvert behov med et estimat{variants} er med, uanset hvordan "
            f"omkostningerne falder ud, og {left} udmøntes ikke ({price_year} p/l, medianen over udfaldene)."
        )
        lines.append(
            "Derfor er alle disse behov kerne: det siger, at rammen rækker til dem, ikke at de er vurderet bedre end "
            "andre behov."
        )
    else:
        text = f"{len(core)} behov er med uanset usikkerheden (kerne)"
        if borderline:
            text += f", {len(borderline)} er grænsetilfælde ({', '.join(borderline)})"
        lines.append(text + (f", og {left} udmøntes ikke (medianen over udfaldene)." if left else "."))
    if len(no_estimate):
        lines.append(
            f"{fmt.count(len(no_estimate), 'behov', 'behov')} ({', '.join(no_estimate)}) {NO_ESTIMATE}, fordi de "
            "endnu ikke har et estimat."
        )
    return Text(lines, heading="Hovedbudskab")


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

    costed = set(register.loc[register["har_estimat"], "id"])
    every = weight.loc[weight["core_index"] == 1, "id"]
    none = weight.loc[(weight["core_index"] == 0) & weight["id"].isin(costed), "id"]
    some = weight[(weight["core_index"] > 0) & (weight["core_index"] < 1) & weight["id"].isin(costed)]
    lines = [
        "Finansieret under alle afprøvede vægtninger: " + names(every) + ".",
        "Finansieret under nogle vægtninger: "
        + (
            "; ".join(
                f"{i} ({titles[i]}, {fmt.share(v)} af vægtningerne)"
                for i, v in zip(some["id"], some["core_index"], strict=True)
            )
            or "ingen"
        )
        + ".",
        "Finansieret under ingen vægtning: " + names(none) + ".",
    ]
    missing = [i for i in weight["id"] if i not in costed]
    if missing:
        lines.append(f"Kan ikke vurderes, fordi de endnu ikke har et estimat: {names(missing)}.")
    return Text(
        lines,
        bullets=True,
        heading="Vægtningernes betydning",
    )


def distribution_table(analysis: Analysis, price_year: int) -> Table:
    unspent = analysis.unspent_distribution()
    quantiles = {f"Ikke planlagt, {POOL_LABELS[p].lower()}": unspent[p] for p in POOLS}
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
        row_formats={label: "tkr" for label in quantiles},
        note="Ikke planlagt: rammen over alle år minus det, det bedste forslag for udfaldet planlægger.",
    )


def frontier_chart(analysis: Analysis, options: list[Result]) -> Chart:
    """The best value against the frame level, with where each need enters, and the given
    options (computed at today's frame) as points at 100 %."""
    scales = list(analysis.sampling.scales)
    values = [np.nan if v is None else v for v in analysis.frontier.objective]
    figure, (ax,) = new_figure(8, 4)
    ax.plot(scales, values, color=PALETTE[0], marker="o", label="Det bedste forslags point ved rammeniveauet")
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
    ax.set_ylabel("Point i alt (antaget)")
    ax.set_ylim(bottom=0, top=max([v for v in values if not np.isnan(v)] + [1.0]) * 1.12)
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    alt = "Bedste værdi pr. rammeniveau: " + "; ".join(
        f"{fmt.percent(s)} {fmt.number(v, 1)}" for s, v in zip(scales, values, strict=True)
    )
    alt += ". Behov der kommer med ved højere niveau: " + "; ".join(
        f"{fmt.percent(level)}: {', '.join(ids)}" for level, ids in sorted(entries.items())
    )
    return Chart(
        figure,
        caption="Mere eller mindre ramme: de bedste forslags point ved forskellige rammeniveauer (aksen starter ved 0)",
        alt=alt,
    )


def _today_in_points(register: pd.DataFrame, analysis: Analysis) -> str:
    """ " Ved dagens ramme: 100,9 point med tidspræferencen; de samme behovs point uden den er
    102." – the chart's value at 100 % beside the plain sum page 02 shows (with the option's
    weights), so a reader sees why the two differ."""
    from analysis.model.allocation.problem import need_value

    scales = [float(v) for v in analysis.sampling.scales]
    today = next((k for k, v in enumerate(scales) if abs(v - 1.0) < 1e-9), None)
    if today is None or analysis.options.strategy != "max-potential":
        return ""
    value = float(analysis.frontier.objective[today])
    funded = funded_at_today(analysis)
    plain_sum = float(need_value(register, analysis.options)[register["id"].isin(funded)].sum())
    if np.isnan(value) or not funded:
        return ""
    return (
        f" Ved dagens ramme (100 %) er værdien {fmt.number(value, 1)} point med tidspræferencen; de samme "
        f"behovs point uden den er {fmt.number(plain_sum, 1)}"
        + (
            " (med lige vægte: summen på siden Forslag til udmøntning)."
            if set(analysis.options.weights) == {1.0}
            else "."
        )
    )


def frontier_note(register: pd.DataFrame, analysis: Analysis, frame: pd.DataFrame, price_year: int) -> Text:
    """What the frame levels measure, and for each need that enters above today's frame, how
    much larger the whole frame must be; the allocation page measures something else (what a
    need lacks on its own, per pool and year), and this says so."""
    total = float(frame["beloeb"].sum())
    today = funded_at_today(analysis)
    entry = analysis.entry_scales()
    lines = [
        "Rammeniveauet skalerer hele rammen, service og anlæg i alle år, på én gang. Det siger, hvor meget større "
        "hele rammen skal være, før et behov kommer med ved siden af de andre; siden Forslag til udmøntning siger, "
        "hvad behovet mangler alene, pr. styringsområde og år. De to tal svarer på hvert sit spørgsmål.",
        f"Punkterne er forslagenes point med tidspræferencen (et behov, der starter et år senere, tæller "
        f"{fmt.percent(analysis.options.time_preference, 0)} mindre); derfor ligger de lidt under summen af point på "
        "siden Forslag til udmøntning." + _today_in_points(register, analysis),
    ]
    later: dict[float, list[str]] = {}
    for need_id, level in entry.items():
        if not pd.isna(level) and level > 1.0 + 1e-9 and need_id not in today:
            later.setdefault(float(level), []).append(need_id)
    for level, ids in sorted(later.items()):
        lines.append(
            f"{', '.join(sorted(ids))} kommer med ved {fmt.percent(level)} af rammen: når hele rammen er "
            f"{fmt.mio((level - 1) * total)} større ({price_year} p/l)."
        )
    costed = register.loc[register["har_estimat"], "id"]
    never = sorted(i for i in costed if pd.isna(entry.get(i)))
    if never:
        lines.append(
            f"{', '.join(never)} kommer ikke med ved noget af de prøvede niveauer (op til "
            f"{fmt.percent(max(analysis.sampling.scales))} af rammen)."
        )
    points = sorted(analysis.sampling.scales)
    step = min((b - a for a, b in zip(points, points[1:], strict=False)), default=0)
    if later and step:
        lines.append(
            f"Rammeniveauerne er prøvet i trin på {fmt.percent(step)}; det præcise niveau ligger inden for et trin."
        )
    return Text(lines, bullets=True)


def unspent_chart(analysis: Analysis, price_year: int) -> Chart:
    """Histogram of unspent money per pool across the cost draws."""
    figure, axes = new_figure(8, 3, columns=2)
    alt = []
    for ax, (p, pool) in zip(axes, enumerate(POOLS), strict=True):
        values = analysis.costs.unspent[:, p] / 1000
        values = values[np.isfinite(values)]
        ax.set_title(POOL_LABELS[pool])
        ax.set_xlabel(f"mio. kr. ({price_year} p/l)")
        if len(values) and values.max() - values.min() < 0.05:
            # every draw leaves the same: one bar at that amount, not a scale of equal ticks
            ax.bar([values[0]], [len(values)], width=0.4, color=POOL_COLOURS[pool])
            ax.set_xlim(values[0] - 1, values[0] + 1)
            ax.set_xticks([values[0]], [fmt.number(values[0], 1)])
        else:
            ax.hist(values, bins=20, color=POOL_COLOURS[pool])
            danish_axis(ax.xaxis)
        if len(values):
            alt.append(f"{POOL_LABELS[pool]}: fra {fmt.mio(values.min() * 1000)} til {fmt.mio(values.max() * 1000)}")
    axes[0].set_ylabel("Antal udfald")
    figure.tight_layout()
    return Chart(
        figure,
        caption="Ikke planlagt af rammen over omkostningsudfaldene (mio. kr.)",
        alt="Histogrammer. " + "; ".join(alt),
    )
