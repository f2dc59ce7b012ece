"""The analyst's workbench in JupyterLab: move the potential weights, each pool's frame level
and the rules, force needs in or out, and see the best option change against a baseline
(the report's main option). It solves on every move, so it sits above the report layer
(which only shows results). The rendered report stays static: the widgets are only built
when asked for.

Settings can be saved as a scenario (``scenarier/<slug>.json``, with a name and a
description) that ``digiramme allocate --scenario`` reproduces and ``digiramme report
--scenario`` shows beside the standard options, loaded back, and compared side by side.
Every deviation from the main option is said in words (:mod:`analysis.report.deviations`),
the same words the report uses.
"""

from __future__ import annotations

import html
import threading
from pathlib import Path
from textwrap import shorten

from analysis.inputs import paths
from analysis.inputs.cells import parse_amount
from analysis.inputs.contracts import POOLS
from analysis.inputs.dataset import Dataset
from analysis.inputs.financing_frame import frame_years
from analysis.inputs.parameters import Options, from_mapping
from analysis.inputs.register import need_titles
from analysis.inputs.scenario import (
    Scenario,
    load_scenario,
    name_problem,
    save_target,
    scenario_files,
    slug,
    write_scenario,
)
from analysis.model.allocation.comparison import measures, scaled_frame
from analysis.model.allocation.result import Result
from analysis.model.allocation.types import Status
from analysis.model.state import EventState
from analysis.proof import FIRST_ANSWER_SECONDS, Proof
from analysis.proof import show as put
from analysis.report import allocation_page, whatif
from analysis.report import formats as fmt
from analysis.report import vocabulary as words
from analysis.report.blocks import Text
from analysis.report.deviations import deviations, override_lines, smallest_change

# What each control does, for its help text (shown on hover and read by screen readers)
POTENTIAL_HELP = {
    "potentiale_tilgaengelighed": "Tilgængelighed: bedre adgang for borgere og virksomheder",
    "potentiale_aflastning": "Aflastning: administrativ tid flyttet til borgernære opgaver",
    "potentiale_forenkling": "Forenkling: enklere og mere effektiv administration",
    "potentiale_skalering": "Skalering: teknologi, der kan bruges bredt og genbruges",
}
TIME_PREFERENCE_HELP = (
    "Tidspræference: hvor meget mere et behov er værd for hvert år, det starter tidligere "
    "(3,0 % pr. år: et år tidligere er 3 % mere værd); 0 er tilladt"
)
CSS = """
<style>
.dr-wb { max-width: 100%; }
.dr-wb .widget-label, .dr-wb .widget-html { overflow: visible; }
.dr-wb .dr-unit { margin-left: 4px; }
.dr-wb .dr-amount { align-items: center; }
.dr-wb .dr-sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%);
  white-space: nowrap; }
.dr-wb .dr-off, .dr-wb .dr-off * { color: var(--jp-ui-font-color3, #8a8a8a) !important; }
.dr-wb select[multiple] option:checked {
  background: #1a5fb4 linear-gradient(0deg, #1a5fb4 0%, #1a5fb4 100%); color: #fff; }
.dr-wb .dr-status { font-weight: 600; min-height: 1.6em; flex: 1 1 auto; }
.dr-wb .dr-busy { color: #8a4b00; }
.dr-wb.dr-calculating .dr-results { opacity: 0.45; }
.dr-wb .dr-results table { font-size: 12px; }
.dr-wb .dr-figures table th, .dr-wb .dr-figures table td { padding: 2px 4px; font-size: 11.5px; }
.dr-wb .dr-figures .table-note, .dr-wb .dr-figures figcaption { font-size: 11.5px; }
.dr-wb .dr-summary { background: #f4f6f9; border-left: 4px solid #1a5fb4; padding: 2px 8px; }
.dr-wb .dr-summary ul { margin: 2px 0 2px 1.2em; padding: 0; }
.dr-wb .dr-figures img { max-width: 100%; }
.dr-wb .dr-results .dr-text.warning { font-size: 12px; line-height: 1.35; padding: 4px 8px; margin: 2px 0; }
.dr-wb .dr-results .dr-text.warning p { margin: 0; }
.dr-wb .dr-ask { line-height: 1.35; white-space: normal; color: #8a4b00; }
.dr-wb .jupyter-button { min-width: max-content; }
.dr-wb .dr-help { color: var(--jp-ui-font-color2, #555); font-size: 12px; }
</style>
"""
UNDO_DEPTH = 50


def _close(a, b) -> bool:
    """Two values of a stepped control are the same step (0,9 − 0,05 is the step 0,85)."""
    return a is not None and b is not None and abs(float(a) - float(b)) < 1e-9


def decimals(value: float, least: int, most: int = 3) -> int:
    """The decimals ``value`` needs, at least ``least``: 1,5 → 1; 1,25 → 2 (at most ``most``)."""
    for places in range(least, most):
        if abs(round(value, places) - value) < 1e-9:
            return places
    return most


def include(control, value: float) -> None:
    """Make ``value`` one of a stepped control's choices, labelled as its steps are (a typed
    amount or a loaded scenario can fall between two steps), keeping the value it has. Its
    options change through their first one, so the caller holds the workbench's observers."""
    values = [v for _label, v in control.options]
    if any(_close(v, value) for v in values):
        return
    current = control.value
    with control.hold_sync():  # one message to the browser: the new options and the same choice
        control.options = [(control.show(v), v) for v in sorted([*values, float(value)])]
        control.value = current


def relabel(control) -> None:
    """Label a stepped control's choices anew (a pool's amounts follow its years), keeping
    its value; the caller holds the workbench's observers, as for :func:`include`."""
    labels = [control.show(v) for _label, v in control.options]
    if labels == [label for label, _v in control.options]:
        return
    current = control.value
    with control.hold_sync():
        control.options = list(zip(labels, [v for _label, v in control.options], strict=True))
        control.value = current


def _no_null_titles(widget) -> None:
    """ipywidgets writes a missing tooltip as title="null" on a widget's label; give every
    widget below ``widget`` a tooltip (its description, or nothing), and put the help of a
    field with a label on the label, where ipywidgets leaves it out."""
    from ipywidgets.widgets.widget_description import DescriptionWidget

    kind = type(widget).__name__
    if (
        kind in ("Dropdown", "Text", "Textarea", "FloatText", "SelectMultiple")
        and widget.description
        and widget.tooltip
    ):
        # these show no tooltip on their label: the help goes into the label itself
        said = widget.description if widget.description_allow_html else html.escape(widget.description)
        widget.description_allow_html = True
        widget.description = f'<span title="{html.escape(widget.tooltip)}">{said}</span>'
    # the widgets with a label (a container such as Tab holds no text tooltip)
    if isinstance(widget, DescriptionWidget) and widget.tooltip is None:
        widget.tooltip = widget.description or ""
    for child in getattr(widget, "children", ()):
        _no_null_titles(child)


def explorer(
    source: Dataset | EventState,
    enabled: bool = True,
    plan_year: int | None = None,
    options: Options | None = None,
    baseline: Result | None = None,
    folder: str | Path | None = None,
    first_answer: float = FIRST_ANSWER_SECONDS,
):
    """The workbench: lists of Danish steps and choices for an option, starting from ``options`` (the
    notebook's parameters), compared with ``baseline``; returns the widget (None when
    ``enabled`` is False, as in a rendered report). Every option respects the plan year's
    started investments, as the report's options do. Scenarios are saved to and loaded
    from ``folder`` (default: ``scenarier/``, or the folder ``DIGIRAMME_SCENARIER`` names).

    Beside the controls it shows the key figures per styringsområde and year and a chart of
    the option against the baseline; above them every deviation from the main option, and
    what is forced, by title. A move that has no solution keeps the last result that had
    one on screen, under a notice saying why and what would make it feasible.

    A move answers within ``first_answer`` seconds with the best plan found; one not yet
    proven the best says so, with its gap, until the proof in the background replaces it
    (``box.wait()`` waits for that)."""
    if not enabled:
        return None
    import ipywidgets as widgets
    from IPython.display import display

    if isinstance(source, EventState):  # a report's state: its plan year, rules and main option
        planner = source
        plan_year = plan_year if plan_year is not None else source.plan_year
        options = options or source.allocation.base
        baseline = baseline if baseline is not None else source.main
    else:
        planner = EventState.for_plan(source, options or Options(plan_year=plan_year))
    data = planner.data
    folder = Path(folder or paths.SCENARIO_DIR)
    start = options or Options(plan_year=plan_year)
    main_options = baseline.options if baseline is not None else start
    label_style = {"description_width": "7rem"}
    years = frame_years(data.frame)
    standard = data.frame.set_index(["styringsomraade", "aar"])["beloeb"]
    ids = list(data.register["id"])
    titles = need_titles(data.register)

    def stepped(value, low, high, step, description, tooltip, show, width):
        """A value chosen among steps from ``low`` to ``high``, each labelled in Danish by
        ``show`` (``1,5``, ``90 % · 99 mio. kr.``). A select, not a slider: a screen reader
        says its chosen label, where ipywidgets' slider says 1.5 (its aria-valuetext) and
        has no name. A value between the steps (typed, or loaded) becomes a choice of its own."""
        steps = [round(low + k * step, 6) for k in range(round((high - low) / step) + 1)]
        control = widgets.Dropdown(
            options=[(show(v), v) for v in steps],
            value=steps[0],
            equals=_close,  # 0,9 − 0,05 is the step 0,85
            description=description,
            tooltip=tooltip,
            style=label_style,
            layout=widgets.Layout(width=width),
        )
        control.show, control.low, control.high = show, low, high
        include(control, value)
        control.value = value
        return control

    def weight_text(value):
        return fmt.number(value, decimals(value, 1))

    def rate_text(value):
        return fmt.percent(value, decimals(value * 100, 1)) + " pr. år"

    def percent_text(value):
        return fmt.percent(value, decimals(value * 100, 0, 1))

    def pool_text(pool):
        def show(value):
            total = sum(float(standard.get((pool, y), 0.0)) * value * year_scales[pool, y].value for y in years)
            return f"{percent_text(value)} · {fmt.mio(total)}"

        return show

    weights = [
        stepped(float(w), 0.0, 5.0, 0.5, label, f"Vægten på {POTENTIAL_HELP[key].lower()} (0–5)", weight_text, "12rem")
        for w, (key, label) in zip(start.weights, words.POTENTIAL_LABELS.items(), strict=True)
    ]
    # Per year, within each pool's level: 100 % leaves the year as the pool's level says.
    year_scales = {
        (pool, year): stepped(
            1.0,
            0.0,
            3.0,
            0.05,
            f"{words.POOL_LABELS[pool]} {year}",
            f"{words.POOL_FRAMES[pool].capitalize()} i {year} i procent af styringsområdets niveau",
            percent_text,
            "13rem",
        )
        for pool in POOLS
        for year in years
    }
    # Each pool's level, each step with the amount it gives over all years
    scales = {
        pool: stepped(
            1.0,
            0.5,
            1.5,
            0.05,
            f"Ramme, {words.POOL_LABELS[pool].lower()}",
            f"Hele {words.POOL_FRAMES[pool]} i procent af den vedtagne (alle år) og beløbet over årene",
            pool_text(pool),
            "19rem",
        )
        for pool in POOLS
    }
    # The same year's frame typed in mio. kr. (Danish: 12,5): it sets the year's level to match
    amounts = {
        (pool, year): widgets.Text(
            value="",
            continuous_update=False,  # read when the analyst presses Enter or leaves the field
            # its name for a screen reader; the eye sees the row's label and "mio. kr." after the field
            description=f"<span class='dr-sr'>{words.POOL_FRAMES[pool].capitalize()} i {year} i mio. kr.</span>",
            description_allow_html=True,
            style={"description_width": "0"},
            tooltip=f"{words.POOL_FRAMES[pool].capitalize()} i {year} i mio. kr.; skriv et beløb, fx 12,5",
            layout=widgets.Layout(width="5.5rem"),
            disabled=float(standard.get((pool, year), 0.0)) == 0,
        )
        for pool in POOLS
        for year in years
    }
    for field in amounts.values():
        field.add_class("dr-amount")  # its label holds no visible text: centred, not on the label's baseline
    frame_note = widgets.HTML(value="")
    time_preference = stepped(
        float(start.time_preference), 0.0, 0.10, 0.005, "Tidspræference", TIME_PREFERENCE_HELP, rate_text, "16rem"
    )
    strategy = widgets.Dropdown(
        options=[(label, key) for key, label in words.STRATEGY_LABELS.items()],
        value=start.strategy,
        description="Strategi",
        tooltip=(
            "Hvad forslaget vælger efter: potentiale (med vægtene), gevinst, nutidsværdi eller en antaget rækkefølge"
        ),
        style=label_style,
        layout=widgets.Layout(width="25.5rem"),
    )
    level = widgets.Dropdown(
        options=[(v, k) for k, v in words.COST_LEVEL_LABELS.items()],
        value=start.cost_level,
        description="Omkostning",
        tooltip="Hvilken omkostning behovene planlægges med: minimum, forventet eller maksimum",
        style=label_style,
        layout=widgets.Layout(width="19rem"),
    )
    # indented by the labels' width, so the box lines up under the dropdowns above it
    carry = widgets.Checkbox(
        value=start.carry_over,
        description="Planlagt overførsel (følsomhed)",
        tooltip=(
            "Planlæg med overførsel af uforbrugte midler til senere år (en følsomhed; ØU beslutter overførsler i OFS)"
        ),
        indent=True,
        style=label_style,
        layout=widgets.Layout(width="24rem"),
    )
    # "AI-01 – Sikker brug af AI: kompetence…": the id first (what scenarios hold), then enough title to know it
    choices = [(f"{i} – " + shorten(titles[i], 40, placeholder=" …"), i) for i in ids]
    list_layout = widgets.Layout(width="25.5rem")
    half = widgets.Layout(width="12rem")
    force_in = widgets.SelectMultiple(
        options=choices,
        value=tuple(i for i in start.force_in if i in ids),
        tooltip="Skal med: behov, der skal med i forslaget (Ctrl-klik for flere)",
        layout=half,
        rows=min(len(ids), 8),
    )
    force_out = widgets.SelectMultiple(
        options=choices,
        value=tuple(i for i in start.force_out if i in ids),
        tooltip="Må ikke med: behov, der ikke må komme med (Ctrl-klik for flere)",
        layout=half,
        rows=min(len(ids), 8),
    )
    # One need's cost or start year changed for this option (saved in the scenario)
    override_need = widgets.Dropdown(
        options=choices,
        description="Behov",
        tooltip="Behovet, hvis omkostning eller startår ændres",
        style=label_style,
        layout=list_layout,
    )
    override_cost = widgets.Text(
        value="",
        placeholder="som i registeret",
        continuous_update=False,
        description="Omkostning",
        tooltip=(
            "Behovets omkostning i mio. kr. i alt (fx 6,5), også uden for registerets spænd; tomt: som i registeret"
        ),
        style=label_style,
        layout=widgets.Layout(width="16rem"),
    )
    override_note = widgets.HTML(value="")
    override_start = widgets.Dropdown(
        options=[("som i registeret", 0), *((str(y), y) for y in years)],
        value=0,
        description="Startår",
        tooltip="Behovets startår; som i registeret: inden for dets tidligste og seneste start",
        style=label_style,
        layout=widgets.Layout(width="16rem"),
    )
    override_set = widgets.Button(description="Sæt for behovet", tooltip="Brug omkostningen og startåret")
    override_clear = widgets.Button(description="Som i registeret", tooltip="Fjern ændringen for behovet")
    override_list = widgets.HTML(value="")
    name = widgets.Text(
        value="",
        placeholder="fx Mere anlæg",
        description="Navn",
        tooltip="Scenariets navn; filen får navnet uden æ, ø og å (Mere anlæg: mere-anlaeg.json)",
        style=label_style,
        layout=widgets.Layout(width="24rem"),
    )
    description = widgets.Textarea(
        value="",
        placeholder="Hvad scenariet undersøger, fx Fuld 5G med 50 % mere anlæg i 2027",
        description="Beskrivelse",
        tooltip="Hvad scenariet undersøger; vises i rapporten",
        style=label_style,
        layout=widgets.Layout(width="25.5rem", height="4rem"),
    )
    save = widgets.Button(
        description="Gem scenarie",
        tooltip="Gem indstillingerne i scenarier/<navn>.json (spørger, før en fil erstattes)",
        layout=widgets.Layout(width="auto"),
    )
    saved = widgets.Label(value="")
    confirm_text = widgets.HTML(value="")
    confirm_yes = widgets.Button(description="Gem alligevel", button_style="warning", tooltip="Gem som beskrevet")
    confirm_no = widgets.Button(description="Fortryd", tooltip="Gem ikke")
    confirm = widgets.VBox([confirm_text, widgets.HBox([confirm_yes, confirm_no])])
    confirm.layout.display = "none"
    files = widgets.Dropdown(
        options=[],
        description="Gemt scenarie",
        tooltip="Et scenarie i mappen scenarier",
        style=label_style,
        layout=widgets.Layout(width="24rem"),
    )
    load = widgets.Button(description="Indlæs", tooltip="Sæt arbejdsbænkens indstillinger til scenariets")
    load_note = widgets.Label(value="")
    compare_files = widgets.SelectMultiple(
        options=[],
        description="Sammenlign",
        tooltip="Gemte scenarier, der vises side om side (Ctrl-klik for flere)",
        style=label_style,
        layout=widgets.Layout(width="25.5rem"),
        rows=4,
    )
    compare = widgets.Button(
        description="Vis side om side", tooltip="Beregn de valgte scenarier og vis dem side om side"
    )
    compare_out = widgets.Output()
    wide = widgets.Layout(width="auto")
    undo = widgets.Button(description="Fortryd", icon="undo", tooltip="Fortryd den seneste ændring", layout=wide)
    reset = widgets.Button(
        description="Nulstil",
        icon="refresh",
        tooltip="Sæt alle indstillinger tilbage til hovedforslagets (notebookens parametre)",
        layout=wide,
    )
    pin = widgets.Button(
        description="Fastgør som grundlag",
        icon="thumb-tack",
        tooltip="Sammenlign de næste ændringer med forslaget, der vises nu",
        layout=wide,
    )
    unpin = widgets.Button(
        description="Tilbage til hovedforslaget", tooltip="Sammenlign med rapportens hovedforslag", layout=wide
    )
    compared = widgets.HTML(value="")
    status = widgets.HTML(value="")
    status.add_class("dr-status")
    notice = widgets.Output()
    summary = widgets.HTML(value="")
    summary.add_class("dr-summary")
    figures = widgets.Output()
    figures.add_class("dr-figures")
    output = widgets.Output()
    state = {
        "baseline": baseline,
        "label": "grundforslaget (rapportens hovedforslag)",
        "pinned": None,  # the settings of a pinned baseline (a Scenario)
        "overrides": {},
        "extra": {},  # a loaded scenario's settings no control shows (release, plan year, …)
        "holding": 0,
        "syncing": False,
        "history": [],
        "last": None,
        "own": set(),
        "saved": None,
        "pending": None,
        "runs": 0,
        "slow": False,  # the last solve needed more than the first answer's time
        "built": False,  # the first solve, in the cell that builds the workbench, is done
    }
    lock = threading.Lock()  # the proof's thread and the controls show results one at a time
    proof = Proof()

    def unit(text: str = "mio. kr."):
        label = widgets.Label(value=text)
        label.add_class("dr-unit")
        return label

    year_rows = {key: widgets.HBox([year_scales[key], amounts[key], unit()]) for key in year_scales}
    help_potentials = widgets.HTML(
        "<div class='dr-help'>Vægte (kun Størst potentiale) på behovenes antagne point 0–5. "
        "Hold musen over en vægt for at se, hvad potentialet dækker.</div>"
    )
    rules_tab = widgets.VBox(
        [
            strategy,
            *weights,
            help_potentials,
            time_preference,
            level,
            carry,
        ]
    )
    frame_tab = widgets.VBox(
        [
            *scales.values(),
            widgets.HTML(
                "<div class='dr-help'>Pr. år: i procent af niveauet ovenfor, eller skriv årets beløb "
                "i mio. kr. i feltet (fx 12,5)</div>"
            ),
            *(year_rows[pool, year] for pool in POOLS for year in years),
            frame_note,
        ]
    )
    needs_tab = widgets.VBox(
        [
            widgets.HBox(
                [
                    widgets.VBox([widgets.HTML("<b>Skal med</b> (Ctrl-klik for flere)"), force_in]),
                    widgets.VBox([widgets.HTML("<b>Må ikke med</b>"), force_out]),
                ]
            ),
            widgets.HTML("<div class='dr-help'>Ændr ét behovs omkostning eller startår i dette forslag:</div>"),
            override_need,
            widgets.HBox([override_cost, unit()]),
            override_start,
            widgets.HBox([override_set, override_clear]),
            override_note,
            override_list,
        ]
    )
    scenario_tab = widgets.VBox(
        [
            name,
            description,
            widgets.HBox([save, saved]),
            confirm,
            widgets.HBox([files, load]),
            load_note,
            compare_files,
            compare,
        ]
    )
    tabs = widgets.Tab(children=[rules_tab, frame_tab, needs_tab, scenario_tab])
    for k, title in enumerate(["Regler", "Ramme", "Behov", "Scenarier"]):
        tabs.set_title(k, title)
    tabs.layout = widgets.Layout(width="27.5rem", min_width="27.5rem", min_height="24rem")
    toolbar = widgets.HBox([pin, unpin] if baseline is not None else [pin])
    undo.layout = reset.layout = widgets.Layout(width="auto", height="1.9rem")
    results = widgets.VBox(
        [widgets.HBox([status, undo, reset]), notice, figures],
        layout=widgets.Layout(flex="1 1 auto", min_width="20rem"),
    )
    results.add_class("dr-results")
    box = widgets.VBox(
        [
            widgets.HTML(CSS),
            widgets.HBox([tabs, results], layout=widgets.Layout(align_items="flex-start")),
            summary,
            widgets.HBox([toolbar, compared]),
            compare_out,
            output,
        ]
    )
    box.add_class("dr-wb")
    output.add_class("dr-results")
    # The controls by name, for tests and for an analyst's own cells.
    box.weights, box.scales, box.strategy, box.level, box.carry = weights, scales, strategy, level, carry
    box.force_in, box.force_out, box.name, box.description = force_in, force_out, name, description
    box.year_scales, box.time_preference, box.amounts, box.tabs = year_scales, time_preference, amounts, tabs
    box.summary, box.status, box.compared, box.saved = summary, status, compared, saved
    box.files, box.compare_files, box.confirm, box.load_note = files, compare_files, confirm, load_note
    controls = (*weights, *scales.values(), *year_scales.values(), time_preference, strategy, level, carry)
    selections = (force_in, force_out)

    # --- settings: what the controls show, as a scenario -------------------------------------

    def chosen() -> dict:
        """The settings the controls show, by parameter."""
        return state["extra"] | {
            "strategy": strategy.value,
            "cost_level": level.value,
            "weights": tuple(w.value for w in weights),
            "time_preference": time_preference.value,
            "carry_over": carry.value,
            "force_in": tuple(force_in.value),
            "force_out": tuple(force_out.value),
        }

    def current() -> Options:
        # why-not explanations within a short budget: the controls stay responsive
        base = start.changed(
            explain=True,
            explain_time_limit=1.0,
            plan_year=start.plan_year if start.plan_year is not None else plan_year,
        )
        return from_mapping(Options, chosen(), base)

    def frame_scales() -> dict:
        """Each pool's factor, or its factor per year when a year's level has moved."""
        scales_now = {}
        for pool, pool_slider in scales.items():
            by_year = {str(year): year_scales[pool, year].value for year in years}
            if all(v == 1.0 for v in by_year.values()):
                scales_now[pool] = pool_slider.value
            else:
                scales_now[pool] = {year: round(pool_slider.value * v, 6) for year, v in by_year.items()}
        return scales_now

    def settings() -> Scenario:
        """The workbench's settings as a scenario (see analysis.inputs.scenario)."""
        options_now = current()
        chosen_now = {key: getattr(options_now, key) for key in chosen()}
        if options_now.plan_year:
            chosen_now["plan_year"] = options_now.plan_year
        return Scenario(
            name=name.value.strip() or "Scenarie",
            description=description.value.strip(),
            settings=chosen_now,
            frame_scale=frame_scales(),
            overrides={k: dict(v) for k, v in state["overrides"].items()},
        )

    def snapshot() -> dict:
        return {
            "values": [c.value for c in (*controls, *selections)],
            "overrides": {k: dict(v) for k, v in state["overrides"].items()},
            "extra": dict(state["extra"]),
        }

    def apply(snap: dict) -> None:
        """Set every control at once (one solve after, not one per control)."""
        state["holding"] += 1
        try:
            for control, value in zip((*controls, *selections), snap["values"], strict=True):
                if hasattr(control, "show"):  # a stepped control: a value between its steps is added
                    include(control, value)
                control.value = value
            state["overrides"] = {k: dict(v) for k, v in snap["overrides"].items()}
            state["extra"] = dict(snap["extra"])
        finally:
            state["holding"] -= 1

    # --- what is shown ---------------------------------------------------------------------

    def needs_text(chosen_ids) -> str:
        return "; ".join(f"{html.escape(titles[i])} ({html.escape(i)})" for i in chosen_ids) or "ingen"

    def show_summary(scenario: Scenario) -> None:
        lines = deviations(main_options, scenario, data.frame, data.register)
        forced = (
            f"<b>Skal med:</b> {needs_text(force_in.value)} &nbsp;·&nbsp; "
            f"<b>Må ikke med:</b> {needs_text(force_out.value)}"
        )
        said = "".join(f"<li>{html.escape(line)}</li>" for line in lines) or "<li>intet – som hovedforslaget</li>"
        summary.value = f"<div>{forced}</div><div><b>Ændret mod hovedforslaget:</b><ul>{said}</ul></div>"
        box.deviations = lines
        override_list.value = (
            "<ul>"
            + "".join(f"<li>{html.escape(line)}</li>" for line in override_lines(data.register, state["overrides"]))
            + "</ul>"
            if state["overrides"]
            else ""
        )

    def show_readouts() -> None:
        state["syncing"] = True
        try:
            for pool in POOLS:  # each level's amount follows the years' levels
                relabel(scales[pool])
            for (pool, year), text in amounts.items():
                amount = float(standard.get((pool, year), 0.0)) * scales[pool].value * year_scales[pool, year].value
                text.value = fmt.mio(amount, 3, unit=False)
            for w in weights:  # only max-potential chooses by the weights
                w.disabled = strategy.value != "max-potential"
                (w.add_class if w.disabled else w.remove_class)("dr-off")
        finally:
            state["syncing"] = False

    def show_saved_state(scenario: Scenario) -> None:
        if state["saved"] is not None and not saved.value.startswith("Ikke gemt"):
            path, kept = state["saved"]
            if scenario.as_dict() != kept:
                saved.value = f"Ændret siden det blev gemt som {path.name}"
            else:
                saved.value = f"Gemt: {path}"

    def update(*_):
        """Solve the settings on show: the best plan found within ``first_answer`` seconds at
        once, and when it is not yet proven the best, the proof in a thread of its own
        (:mod:`analysis.proof`), which a later move stops."""
        if state["holding"]:
            return
        show_readouts()
        scenario = settings()
        show_summary(scenario)
        show_saved_state(scenario)
        with lock:
            proof.stop()  # the proof of an earlier setting is not wanted any more
            state["runs"] += 1  # each solve numbered, so a reader (or a test) knows which one is on screen
            run = state["runs"]
        status.value = "<span class='dr-busy'>Beregner …</span>"
        box.add_class("dr-calculating")
        asked = (current(), frame_scales(), state["overrides"] or None)
        # the cell that builds the workbench solves in full (the analyst waits for the cell
        # anyway, and a first solve in a new kernel also pays HiGHS's start); moves answer fast
        budget = first_answer if state["built"] else asked[0].time_limit
        first = asked[0].changed(time_limit=min(asked[0].time_limit, budget))
        # Where the last solve needed the proof, the plan on show is HiGHS's first solution:
        # a good plan at once, so a first answer cut short is close to the best. Such an
        # answer is always followed by the proof, which starts afresh as allocate does: where
        # plans are worth the same, the one that stays on screen is the command's.
        shown = getattr(box, "shown", None)
        start_from = shown.decided if shown is not None and state["slow"] else None
        try:
            result = planner.option(first, *asked[1:], start=start_from)
            problem = ""
        except ValueError as exc:  # a demand the options refuse, e.g. an id the register lacks
            result, problem = None, str(exc)
        finally:
            box.remove_class("dr-calculating")
        cut_short = result is not None and result.status == Status.TIME_LIMIT
        if start_from is None and result is not None:
            state["slow"] = cut_short
        unproven = cut_short or (start_from is not None and result is not None and result.has_option)
        with lock:
            show_result(result, problem, run, unproven)
            if unproven:
                proof.start(
                    lambda cancel: planner.option(*asked, cancel=cancel),
                    lambda answer: proven(answer, run),
                )

    def proven(answer, run: int) -> None:
        """The proof's answer (in its thread), shown unless the settings have moved on."""
        with lock:
            if state["runs"] != run:
                return
            if isinstance(answer, Exception):
                status.value = (
                    f"<span data-run='{run}'>Beregningen fejlede: {html.escape(type(answer).__name__)}: "
                    f"{html.escape(str(answer))}</span>"
                )
                return
            state["slow"] = answer.solve_time_s > first_answer  # the next first answer starts cold if not
            show_result(answer, "", run, False)

    def show_result(result: Result | None, problem: str, run: int, unproven: bool) -> None:
        box.result = result  # the option just computed (None: refused), for tests and an analyst's own cells
        if unproven and (result is None or not result.has_option):  # no plan yet: the proof goes on
            box.notice_text = "Beregner stadig; tallene nedenfor er det sidste resultat." if state.get("shown") else ""
            put(notice, *([Text([box.notice_text])] if box.notice_text else []))
            status.value = "<span class='dr-busy'>Beregner … (ingen plan fundet endnu)</span>"
            return
        if result is None or not result.has_option:
            reason = problem or words.result_message(result) or "Ingen løsning opfylder kravene."
            fix = "" if result is None else smallest_change(result, data.register)
            kept = " Tallene nedenfor er det sidste resultat, der havde en løsning." if state.get("shown") else ""
            box.notice_text = f"Ingen løsning med disse indstillinger: {reason} {fix}{kept}"
            put(notice, Text([box.notice_text], kind="warning"))
            status.value = f"<span class='dr-busy' data-run='{run}'>Ingen løsning</span>"
            return
        put(notice)
        box.notice_text = ""
        box.shown = result  # the last option with a solution: what the figures show
        state["shown"] = True
        against = state["baseline"]
        put(
            figures,
            whatif.key_figures(result, against, data.price_year),
            whatif.chart(scaled_frame(data.frame, frame_scales()), result, against, data.price_year),
        )
        shown = []
        if not result.selected:
            shown.append(Text(["Intet behov kan finansieres med disse indstillinger."], kind="warning"))
        shown.append(Text([f"Status: {words.status_text(result)}."]))
        if against is not None:
            box.changes = whatif.changes_against(data.register, against, result, data.price_year, state["label"])
            shown.append(box.changes)
        shown.append(allocation_page.selected(data.register, result, data.price_year))
        shown.append(allocation_page.explanations(data.register, result))
        put(output, *shown)
        if unproven:
            gap = fmt.percent(result.mip_gap, 1) if result.mip_gap is not None else "ukendt"
            seconds = f"{first_answer:g}".replace(".", ",")
            status.value = (
                f"<span class='dr-busy dr-unproven' title='Den bedste plan fundet på {seconds} s. Den plan, "
                f"der er bevist bedst, afløser den, når beregningen er færdig.'>Foreløbigt: højst {gap} fra "
                "den bedst mulige – beregner videre …</span>"
            )
        else:
            status.value = f"<span data-run='{run}'>Beregnet ✓</span>"

    def changed(*_):
        """A control moved: remember the settings before, for undo, and solve."""
        if state["holding"] or state["syncing"]:
            return
        now = snapshot()
        if state["last"] is not None and state["last"] != now:
            state["history"] = [*state["history"], state["last"]][-UNDO_DEPTH:]
        state["last"] = now
        update()

    def move_to(snap: dict, remember: bool = True) -> None:
        before = snapshot()
        if remember and before != snap:
            state["history"] = [*state["history"], before][-UNDO_DEPTH:]
        apply(snap)
        state["last"] = snapshot()
        update()

    # --- the buttons ---------------------------------------------------------------------

    def undo_last(*_) -> None:
        """Back to the settings before the last change."""
        if state["history"]:
            previous = state["history"][-1]
            state["history"] = state["history"][:-1]
            move_to(previous, remember=False)

    def reset_all(*_) -> None:
        """Every setting back to the main option's (the notebook's parameters); undoable."""
        move_to(state["start"])

    def typed_mio(text: str) -> float | None:
        """A typed amount in mio. kr., read the Danish way (12,5); None: not an amount."""
        try:
            amount, _doubt = parse_amount(text)
        except ValueError:
            return None
        return amount

    def typed_amount(key):
        def on_type(change):
            if state["syncing"] or state["holding"]:
                return
            pool, year = key
            base = float(standard.get(key, 0.0)) * scales[pool].value
            typed = typed_mio(change["new"])
            if typed is None or typed < 0:
                said = f"{html.escape(change['new'])} er ikke et beløb i mio. kr.;" if change["new"].strip() else ""
                frame_note.value = f"<div class='dr-ask'>{said} skriv fx 12,5 (komma som decimaltegn)</div>"
                show_readouts()  # the field shows the year's amount again
                return
            frame_note.value = ""
            if base > 0:
                wanted = min(typed * 1000 / base, year_scales[key].high)
                state["holding"] += 1
                try:
                    include(year_scales[key], wanted)
                finally:
                    state["holding"] -= 1
                year_scales[key].value = wanted

        return on_type

    def set_override(*_) -> None:
        need = override_need.value
        change = {}
        typed = override_cost.value.strip()
        cost = typed_mio(typed) if typed else None
        if typed and (cost is None or cost <= 0):
            override_note.value = (
                f"<div class='dr-ask'>{html.escape(typed)} er ikke en omkostning i mio. kr.; skriv fx 6,5 "
                "(komma som decimaltegn), eller lad feltet stå tomt</div>"
            )
            return
        override_note.value = ""
        if cost:
            change["cost"] = round(cost * 1000, 3)
        if override_start.value:
            change["start_year"] = int(override_start.value)
        snap = snapshot()
        if change:
            snap["overrides"][need] = change
        else:
            snap["overrides"].pop(need, None)
        move_to(snap)

    def clear_override(*_) -> None:
        snap = snapshot()
        snap["overrides"].pop(override_need.value, None)
        override_cost.value, override_start.value, override_note.value = "", 0, ""
        move_to(snap)

    def override(need_id: str, cost: float | None = None, start_year: int | None = None) -> None:
        """Set one need's cost (1.000 kr.) and/or start year, as the Behov tab does."""
        snap = snapshot()
        change = {k: v for k, v in (("cost", cost), ("start_year", start_year)) if v is not None}
        if change:
            snap["overrides"][need_id] = change
        else:
            snap["overrides"].pop(need_id, None)
        move_to(snap)

    def refresh_files() -> None:
        found = [(p.name, p) for p in scenario_files(folder)]
        state["holding"] += 1
        try:
            files.options = found
            compare_files.options = found
        finally:
            state["holding"] -= 1

    def ask(text: str, folder_now) -> None:
        confirm_text.value = f"<div class='dr-ask'>{html.escape(text)}</div>"
        state["pending"] = folder_now
        confirm.layout.display = "flex"

    def save_scenario(folder_now=None, confirmed: bool = False) -> Path | None:
        """Write the settings to scenarier/<slug>.json and return the file. Before it
        replaces a file this workbench saved, or saves a scenario without a solution, it
        asks (and returns None until ``confirmed``). A file of that name the workbench did
        not save is never replaced: the scenario gets the next free name (<slug>-2.json),
        and the label says so. A name the reader would refuse is not saved (None)."""
        target_folder = Path(folder_now or folder)
        scenario = settings()
        problem = name_problem(name.value)
        if problem and name.value.strip():
            saved.value = f"Ikke gemt: {problem}"
            return None
        target, kind = save_target(target_folder, scenario.name, state["own"])
        if not confirmed:
            doubts = []
            if box.result is None or not box.result.has_option:
                reason = words.result_message(box.result) if box.result is not None else "indstillingerne afvises"
                doubts.append(f"Scenariet har ingen løsning ({reason.rstrip('.')}).")
            if kind == "replace":
                doubts.append(f"{target.name} findes allerede (gemt her før) og bliver erstattet.")
            if doubts:
                ask(" ".join(doubts) + " Gem alligevel?", target_folder)
                saved.value = "Ikke gemt endnu: se spørgsmålet nedenfor"
                return None
        confirm.layout.display = "none"
        try:
            write_scenario(target, scenario, replace=kind == "replace")
        except FileExistsError:  # written by someone else since: never replaced
            target, kind = save_target(target_folder, scenario.name, state["own"])
            write_scenario(target, scenario, replace=False)
        state["own"].add(target)
        state["saved"] = (target, scenario.as_dict())
        saved.value = f"Gemt: {target}" + (
            f" (der fandtes allerede en fil med navnet {slug(scenario.name)}.json; den er uændret)"
            if kind == "renamed"
            else ""
        )
        if target_folder == folder:
            refresh_files()
        return target

    def answer(yes: bool) -> None:
        confirm.layout.display = "none"
        if yes:
            save_scenario(state["pending"], confirmed=True)
        else:
            saved.value = "Ikke gemt"

    def scenario_snapshot(loaded: Scenario) -> dict:
        """The controls' values that show ``loaded`` (over the notebook's parameters)."""
        over = loaded.options(start)
        snap = snapshot()
        values = dict(zip((*controls, *selections), snap["values"], strict=True))
        for w, value in zip(weights, over.weights, strict=True):
            values[w] = float(value)
        values[time_preference], values[strategy], values[level] = over.time_preference, over.strategy, over.cost_level
        values[carry] = over.carry_over
        values[force_in] = tuple(i for i in over.force_in if i in ids)
        values[force_out] = tuple(i for i in over.force_out if i in ids)
        for pool in POOLS:
            given = (loaded.frame_scale or {}).get(pool, 1.0)
            by_year = given if isinstance(given, dict) else None
            whole = float(given) if by_year is None else 1.0
            if by_year is None and not scales[pool].low <= whole <= scales[pool].high:
                by_year, whole = {str(y): whole for y in years}, 1.0  # beyond the level's slider: per year
            values[scales[pool]] = whole
            for year in years:
                values[year_scales[pool, year]] = float((by_year or {}).get(str(year), 1.0))
        shown = set(chosen()) - set(state["extra"])
        return {
            "values": [values[c] for c in (*controls, *selections)],
            "overrides": {k: dict(v) for k, v in loaded.overrides.items()},
            "extra": {k: v for k, v in loaded.settings.items() if k not in shown and k != "plan_year"},
        }

    def load_file(path=None) -> Scenario | None:
        """Set the workbench to a saved scenario (undoable); a file that does not pass the
        checks is named with its problems, and nothing changes."""
        path = Path(path or files.value) if (path or files.value) else None
        if path is None:
            load_note.value = "Vælg et gemt scenarie"
            return None
        loaded, findings = load_scenario(path, set(ids), years)
        if loaded is None:
            load_note.value = "Kan ikke indlæses: " + "; ".join(
                f"{f.column + ': ' if f.column else ''}{f.message}" for f in findings
            )
            return None
        move_to(scenario_snapshot(loaded))  # a level between the steps becomes a choice: shown exactly
        name.value, description.value = loaded.name, loaded.description
        load_note.value = f"Indlæst: {path.name}"
        return loaded

    def measured(result: Result):
        return measures(data.register, result) if result.has_option else None

    def show_side_by_side(paths_now=None) -> None:
        """The chosen saved scenarios beside the main option, one row each."""
        chosen_paths = list(paths_now or compare_files.value)
        named, problems = [], []
        base = start.changed(explain=False, plan_year=start.plan_year if start.plan_year is not None else plan_year)
        for path in chosen_paths:
            loaded, findings = load_scenario(path, set(ids), years)
            if loaded is None:
                problems += [f"{Path(path).name}: {f.message}" for f in findings]
                continue
            try:
                result = planner.option(loaded.options(base), loaded.frame_scale, loaded.overrides or None)
            except ValueError as exc:
                problems.append(f"{Path(path).name}: {exc}")
                continue
            named.append((loaded, result, measured(result)))
        main = state["baseline"] if state["baseline"] is not None else box.shown
        label = "Det fastgjorte grundlag" if state["pinned"] is not None else "Hovedforslaget"
        box.side_by_side = whatif.side_by_side(data.register, data.frame, (main, measured(main)), named, label)
        compare_out.clear_output(wait=True)
        with compare_out:
            display(box.side_by_side)
            if problems:
                display(Text(problems, kind="warning"))

    def set_scale(value: float) -> None:
        """Move both pools' frame level at once."""
        for pool_slider in scales.values():
            pool_slider.value = value

    def pin_current(*_) -> None:
        """Compare the next moves with the option on show, and say which settings it has."""
        shown = getattr(box, "shown", None)
        if shown is not None and shown.has_option:
            state["baseline"], state["label"] = shown, "det fastgjorte forslag"
            pinned = settings()
            state["pinned"] = pinned
            lines = deviations(main_options, pinned, data.frame, data.register)
            said = "; ".join(lines) if lines else "samme indstillinger som hovedforslaget"
            compared.value = f"Sammenlignes med: det fastgjorte forslag ({html.escape(said)})"
            update()

    def unpin_current(*_) -> None:
        state["baseline"], state["label"], state["pinned"] = baseline, "grundforslaget (rapportens hovedforslag)", None
        compared.value = "Sammenlignes med: rapportens hovedforslag" if baseline is not None else ""
        update()

    box.settings, box.save_scenario, box.set_scale = settings, save_scenario, set_scale
    box.pin, box.unpin, box.undo, box.reset, box.load, box.override = (
        pin_current,
        unpin_current,
        undo_last,
        reset_all,
        load_file,
        override,
    )
    box.show_side_by_side, box.answer = show_side_by_side, answer
    box.wait, box.proof = proof.wait, proof
    save.on_click(lambda _button: save_scenario())
    confirm_yes.on_click(lambda _button: answer(True))
    confirm_no.on_click(lambda _button: answer(False))
    load.on_click(lambda _button: load_file())
    compare.on_click(lambda _button: show_side_by_side())
    pin.on_click(pin_current)
    unpin.on_click(unpin_current)
    undo.on_click(undo_last)
    reset.on_click(reset_all)
    override_set.on_click(set_override)
    override_clear.on_click(clear_override)
    for key, text in amounts.items():
        text.observe(typed_amount(key), names="value")
    for control in (*controls, *selections):
        control.observe(changed, names="value")
    for text in (name, description):
        text.observe(lambda _change: show_saved_state(settings()), names="value")
    compared.value = "Sammenlignes med: rapportens hovedforslag" if baseline is not None else ""
    _no_null_titles(box)
    refresh_files()
    state["start"] = snapshot()
    state["last"] = state["start"]
    update()
    state["built"] = True
    return box
