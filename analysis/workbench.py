"""Interactive exploration in JupyterLab: move the potential weights and the frame level
and see the best option change. It solves on every move, so it sits above the report
layer (which only shows results). The rendered report stays static: the widgets are
only built when asked for."""

from __future__ import annotations

import re
from pathlib import Path

from analysis.inputs import paths
from analysis.inputs.dataset import Dataset
from analysis.inputs.scenario import write_scenario
from analysis.model.allocation import Options, allocate
from analysis.model.allocation.problem import with_frame
from analysis.report import allocation_page
from analysis.report.vocabulary import COST_LEVEL_LABELS, POTENTIAL_LABELS, STRATEGY_LABELS


def explorer(data: Dataset, enabled: bool = True, commitments=None, plan_year: int | None = None):
    """Sliders for the four weights and the frame level, a strategy and cost level; returns
    the widget (or None when ``enabled`` is False, as in a rendered report). With
    ``commitments`` the options respect the plan year's started investments."""
    if not enabled:
        return None
    import ipywidgets as widgets
    from IPython.display import display

    weights = [
        widgets.FloatSlider(value=1.0, min=0.0, max=5.0, step=0.5, description=label)
        for label in POTENTIAL_LABELS.values()
    ]
    scale = widgets.FloatSlider(value=1.0, min=0.5, max=1.5, step=0.05, description="Rammeniveau", readout_format=".0%")
    strategy = widgets.Dropdown(
        options=[(label, key) for key, label in STRATEGY_LABELS.items()],
        value="max-potential",
        description="Strategi",
    )
    level = widgets.Dropdown(
        options=[(v, k) for k, v in COST_LEVEL_LABELS.items()], value="expected", description="Omkostning"
    )
    carry = widgets.Checkbox(value=Options().carry_over, description="Planlagt overførsel (følsomhed)")
    name = widgets.Text(value="", placeholder="fx Mere anlæg", description="Scenarie")
    save = widgets.Button(description="Gem scenarie", tooltip="Gem indstillingerne i scenarier/<navn>.json")
    saved = widgets.Label(value="")
    output = widgets.Output()
    box = widgets.VBox(
        [
            widgets.HBox([widgets.VBox(weights), widgets.VBox([scale, strategy, level, carry])]),
            widgets.HBox([name, save, saved]),
            output,
        ]
    )

    def settings() -> dict:
        """The explorer's settings as a scenario (see analysis.inputs.scenario)."""
        return {
            "navn": name.value.strip() or "Scenarie",
            "strategy": strategy.value,
            "cost_level": level.value,
            "weights": [w.value for w in weights],
            "time_preference": Options().time_preference,
            "carry_over": carry.value,
            "frame_scale": {"service": scale.value, "anlæg": scale.value},
            **({"plan_year": plan_year} if plan_year else {}),
        }

    def save_scenario(folder=None) -> Path:
        """Write the settings to scenarier/<navn>.json; returns the file."""
        settings_now = settings()
        slug = re.sub(r"[^\w-]+", "-", settings_now["navn"].lower()).strip("-") or "scenarie"
        target = write_scenario(Path(folder or paths.ROOT / "scenarier") / f"{slug}.json", settings_now)
        saved.value = f"Gemt: {target}"
        return target

    box.settings, box.save_scenario = settings, save_scenario
    save.on_click(lambda _button: save_scenario())

    def update(*_):
        options = Options(
            strategy=strategy.value,
            cost_level=level.value,
            weights=tuple(w.value for w in weights),
            carry_over=carry.value,
            explain=False,
            plan_year=plan_year,
        )
        frame = with_frame(data.frame, scale.value)
        result = allocate(data.register, frame, options, commitments)
        box.result = result  # the option on show, for tests and for an analyst's own cells
        output.clear_output(wait=True)
        with output:
            display(allocation_page.solver_note([result], ["Forslag"]))
            display(allocation_page.selected(data.register, result, data.price_year))
            display(allocation_page.spending_chart(frame, [result], ["Forslag"], data.price_year))

    for control in (*weights, scale, strategy, level, carry):
        control.observe(update, names="value")
    update()
    return box
