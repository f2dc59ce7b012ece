"""The JupyterLab explorer: built only when asked, and it recomputes when a control moves."""

from __future__ import annotations

from analysis.inputs.dataset import load_dataset
from analysis.report import workbench as explore


def test_explorer_is_absent_from_reports_and_reacts_in_the_lab(shipped):
    data = load_dataset(**shipped)
    assert explore.explorer(data, enabled=False) is None
    box = explore.explorer(data)
    controls = box.children[0]
    weights, (scale, strategy, _level, carry) = controls.children[0].children, controls.children[1].children
    full = box.result
    assert full.status == "optimal" and full.options.strategy == "max-potential"
    # By hand: the full option's anlæg share is 26,3 mio. kr.; half the frame gives anlæg
    # 22,5 mio. kr. over the four years, so something must go.
    scale.value = 0.5
    assert box.result.objective < full.objective
    weights[3].value = 5.0
    assert box.result.options.weights == (1.0, 1.0, 1.0, 5.0)
    strategy.value = "priority"
    assert box.result.method == "priority"
    carry.value = False
    assert box.result.options.carry_over is False
