"""Figures, in Danish, with a colour-blind-safe palette (Okabe–Ito) and Danish axis numbers.

Figures are built on :class:`matplotlib.figure.Figure` directly (no pyplot state), so
building one never shows it twice and the same data gives the same image.
"""

from __future__ import annotations

import textwrap

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from analysis.inputs.contracts import ANLAEG, POOLS, SERVICE
from analysis.inputs.financing_frame import amounts
from analysis.report import formats as fmt
from analysis.report.blocks import Chart
from analysis.report.vocabulary import POOL_LABELS

# Okabe & Ito (2008), "Color Universal Design": distinguishable with any colour vision.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
POOL_COLOURS = {SERVICE: PALETTE[0], ANLAEG: PALETTE[1]}
# Past eight series the colours repeat; each round of repeats gets its own hatching, so
# that no two series look alike (the ninth option is not the first one's twin).
HATCHES = ["", "////", "....", "xxxx"]


def bar_style(k: int) -> dict:
    """Colour and hatching of the k-th bar series: unique for the first 32."""
    hatch = HATCHES[(k // len(PALETTE)) % len(HATCHES)]
    style = {"color": PALETTE[k % len(PALETTE)]}
    if hatch:
        style |= {"hatch": hatch, "edgecolor": "white", "linewidth": 0}
    return style


def plain(text) -> str:
    """Text from data as literal text in a figure: matplotlib would read $…$ as mathtext
    (and fail on a stray $)."""
    return str(text).replace("$", r"\$")


def wrap_label(text: str, width: int, lines: int) -> str:
    """A label on at most ``lines`` lines of ``width`` characters, broken between words
    (never at a hyphen, so an id such as DA-5G-B stays whole); longer text ends in " …"."""
    return textwrap.fill(text, width, max_lines=lines, placeholder=" …", break_on_hyphens=False)


def danish_axis(axis, decimals: int = 0) -> None:
    """Danish numbers on an axis: ``1.000``, ``2,5``."""
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt.number(v, decimals)))


def percent_axis(axis) -> None:
    """Shares on an axis as Danish percent: ``40 %``."""
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt.percent(v)))


def new_figure(width: float, height: float, rows: int = 1, columns: int = 1) -> tuple[Figure, list]:
    """A figure (no pyplot state) with ``rows × columns`` panels without top and right
    spines; returns the figure and its axes as a flat list."""
    figure = Figure(figsize=(width, height))
    axes = [figure.add_subplot(rows, columns, k + 1) for k in range(rows * columns)]
    for ax in axes:
        ax.spines[["top", "right"]].set_visible(False)
    return figure, axes


def frame_by_year(frame: pd.DataFrame, price_year: int) -> Chart:
    """Stacked bars: service and anlæg per year, in mio. kr."""
    wide = amounts(frame) / 1000
    figure, (ax,) = new_figure(7, 3.6)
    bottom = pd.Series(0.0, index=wide.index)
    labels = [str(y) for y in wide.index]
    for pool in POOLS:
        ax.bar(labels, wide[pool], bottom=bottom, color=POOL_COLOURS[pool], label=POOL_LABELS[pool])
        bottom += wide[pool]
    for x, total in zip(labels, bottom, strict=True):
        ax.annotate(fmt.number(total, 0), (x, total), ha="center", va="bottom", fontsize=9)
    ax.set_ylabel(f"mio. kr. ({price_year} p/l)")
    danish_axis(ax.yaxis)
    ax.legend(frameon=False, loc="upper left")
    ax.set_ylim(0, bottom.max() * 1.15)
    alt = "Søjlediagram over rammen pr. år: " + "; ".join(
        f"{y}: service {fmt.mio(wide.loc[y, SERVICE] * 1000)}, anlæg {fmt.mio(wide.loc[y, ANLAEG] * 1000)}"
        for y in wide.index
    )
    return Chart(figure, caption=f"Rammen pr. år og styringsområde (mio. kr., {price_year} p/l)", alt=alt)


def cost_ranges(register: pd.DataFrame, price_year: int) -> Chart:
    """Each costed need as a bar from min to max with a dot at the expected cost,
    coloured by area (mio. kr.)."""
    costed = register[register["har_estimat"]].sort_values(["omraade", "omkostning_max"], ascending=[False, True])
    areas = list(dict.fromkeys(sorted(costed["omraade"])))
    colours = {area: PALETTE[i % len(PALETTE)] for i, area in enumerate(areas)}
    figure, (ax,) = new_figure(8, 0.42 * len(costed) + 1.2)
    y = range(len(costed))
    low = costed["omkostning_min"] / 1000
    high = costed["omkostning_max"] / 1000
    mid = costed["omkostning_forventet"] / 1000
    bar_colours = [colours[a] for a in costed["omraade"]]
    ax.barh(y, (high - low).clip(lower=0.25), left=low - (high == low) * 0.125, color=bar_colours, height=0.55)
    ax.scatter(mid, y, color="black", s=14, zorder=3, label="Forventet")
    # whole titles, wrapped: a title cut mid-word ("… Smart Cit") reads as a typo
    ticks = [plain(wrap_label(f"{i}  {t}", 48, 2)) for i, t in zip(costed["id"], costed["titel"], strict=True)]
    ax.set_yticks(list(y), ticks, fontsize=8)
    ax.set_xlabel(f"mio. kr. ({price_year} p/l)")
    danish_axis(ax.xaxis)
    handles = [Patch(color=colours[a], label=plain(a)) for a in areas] + [ax.collections[0]]
    ax.legend(handles=handles, frameon=False, fontsize=8, loc="lower right")
    alt = "Vandrette søjler med omkostningsspænd pr. behov: " + "; ".join(
        f"{i} {fmt.mio_range(a * 1000, b * 1000)}" for i, a, b in zip(costed["id"], low, high, strict=True)
    )
    return Chart(
        figure, caption=f"Omkostningsspænd pr. behov (min–max, prik = forventet; mio. kr., {price_year} p/l)", alt=alt
    )
