"""Registers whose optimum is known by construction (analysis.inputs.synthetic.planted):
the solver must prove exactly that value, with and without a time preference and
carry-over. A faster model that returned a worse plan, or claimed more than is possible,
fails here whatever the speed."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.inputs import synthetic
from analysis.inputs.contracts import POTENTIALS
from analysis.model.allocation import Options, Status, allocate


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize(("time_preference", "carry_over"), [(0.03, False), (0.03, True), (0.0, False)])
def test_the_solver_proves_the_planted_optimum(seed, time_preference, carry_over):
    register, frame, optimum = synthetic.load_planted(40, 4, seed, time_preference)
    options = Options(explain=False, time_preference=time_preference, carry_over=carry_over, time_limit=30)
    result = allocate(register, frame, options)
    assert result.status == Status.OPTIMAL and result.mip_gap == 0.0
    assert result.objective == pytest.approx(optimum, rel=1e-9)


@pytest.mark.parametrize("seed", range(3))
def test_the_planted_register_keeps_the_rule_that_makes_its_optimum_known(seed):
    """Checks the construction itself, without a solver: planted needs are worth exactly
    cost / unit, decoys less even after their later years' discount, and the frame holds
    exactly the planted needs' cost."""
    time_preference = 0.03
    register, frame, optimum = synthetic.load_planted(60, 5, seed, time_preference)
    d = 1 / (1 + time_preference)
    value = register[list(POTENTIALS)].sum(axis=1).to_numpy(float)
    cost = register["omkostning_forventet"].to_numpy(float)
    span = register["fordeling"].map(len).to_numpy()
    planted = register["id"].str.startswith("P").to_numpy()
    assert np.allclose(value[planted], cost[planted] / synthetic.PLANTED_UNIT)
    assert np.all(value[~planted] < cost[~planted] / synthetic.PLANTED_UNIT * d ** (span[~planted] - 1))
    assert (register.loc[planted, "fordeling"].map(tuple) == (100,)).all()
    assert frame["beloeb"].sum() == pytest.approx(cost[planted].sum())
    # the bound is reached only if each year's frame is spent on value at the planted rate
    first = int(frame["aar"].min())
    by_year = frame.groupby("aar")["beloeb"].sum()
    assert optimum == pytest.approx(sum(d ** (y - first) * c for y, c in by_year.items()) / synthetic.PLANTED_UNIT)
