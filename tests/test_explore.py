"""The JupyterLab explorer: built only when asked, and it recomputes when a control moves."""

from __future__ import annotations

from analysis import workbench
from analysis.inputs.dataset import load_dataset

# Two needs of 4 mio. kr. each, all service, one year: A is worth 5, B 3 (tilgængelighed).
REGISTER = (
    "id;omraade;titel;omkostning_min;omkostning_max;potentiale_tilgaengelighed\n"
    "A;X;Behov A;4000;4000;5\n"
    "B;X;Behov B;4000;4000;3\n"
)
FRAME = "aar;styringsomraade;beloeb\n2026;service;8000\n2026;anlæg;0\n"


def test_explorer_is_absent_from_reports_and_reacts_in_the_lab(write):
    data = load_dataset(register=write("r.csv", REGISTER), frame=write("f.csv", FRAME))
    assert workbench.explorer(data, enabled=False) is None
    box = workbench.explorer(data)
    controls = box.children[0]
    weights, (scale, strategy, _level, carry) = controls.children[0].children, controls.children[1].children
    full = box.result
    # By hand: the frame of 8 mio. kr. funds both needs, worth 5 + 3.
    assert full.status == "optimal" and full.options.strategy == "max-potential"
    assert full.selected == {"A": 2026, "B": 2026} and full.objective == 8
    # Half the frame (4 mio. kr.) funds only the better need.
    scale.value = 0.5
    assert box.result.selected == {"A": 2026} and box.result.objective == 5
    weights[3].value = 5.0
    assert box.result.options.weights == (1.0, 1.0, 1.0, 5.0)
    strategy.value = "priority"
    assert box.result.method == "priority"
    assert box.result.options.carry_over is False  # a plan fits year by year unless asked
    carry.value = True
    assert box.result.options.carry_over is True
