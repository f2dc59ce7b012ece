"""The analyst's workbench in JupyterLab: move the potential weights, each pool's frame level
and the rules, force needs in or out, and see the best option change against a baseline
(the report's main option). It solves on every move, so it sits above the report layer
(which only shows results). The rendered report stays static: the widgets are only built
when asked for.

Settings can be saved as a scenario (``scenarier/<navn>.json``) that ``digiramme allocate
--scenario`` reproduces and ``digiramme report --scenario`` shows beside the standard
options.
"""

from __future__ import annotations

from pathlib import Path
from textwrap import shorten

import pandas as pd

from analysis.inputs import paths
from analysis.inputs.contracts import POOLS
from analysis.inputs.dataset import Dataset
from analysis.inputs.financing_frame import frame_years
from analysis.inputs.parameters import Options, from_mapping
from analysis.inputs.register import need_titles
from analysis.inputs.scenario import Scenario, name_problem, save_new
from analysis.model import runs
from analysis.model.allocation.comparison import scaled_frame
from analysis.model.allocation.result import Result
from analysis.report import allocation_page
from analysis.report import formats as fmt
from analysis.report import vocabulary as words
from analysis.report.blocks import Table, Text


def changes_against(
    register: pd.DataFrame,
    baseline: Result,
    option: Result,
    price_year: int,
    against: str = "grundforslaget (rapportens hovedforslag)",
) -> Table:
    """Which needs enter, leave or move start year against the baseline, in a stable order
    (the register's), with the change in value, spending and what is not udmøntet."""
    titles = need_titles(register)
    rows = []
    for need_id in register["id"]:
        before, now = baseline.selected.get(need_id), option.selected.get(need_id)
        if before == now:
            continue
        change = "kommer med" if before is None else "falder ud" if now is None else "flytter start"
        rows.append(
            {
                "Id": need_id,
                "Behov": titles[need_id],
                "Ændring": change,
                "Start i grundlaget": fmt.DASH if before is None else str(before),
                "Start nu": fmt.DASH if now is None else str(now),
            }
        )
    table = pd.DataFrame(rows, columns=["Id", "Behov", "Ændring", "Start i grundlaget", "Start nu"])
    lines = []
    if option.has_option and baseline.has_option:
        spent_now, spent_before = option.spending().sum(), baseline.spending().sum()
        left_now, left_before = option.unspent_total(), baseline.unspent_total()
        lines = [
            f"{words.POOL_LABELS[p]}: udmøntet {fmt.tkr(spent_now[p] - spent_before[p])}, endnu ikke udmøntet "
            f"{fmt.tkr(left_now[p] - left_before[p])}"
            for p in POOLS
        ]
    value = ""
    same_rules = (
        option.options.strategy == baseline.options.strategy and option.options.weights == baseline.options.weights
    )
    if lines and same_rules and option.objective is not None and baseline.objective is not None:
        # values are only comparable under the same strategy and weights
        value = f" Værdi efter egne kriterier: {fmt.number(option.objective - baseline.objective, 2)}."
    note = f"Ændring mod {against}.{value} Beløb i 1.000 kr.: " + "; ".join(lines) + "." if lines else ""
    return Table(table, caption="Behov, der kommer med, falder ud eller flytter start", unit="", note=note)


def explorer(
    data: Dataset,
    enabled: bool = True,
    plan_year: int | None = None,
    options: Options | None = None,
    baseline: Result | None = None,
):
    """The workbench: sliders and choices for an option, starting from ``options`` (the
    notebook's parameters), compared with ``baseline``; returns the widget (None when
    ``enabled`` is False, as in a rendered report). Every option respects the plan year's
    started investments, as the report's options do."""
    if not enabled:
        return None
    import ipywidgets as widgets
    from IPython.display import display

    start = options or Options(plan_year=plan_year)
    label_style = {"description_width": "9rem"}
    layout = widgets.Layout(width="24rem")
    weights = [
        widgets.FloatSlider(
            value=float(w),
            min=0.0,
            max=5.0,
            step=0.5,
            description=label,
            style=label_style,
            layout=layout,
            readout=False,  # ipywidgets' readout (d3-format) reads 1.5; a Danish one is shown beside it
        )
        for w, label in zip(start.weights, words.POTENTIAL_LABELS.values(), strict=True)
    ]

    def frame_slider(description: str):
        """A frame level from 50 % to 150 % (read out in Danish beside it)."""
        return widgets.FloatSlider(
            value=1.0,
            min=0.5,
            max=1.5,
            step=0.05,
            description=description,
            readout=False,
            style=label_style,
            layout=layout,
        )

    scales = {pool: frame_slider(f"Ramme, {words.POOL_LABELS[pool].lower()}") for pool in POOLS}
    # Per year, within each pool's level: 100 % leaves the year as the pool's slider says.
    years = frame_years(data.frame)
    year_scales = {(pool, year): frame_slider(f"{words.POOL_LABELS[pool]} {year}") for pool in POOLS for year in years}
    time_preference = widgets.FloatSlider(
        value=float(start.time_preference),
        min=0.0,
        max=0.10,
        step=0.005,
        description="Tidspræference",
        readout=False,
        style=label_style,
        layout=layout,
    )
    strategy = widgets.Dropdown(
        options=[(label, key) for key, label in words.STRATEGY_LABELS.items()],
        value=start.strategy,
        description="Strategi",
        style=label_style,
        layout=layout,
    )
    level = widgets.Dropdown(
        options=[(v, k) for k, v in words.COST_LEVEL_LABELS.items()],
        value=start.cost_level,
        description="Omkostning",
        style=label_style,
        layout=layout,
    )
    # indented by the labels' width, so the box lines up under the dropdowns above it
    carry = widgets.Checkbox(
        value=start.carry_over,
        description="Planlagt overførsel (følsomhed)",
        indent=True,
        style=label_style,
        layout=layout,
    )
    ids = list(data.register["id"])
    titles = need_titles(data.register)
    # "AI-01 – Sikker brug af AI: kompetence…": the id first (what scenarios hold), then enough title to know it
    choices = [(f"{i} – " + shorten(titles[i], 42, placeholder=" …"), i) for i in ids]
    list_layout = widgets.Layout(width="30rem")
    force_in = widgets.SelectMultiple(
        options=choices,
        value=tuple(i for i in start.force_in if i in ids),
        description="Skal med",
        style=label_style,
        layout=list_layout,
        rows=6,
    )
    force_out = widgets.SelectMultiple(
        options=choices,
        value=tuple(i for i in start.force_out if i in ids),
        description="Må ikke med",
        style=label_style,
        layout=list_layout,
        rows=6,
    )
    name = widgets.Text(value="", placeholder="fx Mere anlæg", description="Scenarie", style=label_style)
    save = widgets.Button(
        description="Gem scenarie",
        tooltip="Gem indstillingerne i scenarier/<navn>.json",
        layout=widgets.Layout(width="auto"),
    )
    saved = widgets.Label(value="")
    wide = widgets.Layout(width="auto")
    pin = widgets.Button(
        description="Fastgør som grundlag",
        tooltip="Sammenlign de næste ændringer med forslaget, der vises nu",
        layout=wide,
    )
    unpin = widgets.Button(
        description="Tilbage til hovedforslaget", tooltip="Sammenlign med rapportens hovedforslag", layout=wide
    )
    compared = widgets.Label(value="Sammenlignes med: rapportens hovedforslag" if baseline is not None else "")
    state = {"baseline": baseline}
    output = widgets.Output()

    def with_readout(slider, show):
        """The slider with its value in Danish (``1,5``, ``100 %``), kept up to date."""
        readout = widgets.Label(value=show(slider.value))
        slider.observe(lambda change: setattr(readout, "value", show(change["new"])), names="value")
        slider.readout_label = readout
        return widgets.HBox([slider, readout])

    def weight_text(value):
        return fmt.number(value, 1)

    def rate_text(value):
        return fmt.percent(value, 1) + " pr. år"

    per_year = widgets.Accordion(
        children=[
            widgets.HBox(
                [widgets.VBox([with_readout(year_scales[pool, year], fmt.percent) for year in years]) for pool in POOLS]
            )
        ],
        selected_index=None,
    )
    per_year.set_title(0, "Ramme pr. år (i forhold til styringsområdets niveau)")
    box = widgets.VBox(
        [
            widgets.HBox(
                [
                    widgets.VBox([with_readout(w, weight_text) for w in weights]),
                    widgets.VBox(
                        [
                            *(with_readout(s, fmt.percent) for s in scales.values()),
                            with_readout(time_preference, rate_text),
                            strategy,
                            level,
                            carry,
                        ]
                    ),
                ]
            ),
            per_year,
            widgets.HBox([force_in, force_out]),
            widgets.HBox([name, save, saved]),
            widgets.HBox([pin, unpin, compared]) if baseline is not None else widgets.HBox([pin, compared]),
            output,
        ]
    )
    # The controls by name, for tests and for an analyst's own cells.
    box.weights, box.scales, box.strategy, box.level, box.carry = weights, scales, strategy, level, carry
    box.force_in, box.force_out, box.name = force_in, force_out, name
    box.year_scales, box.time_preference = year_scales, time_preference

    def chosen() -> dict:
        """The settings the controls show, by parameter."""
        return {
            "strategy": strategy.value,
            "cost_level": level.value,
            "weights": tuple(w.value for w in weights),
            "time_preference": time_preference.value,
            "carry_over": carry.value,
            "force_in": tuple(force_in.value),
            "force_out": tuple(force_out.value),
        }

    def current() -> Options:
        # why-not explanations within a short budget: sliders stay responsive
        base = start.changed(
            explain=True,
            explain_time_limit=1.0,
            plan_year=start.plan_year if start.plan_year is not None else plan_year,
        )
        return from_mapping(Options, chosen(), base)

    def frame_scales() -> dict:
        """Each pool's factor, or its factor per year when a year's slider has moved."""
        scales_now = {}
        for pool, slider in scales.items():
            by_year = {str(year): year_scales[pool, year].value for year in years}
            if all(v == 1.0 for v in by_year.values()):
                scales_now[pool] = slider.value
            else:
                scales_now[pool] = {year: round(slider.value * v, 6) for year, v in by_year.items()}
        return scales_now

    def update(*_):
        for w in weights:  # only max-potential chooses by the weights
            w.disabled = strategy.value != "max-potential"
        scales_now = frame_scales()
        frame = scaled_frame(data.frame, scales_now)
        try:
            result = runs.allocate_option(data, current(), scales_now)
        except ValueError as exc:  # a demand the options refuse, e.g. a need forced both ways
            output.clear_output(wait=True)
            with output:
                display(Text([str(exc)], kind="warning"))
            return
        box.result = result  # the option on show, for tests and for an analyst's own cells
        output.clear_output(wait=True)
        with output:
            if not result.has_option:
                display(Text([words.result_message(result) or "Ingen løsning opfylder kravene."], kind="warning"))
                return
            if not result.selected:
                display(Text(["Intet behov kan finansieres med disse indstillinger."], kind="warning"))
            display(Text([f"Status: {words.status_text(result)}."]))
            if state["baseline"] is not None:
                box.changes = changes_against(data.register, state["baseline"], result, data.price_year, state["label"])
                display(box.changes)
            display(allocation_page.selected(data.register, result, data.price_year))
            display(allocation_page.explanations(data.register, result))
            display(allocation_page.spending_chart(frame, [result], ["Forslag"], data.price_year))

    def settings() -> Scenario:
        """The workbench's settings as a scenario (see analysis.inputs.scenario)."""
        options_now = current()
        chosen_now = {key: getattr(options_now, key) for key in chosen()}
        if options_now.plan_year:
            chosen_now["plan_year"] = options_now.plan_year
        return Scenario(name=name.value.strip() or "Scenarie", settings=chosen_now, frame_scale=frame_scales())

    def save_scenario(folder=None) -> Path | None:
        """Write the settings to scenarier/<navn>.json and return the file. A file of that
        name the workbench did not save itself is kept: the scenario gets the next free
        name (<navn>-2.json), and the label says so. A name the reader would refuse is not
        saved (None)."""
        scenario = settings()
        problem = name_problem(name.value)
        if problem and name.value.strip():
            saved.value = f"Ikke gemt: {problem}"
            return None
        target, renamed = save_new(Path(folder or paths.SCENARIO_DIR), scenario, state.setdefault("own", set()))
        saved.value = f"Gemt: {target}" + (
            f" (der fandtes allerede en fil med navnet {target.stem.rsplit('-', 1)[0]}.json; den er uændret)"
            if renamed
            else ""
        )
        return target

    def set_scale(value: float) -> None:
        """Move both pools' frame level at once."""
        for slider in scales.values():
            slider.value = value

    def pin_current(*_) -> None:
        """Compare the next moves with the option on show."""
        if getattr(box, "result", None) is not None and box.result.has_option:
            state["baseline"], state["label"] = box.result, "det fastgjorte forslag"
            compared.value = "Sammenlignes med: det fastgjorte forslag"
            update()

    def unpin_current(*_) -> None:
        state["baseline"], state["label"] = baseline, "grundforslaget (rapportens hovedforslag)"
        compared.value = "Sammenlignes med: rapportens hovedforslag"
        update()

    state["label"] = "grundforslaget (rapportens hovedforslag)"
    box.settings, box.save_scenario, box.set_scale = settings, save_scenario, set_scale
    box.pin, box.unpin = pin_current, unpin_current
    save.on_click(lambda _button: save_scenario())
    pin.on_click(pin_current)
    unpin.on_click(unpin_current)
    controls = (*weights, *scales.values(), *year_scales.values(), time_preference, strategy, level, carry)
    for control in (*controls, force_in, force_out):
        control.observe(update, names="value")
    update()
    return box
