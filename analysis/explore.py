"""Interactive exploration in JupyterLab: move the potential weights and the frame level
and see the best option change. The rendered report stays static (the widgets are only
built when asked for)."""

from __future__ import annotations

from analysis import allocation, option_tables
from analysis.dataset import Dataset


def explorer(data: Dataset, enabled: bool = True):
    """Sliders for the four weights and the frame level, a strategy and cost level; returns
    the widget (or None when ``enabled`` is False, as in a rendered report)."""
    if not enabled:
        return None
    import ipywidgets as widgets
    from IPython.display import display

    weights = [
        widgets.FloatSlider(value=1.0, min=0.0, max=5.0, step=0.5, description=label)
        for label in ("Tilgængelighed", "Aflastning", "Forenkling", "Skalering")
    ]
    scale = widgets.FloatSlider(value=1.0, min=0.5, max=1.5, step=0.05, description="Rammeniveau", readout_format=".0%")
    strategy = widgets.Dropdown(
        options=[(label, key) for key, label in allocation.STRATEGY_LABELS.items()],
        value="max-potential",
        description="Strategi",
    )
    level = widgets.Dropdown(
        options=[(v, k) for k, v in allocation.COST_LEVEL_LABELS.items()], value="expected", description="Omkostning"
    )
    carry = widgets.Checkbox(value=True, description="Overfør uforbrugte midler")
    output = widgets.Output()
    box = widgets.VBox([widgets.HBox([widgets.VBox(weights), widgets.VBox([scale, strategy, level, carry])]), output])

    def update(*_):
        options = allocation.Options(
            strategy=strategy.value,
            cost_level=level.value,
            weights=tuple(w.value for w in weights),
            carry_over=carry.value,
            explain=False,
        )
        frame = allocation.with_frame(data.frame, scale.value)
        result = allocation.allocate(data.register, frame, options)
        box.result = result  # the option on show, for tests and for an analyst's own cells
        output.clear_output(wait=True)
        with output:
            display(option_tables.solver_note([result], ["Forslag"]))
            display(option_tables.selected(data.register, result, data.price_year))
            display(option_tables.spending_chart(frame, [result], ["Forslag"], data.price_year))

    for control in (*weights, scale, strategy, level, carry):
        control.observe(update, names="value")
    update()
    return box
