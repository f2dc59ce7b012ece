"""Tables, texts and figures of the robustness notebook, as display objects."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from analysis import allocation, fmt, robustness
from analysis.display import Chart, Table, Text
from analysis.figures import PALETTE, POOL_COLOURS, plain
from analysis.frame import POOL_LABELS, POOLS


def progress_bar(enabled: bool):
    """A ``progress(phase, done, total)`` callback drawing a bar in JupyterLab, or None."""
    if not enabled:
        return None
    from tqdm.auto import tqdm

    bars: dict[str, object] = {}

    def progress(phase: str, done: int, total: int) -> None:
        bar = bars.get(phase) or bars.setdefault(phase, tqdm(total=total, desc=phase))
        bar.update(done - bar.n)
        if done == total:
            bar.close()

    return progress


def core_table(register: pd.DataFrame, result: dict) -> Table:
    reg = register.set_index("id")
    ids = sorted(result["core_index"], key=lambda i: (-result["core_index"][i], i))
    data = pd.DataFrame(
        {
            "Id": ids,
            "Behov": [reg.loc[i, "titel"] for i in ids],
            "Kerneindeks, omkostninger": [result["core_index"][i] for i in ids],
            "Klasse": [result["core_class"][i] for i in ids],
            "Kerneindeks, vægte": [result["weight_core_index"][i] for i in ids],
            "Med fra rammeniveau": [
                fmt.DASH if result["entry_scale"].get(i) is None else fmt.percent(result["entry_scale"][i]) for i in ids
            ],
        }
    )
    classes = ["diff" if c == robustness.BORDERLINE else "" for c in data["Klasse"]]
    settings = result["settings"]
    return Table(
        data,
        caption="Kerneindeks: hvor ofte hvert behov er med i det bedste forslag",
        formats={"Kerneindeks, omkostninger": "pct", "Kerneindeks, vægte": "pct"},
        row_classes=classes,
        note=(
            f"Omkostninger: {settings['samples']} udfald trukket fra en PERT-fordeling på min, forventet og max "
            f"(frø {settings['seed']}). Vægte: lige så mange vægtninger af de fire potentialer, inkl. hjørnerne. "
            f"Kerne: med i mindst {fmt.percent(robustness.CORE_THRESHOLD)}; udenfor: højst "
            f"{fmt.percent(robustness.OUTSIDE_THRESHOLD)}; ellers grænsetilfælde (markeret). Rammeniveau: det laveste "
            "niveau (andel af rammen), hvor behovet er med."
        ),
    )


def weight_answer(register: pd.DataFrame, result: dict) -> Text:
    titles = dict(zip(register["id"], register["titel"], strict=True))

    def names(ids: list[str]) -> str:
        return "; ".join(f"{i} ({titles[i]})" for i in ids) or "ingen"

    return Text(
        [
            "Finansieret under alle afprøvede vægtninger: " + names(result["funded_under_every_weighting"]) + ".",
            "Finansieret under ingen vægtning: " + names(result["funded_under_no_weighting"]) + ".",
        ],
        bullets=True,
        heading="Vægtningernes betydning",
    )


def distribution_table(result: dict, price_year: int) -> Table:
    rows = [("Målværdi", result["value_distribution"], "num1")]
    rows += [(f"Uforbrugt {POOL_LABELS[p].lower()} til sidst", result["unspent_distribution"][p], "tkr") for p in POOLS]
    data = pd.DataFrame(
        [
            {
                "Størrelse": name,
                **{
                    label: (fmt.number(q.get(key), 1) if kind == "num1" else fmt.tkr(q.get(key))) if q else fmt.DASH
                    for key, label in (("p05", "5 %-fraktil"), ("median", "Median"), ("p95", "95 %-fraktil"))
                },
            }
            for name, q, kind in rows
        ]
    )
    return Table(
        data,
        caption="Fordeling over omkostningsudfaldene",
        unit=f"uforbrugt i 1.000 kr., {price_year} p/l",
        note="Uforbrugt til sidst: rammen over alle år minus forbruget i det bedste forslag for udfaldet.",
    )


def frontier_chart(register: pd.DataFrame, frame: pd.DataFrame, result: dict, settings: robustness.Settings) -> Chart:
    """The best value against the frame level, with where each need enters, and the
    priority walk and the optimised option at today's frame as points."""
    scales = [p["scale"] for p in result["frontier"]]
    values = [np.nan if p["objective"] is None else p["objective"] for p in result["frontier"]]
    figure = Figure(figsize=(8, 4))
    ax = figure.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    ax.plot(scales, values, color=PALETTE[0], marker="o", label="Bedste værdi (effektiv rand)")
    options = allocation.Options(
        strategy=settings.strategy, weights=settings.weights, time_preference=settings.time_preference, explain=False
    )
    for k, strategy in enumerate(("priority", settings.strategy), start=1):
        option = allocation.allocate(register, frame, replace(options, strategy=strategy))
        if option.objective is not None:
            ax.scatter(
                [1.0], [option.objective], color=PALETTE[k], s=60, zorder=3, label=allocation.STRATEGY_LABELS[strategy]
            )
    entries: dict[float, list[str]] = {}
    for need_id, level in result["entry_scale"].items():
        if level is not None and level > min(scales):
            entries.setdefault(level, []).append(need_id)
    for level, ids in sorted(entries.items()):
        y = values[scales.index(level)] if level in scales else None
        if y is not None:
            ax.annotate(
                plain(", ".join(ids)), (level, y), textcoords="offset points", xytext=(0, 8), ha="center", fontsize=7
            )
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: fmt.percent(v)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: fmt.number(v, 0)))
    ax.set_xlabel("Rammeniveau (andel af rammen)")
    ax.set_ylabel("Målværdi")
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    alt = "Effektiv rand: " + "; ".join(
        f"{fmt.percent(s)} {fmt.number(v, 1)}" for s, v in zip(scales, values, strict=True)
    )
    alt += ". Behov der kommer med ved højere niveau: " + "; ".join(
        f"{fmt.percent(level)}: {', '.join(ids)}" for level, ids in sorted(entries.items())
    )
    return Chart(figure, caption="Effektiv rand: bedste målværdi ved forskellige rammeniveauer", alt=alt)


def unspent_chart(analysis: robustness.Analysis, price_year: int) -> Chart:
    """Histogram of unspent money per pool across the cost draws."""
    figure = Figure(figsize=(8, 3))
    axes = figure.subplots(1, 2)
    alt = []
    for ax, (p, pool) in zip(axes, enumerate(POOLS), strict=True):
        ax.spines[["top", "right"]].set_visible(False)
        values = analysis.costs.unspent[:, p] / 1000
        values = values[np.isfinite(values)]
        ax.hist(values, bins=20, color=POOL_COLOURS[pool])
        ax.set_title(POOL_LABELS[pool])
        ax.set_xlabel(f"mio. kr. ({price_year} p/l)")
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: fmt.number(v, 0)))
        if len(values):
            alt.append(f"{POOL_LABELS[pool]}: fra {fmt.mio(values.min() * 1000)} til {fmt.mio(values.max() * 1000)}")
    axes[0].set_ylabel("Antal udfald")
    figure.tight_layout()
    return Chart(
        figure, caption="Uforbrugte midler til sidst over omkostningsudfaldene", alt="Histogrammer. " + "; ".join(alt)
    )
