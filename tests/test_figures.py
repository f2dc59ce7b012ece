"""The report's figures as a reader sees them: every series tells itself apart, legends sit
where they cover no data, and panel titles name their indicator in full."""

from __future__ import annotations

from analysis.inputs import paths
from analysis.inputs.dataset import load_dataset
from analysis.model.allocation import allocate
from analysis.report.figures import PALETTE, bar_style


def test_the_first_32_bar_series_all_look_different():
    styles = [(s["color"], s.get("hatch", "")) for s in map(bar_style, range(32))]
    assert len(set(styles)) == 32
    assert styles[: len(PALETTE)] == [(c, "") for c in PALETTE]  # plain colours first


def test_the_spending_chart_keeps_nine_options_apart_and_its_legend_off_the_bars(shipped):
    from analysis.report import allocation_page

    data = load_dataset(**shipped)
    result = allocate(data.register, data.frame)
    names = list("ABCDEFGHI")
    chart = allocation_page.spending_chart(data.frame, [result] * len(names), names, 2026)
    service = chart.figure.axes[0]
    looks = [(tuple(c.patches[0].get_facecolor()), c.patches[0].get_hatch()) for c in service.containers]
    assert len(looks) == 9 and len(set(looks)) == 9  # I is not A's twin (the palette has 8 colours)
    assert all(ax.get_legend() is None for ax in chart.figure.axes)  # no legend over a panel's bars
    (legend,) = chart.figure.legends
    assert [t.get_text() for t in legend.get_texts()] == ["Ramme (+ puljens overførte midler)", *names]


def test_follow_up_panels_name_the_whole_indicator_and_say_what_the_colours_mean():
    from analysis.report import benefits_page

    data = load_dataset(
        register=paths.DEFAULT_REGISTER,
        frame=paths.DEFAULT_FRAME,
        bevillinger=paths.DEFAULT_BEVILLINGER,
        forbrug=paths.DEFAULT_FORBRUG,
        gevinster=paths.DEFAULT_GEVINSTER,
    )
    from analysis.model import followup
    from analysis.model.ledger import Ledger

    book = Ledger.from_table(data.followup.bevillinger, data.years)
    chart = benefits_page.trajectories(data.followup, followup.run(data.frame, data.register, data.followup, book, 2026))
    titles = [" ".join(ax.get_title().split()) for ax in chart.figure.axes]
    indicators = data.followup.gevinster[["id", "indikator"]].drop_duplicates()
    expected = sorted(f"{i}: {text}" for i, text in indicators.itertuples(index=False))
    assert sorted(titles) == expected
    assert max(len(t) for t in expected) > 38  # the shipped data has an indicator the old cut shortened
    (legend,) = chart.figure.legends
    labels = [t.get_text() for t in legend.get_texts()]
    assert labels[0] == "Forventet forløb" and all(label.startswith("Realiseret: ") for label in labels[1:])
    assert "Realiseret: følger planen" in labels and "Realiseret: bagud" in labels


def test_options_worth_the_same_on_the_frontier_stay_visible_and_say_their_value(shipped):
    """On the shipped data today's priority order funds what the model funds: the two
    points at 100 % coincide, and one used to hide the other."""
    from analysis.inputs.parameters import Options, Sampling
    from analysis.model import robustness
    from analysis.report import robustness_page

    data = load_dataset(**shipped)
    settings = Sampling(samples=20, seed=1, adaptive=False, workers=1)
    analysis = robustness.run(data.register, data.frame, settings)
    options = robustness.reference_options(data.register, data.frame, Options())
    assert len(options) == 2 and options[0].objective == options[1].objective  # the case in point
    chart = robustness_page.frontier_chart(analysis, options)
    rings = chart.figure.axes[0].collections
    sizes = [float(ring.get_sizes()[0]) for ring in rings]
    assert len(rings) == 2 and sizes[0] > sizes[1]  # the first rings the second
    assert all(len(ring.get_facecolors()) == 0 or ring.get_facecolors()[0][3] == 0 for ring in rings)  # hollow
    labels = [t.get_text() for t in chart.figure.axes[0].get_legend().get_texts()]
    value = f"{options[0].objective:.1f}".replace(".", ",")
    assert sum(label.endswith(f": {value}") for label in labels) == 2


def test_cost_ranges_name_each_need_with_its_whole_title(shipped):
    from analysis.report import figures

    data = load_dataset(**shipped)
    chart = figures.cost_ranges(data.register, 2026)
    labels = [" ".join(t.get_text().split()) for t in chart.figure.axes[0].get_yticklabels()]
    costed = data.register[data.register["har_estimat"]]
    assert sorted(labels) == sorted(f"{i} {t}" for i, t in zip(costed["id"], costed["titel"], strict=True))
    assert max(len(t) for t in costed["titel"]) > 45  # a title the old 45-character cut shortened
    assert all(len(line) <= 48 for t in chart.figure.axes[0].get_yticklabels() for line in t.get_text().split("\n"))


def test_wrap_label_breaks_between_words_never_at_a_hyphen():
    from analysis.report.figures import wrap_label

    assert wrap_label("DA-5G-F  Privat 5G-netværk – fuld udrulning (Smart City)", 20, 3) == (
        "DA-5G-F  Privat\n5G-netværk – fuld\nudrulning (Smart …"
    )
    assert wrap_label("kort", 20, 1) == "kort"
