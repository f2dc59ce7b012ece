"""Robustness: core index, weight analysis and frontier, checked against facts that hold by
construction and against direct solves."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from helpers import VALID_FRAME, VALID_REGISTER

from analysis.inputs.financing_frame import load_frame
from analysis.inputs.parameters import Options, Sampling
from analysis.inputs.register import load_register
from analysis.model import allocation, robustness
from analysis.report.records import robustness_dict

REGISTER = (
    "id;omraade;titel;omkostning_min;omkostning_forventet;omkostning_max;potentiale_tilgaengelighed;potentiale_aflastning;potentiale_forenkling;potentiale_skalering\n"
    "A;X;Billig og god;100;150;200;5;5;5;5\n"  # dominates: cheap, the best score on every potential
    "B;X;For dyr;5000;6000;9000;5;5;5;5\n"  # more than the whole frame even at its minimum
    "C;X;Middel 1;300;500;900;3;1;2;0\n"
    "D;X;Middel 2;300;500;900;0;2;1;3\n"
    "E;X;Middel 3;400;600;800;2;2;2;2\n"
)
FRAME = "aar;styringsomraade;beloeb\n2026;service;1200\n2026;anlæg;0\n"


@pytest.fixture
def inputs(write):
    register, findings = load_register(write("reg.csv", REGISTER))
    assert not [f for f in findings if f.is_error]
    frame, _ = load_frame(write("ramme.csv", FRAME))
    return register, frame


def test_dominating_need_is_core_and_impossible_need_is_zero(inputs):
    register, frame = inputs
    result = robustness_dict(robustness.run(register, frame, Sampling(adaptive=False, samples=60, seed=1, workers=1)))
    assert result["core_index"]["A"] == 1.0 and result["core_class"]["A"] == "kerne"
    assert result["core_index"]["B"] == 0.0 and result["core_class"]["B"] == "udenfor"
    assert result["weight_core_index"]["A"] == 1.0 and result["weight_core_index"]["B"] == 0.0
    assert "A" in result["funded_under_every_weighting"] and "B" in result["funded_under_no_weighting"]
    assert set(result["core_index"]) == set(register["id"])
    # C, D and E compete for 1.200 − A: some draws fund some of them
    assert 0 < result["core_index"]["C"] + result["core_index"]["D"] + result["core_index"]["E"]


def test_frontier_never_decreases_as_the_frame_grows(inputs):
    register, frame = inputs
    outcome = robustness.frontier(register, frame, Sampling(adaptive=False, workers=1))
    values = outcome.objective
    assert np.all(np.diff(values) >= -1e-9)
    assert values[0] < values[-1]  # at 50 % fewer needs fit than at 150 %


def test_same_seed_same_results_and_the_split_between_processes_does_not_matter(inputs):
    register, frame = inputs
    one = robustness_dict(robustness.run(register, frame, Sampling(adaptive=False, samples=40, seed=7, workers=1)))
    two = robustness_dict(robustness.run(register, frame, Sampling(adaptive=False, samples=40, seed=7, workers=2)))
    assert one == two
    other = robustness.cost_uncertainty(register, frame, Sampling(adaptive=False, samples=40, seed=8, workers=1))[1]
    assert not np.allclose(
        other, robustness.cost_uncertainty(register, frame, Sampling(adaptive=False, samples=40, seed=7, workers=1))[1]
    )


def test_slow_runs_alone_or_ten_to_a_batch_give_the_same_outcome(inputs, monkeypatch):
    """How runs are grouped into batches follows how long the first one took: the outcome
    must not depend on it. Here every run goes alone (as a slow register's would), the first
    alone and the rest ten to a batch, and in a pool of two."""
    register, frame = inputs
    settings = Sampling(adaptive=False, samples=45, seed=11, workers=1)
    batched = robustness_dict(robustness.run(register, frame, settings))
    monkeypatch.setattr(robustness.Engine, "SLOW_RUN", 0.0)  # every run counts as slow
    sizes = []
    from analysis.model.robustness import engines

    original = engines.solve_batch
    monkeypatch.setattr(engines, "solve_batch", lambda task: sizes.append(len(task)) or original(task))
    alone = robustness_dict(robustness.run(register, frame, settings))
    assert set(sizes) == {1}  # the engine really did send every run alone
    pooled = robustness_dict(robustness.run(register, frame, replace(settings, workers=2)))
    assert batched == alone == pooled


def test_a_sample_equals_a_direct_solve_with_that_samples_costs(inputs):
    register, frame = inputs
    settings = Sampling(adaptive=False, samples=12, seed=3, workers=1)
    outcome, draws = robustness.cost_uncertainty(register, frame, settings)
    for k in (0, 5, 11):
        fixed = register.copy()
        for column in ("omkostning_min", "omkostning_forventet", "omkostning_max"):
            fixed[column] = [
                draws[k][outcome.ids.index(i)] if i in outcome.ids else v
                for i, v in zip(fixed["id"], fixed[column], strict=True)
            ]
        # the same model as the main option: its time preference (the allocation's default)
        direct = allocation.allocate(fixed, frame, allocation.Options(explain=False))
        assert direct.objective == pytest.approx(outcome.objective[k])


def test_pert_draws_stay_in_range_and_centre_on_the_expected_cost(inputs):
    register, _ = inputs
    draws = robustness.pert_samples(register, ["A", "C"], 20000, np.random.default_rng(0))
    assert draws[:, 0].min() >= 100 and draws[:, 0].max() <= 200
    # centred on the expected cost (#43): A 150 (its midpoint), C 500 (not PERT-on-the-mode's
    # (300 + 4 · 500 + 900) / 6 = 533,3)
    assert draws[:, 0].mean() == pytest.approx(150, rel=0.01)
    assert draws[:, 1].mean() == pytest.approx(500, rel=0.01)


def test_weight_ranges_include_their_corners():
    settings = Sampling(weight_ranges=((0, 1), (1, 2), (1, 1), (0, 3)))
    weights = robustness.weight_samples(settings.weight_ranges, 50, np.random.default_rng(0))
    assert len(weights) == 50
    corners = {tuple(w) for w in weights[:8]}
    assert (0.0, 1.0, 1.0, 0.0) in corners and (1.0, 2.0, 1.0, 3.0) in corners
    assert np.all((weights[:, 1] >= 1) & (weights[:, 1] <= 2))


def test_cli_json_has_the_contract_keys(write, capsys):
    from analysis.cli import main

    register = write("reg.csv", VALID_REGISTER.replace("D;Net;Stort net;25000;25000", "D;Net;Stort net;;"))
    frame = write("ramme.csv", VALID_FRAME)
    args = ["robustness", "--samples", "30", "--seed", "1", "--json", "--quiet"]
    assert main([*args, "--register", str(register), "--frame", str(frame)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data["core_index"]) == {"A", "B", "C", "D"}
    assert all(0 <= v <= 1 for v in data["core_index"].values())
    assert data["core_index"]["D"] == 0  # no estimate: can never be funded
    assert set(data["weight_core_index"]) == set(data["core_index"])
    assert all({"scale", "objective"} <= set(p) for p in data["frontier"])


def test_progress_counts_draws_not_batches(inputs):
    register, frame = inputs
    seen = []
    robustness.run(
        register, frame, Sampling(adaptive=False, samples=25, seed=3, workers=1), progress=lambda *a: seen.append(a)
    )
    costs = [(done, total) for phase, done, total in seen if phase == "costs"]
    assert costs[-1] == (25, 25) and [d for d, _ in costs] == sorted(d for d, _ in costs)


def test_adaptive_stopping_settles_every_class_with_fewer_draws_and_the_same_on_any_workers(inputs):
    register, frame = inputs
    fixed = robustness.run(register, frame, Sampling(adaptive=False, samples=600, seed=5, workers=1))
    one = robustness.run(register, frame, Sampling(samples=600, seed=5, workers=1, adaptive=True))
    two = robustness.run(register, frame, Sampling(samples=600, seed=5, workers=2, adaptive=True))
    assert fixed.draws == 600
    assert 200 <= one.draws < 600 and one.draws % 100 == 0
    assert two.draws == one.draws and (two.costs.funded == one.costs.funded).all()
    # the draws are the first ones of the fixed run: the same sequence, stopped early
    assert (one.costs.funded == fixed.costs.funded[: one.draws]).all()
    # every need's 99 % Wilson interval lies within one class (the interval written out here)
    n, z = one.draws, 2.5758
    for p in one.costs.funded.mean(axis=0):
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / (1 + z * z / n)
        low, high = centre - half, centre + half
        assert low >= 0.9 or high <= 0.1 or (low > 0.1 and high < 0.9), (p, low, high)


def test_wilson_interval_by_hand():
    # by hand: 50 of 100, z = 2,5758, z²/n = 0,066348: centre (0,5 + 0,033174) / 1,066348 = 0,5;
    # half-width 2,5758 · √(0,0025 + 0,000166) / 1,066348 = 0,12472
    low, high = robustness.wilson(np.array([0.5]), 100)
    assert low[0] == pytest.approx(0.37528, abs=1e-4) and high[0] == pytest.approx(0.62472, abs=1e-4)


def test_a_solve_before_the_draws_leaves_every_draw_optimal(inputs):
    """HiGHS fixes its thread pool at its first run in a process; asking a worker for one
    thread after that made every run fail. A notebook solves first and draws after."""
    register, frame = inputs
    allocation.allocate(register, frame)
    outcome, _ = robustness.cost_uncertainty(register, frame, Sampling(adaptive=False, samples=30, seed=2, workers=1))
    assert set(outcome.statuses) == {allocation.Status.OPTIMAL}
    pooled, _ = robustness.cost_uncertainty(register, frame, Sampling(adaptive=False, samples=30, seed=2, workers=2))
    assert set(pooled.statuses) == {allocation.Status.OPTIMAL}
    assert np.array_equal(outcome.funded, pooled.funded)


@pytest.mark.e2e
def test_draws_on_a_local_dask_cluster_equal_the_default(inputs, capsys):
    """The same seed gives the same result on any engine and any number of workers: a local
    Dask cluster of two worker processes against the local process pool, through the CLI."""
    import json

    from distributed import LocalCluster

    from analysis.cli import main

    register, frame = inputs
    settings = Sampling(adaptive=False, samples=60, seed=4, workers=2)
    default = robustness_dict(robustness.run(register, frame, settings))
    # two threads a worker: batches run side by side in one process, each on its own model
    with LocalCluster(n_workers=2, threads_per_worker=2, processes=True, dashboard_address=None) as cluster:
        on_dask = robustness_dict(robustness.run(register, frame, settings, scheduler=cluster.scheduler_address))
        assert on_dask == default
        capsys.readouterr()
        code = main(["robustness", "--samples", "60", "--scheduler", cluster.scheduler_address, "--quiet", "--json"])
        assert code == 0
        assert json.loads(capsys.readouterr().out)["samples_drawn"] == 60
    one = robustness_dict(robustness.run(register, frame, Sampling(adaptive=False, samples=60, seed=4, workers=1)))
    assert one == default


@pytest.mark.e2e  # distributed retries for its 10 s connect timeout
def test_an_unreachable_scheduler_is_named(capsys):
    from analysis.cli import main

    assert main(["robustness", "--samples", "5", "--scheduler", "tcp://127.0.0.1:9", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "--scheduler: Dask-klyngen tcp://127.0.0.1:9 kan ikke nås" in err
    assert "Traceback" not in err


# --- a later plan year: the commitments of the allocation's main option -----------------------


@pytest.fixture
def planned(write):
    """test_plan's small case: A started in 2026 (spent 200 of its 300 that year), B, C, D open."""
    from test_plan import BEVILLINGER, FORBRUG, FRAME, REGISTER

    from analysis.inputs.dataset import load_dataset
    from analysis.model.state import EventState

    data = load_dataset(
        register=write("reg.csv", REGISTER),
        frame=write("ramme.csv", FRAME),
        bevillinger=write("bev.csv", BEVILLINGER),
        forbrug=write("forbrug.csv", FORBRUG),
    )
    settings = Sampling(adaptive=False, samples=20, seed=1, workers=1, scales=(0.5, 0.6, 0.7, 0.8, 1.0))
    options = Options(plan_year=2027)
    commitments = EventState.for_plan(data, options).commitments_for(options)
    return data, settings, commitments


def test_a_later_plan_year_keeps_the_started_investments_and_decides_only_the_open_needs(planned):
    data, settings, commitments = planned
    analysis = robustness.run(data.register, data.frame, settings, commitments=commitments)
    result = robustness_dict(analysis)
    assert result["settings"]["plan_year"] == 2027 and result["started"] == ["A"]
    # By hand (test_plan's case). 2027 may udmønte 500 less A's 300: 200; 2028 all 500. Costs
    # are certain (min = max), so every draw is the same: D (200) in 2027 and B (300) in 2028.
    d = 1 / 1.03
    assert result["core_index"] == {"A": 1.0, "B": 1.0, "C": 0.0, "D": 1.0}
    assert result["core_index_margin"]["A"] == 0.0  # a started investment is a fact, not a draw
    objective = 5 + 1 * d + 3 * d**2  # A's value counts, undiscounted from its 2026 start, as in allocate
    assert np.allclose(analysis.costs.objective, objective)
    # not udmøntet at the frame's end: 1.500 less A's 600 and D's and B's 500
    assert np.allclose(analysis.costs.unspent[:, 0], 1500 - 600 - 500)
    option = allocation.allocate(data.register, data.frame, Options(plan_year=2027, explain=False), commitments)
    assert option.objective == pytest.approx(objective)


def test_a_later_plan_years_frontier_scales_only_the_plan_years(planned):
    data, settings, commitments = planned
    analysis = robustness.run(data.register, data.frame, settings, commitments=commitments)
    d = 1 / 1.03
    # By hand, with 2026 as history and A's 300 in 2027 fixed, at level s 2027 may udmønte
    # 500·s − 300 and 2028 500·s. 50 %: 2027 −50, A alone does not fit: no plan.
    # 60 %: 0 and 300: B in 2028. 70 %: 50 and 350, 80 %: 100 and 400: still B in 2028 (B and D
    # together need 500; C alone is worth less). 100 %: 200 and 500: D in 2027, B in 2028.
    expected = [np.nan, 5 + 3 * d**2, 5 + 3 * d**2, 5 + 3 * d**2, 5 + 1 * d + 3 * d**2]
    assert np.allclose(analysis.frontier.objective, expected, equal_nan=True)
    assert analysis.frontier.statuses[0] == allocation.Status.INFEASIBLE
    levels = analysis.entry_scales()
    assert levels["A"] == 0.5 and levels["B"] == 0.6 and levels["D"] == 1.0 and np.isnan(levels["C"])


def test_robustness_cli_takes_the_plan_year_like_allocate(planned, write, capsys):
    from test_plan import BEVILLINGER, FORBRUG, FRAME, REGISTER

    from analysis.cli import main

    files = [
        "--register", str(write("reg.csv", REGISTER)),
        "--frame", str(write("ramme.csv", FRAME)),
        "--bevillinger", str(write("bev.csv", BEVILLINGER)),
        "--forbrug", str(write("forbrug.csv", FORBRUG)),
    ]  # fmt: skip
    assert main(["robustness", *files, "--plan-year", "2027", "--samples", "5", "--quiet", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["started"] == ["A"] and result["core_class"]["A"] == "kerne"
    # a later plan year without the grants is bad input, as for allocate
    assert main(["robustness", *files[:4], "--plan-year", "2027", "--samples", "5", "--quiet"]) == 2
    assert "angiv --bevillinger" in capsys.readouterr().err


def test_forced_needs_are_in_or_out_of_every_run_as_in_the_option(inputs, capsys, write):
    """The option's force_in/force_out hold in every draw: C is forced in, A (the best need)
    forced out; the option beside the page is computed under the same demands."""
    register, frame = inputs
    settings = Sampling(adaptive=False, samples=30, seed=2, workers=1)
    forced = Options(force_in=("C",), force_out=("A",))
    result = robustness_dict(robustness.run(register, frame, settings, forced))
    assert result["core_index"]["C"] == 1.0 and result["core_index"]["A"] == 0.0
    assert result["weight_core_index"]["C"] == 1.0 and result["weight_core_index"]["A"] == 0.0
    assert result["settings"]["force_in"] == ["C"] and result["settings"]["force_out"] == ["A"]
    option = robustness.reference_options(register, frame, forced)[-1]
    assert "C" in option.selected and "A" not in option.selected

    from analysis.cli import main

    files = ["--register", str(write("reg.csv", REGISTER)), "--frame", str(write("ramme.csv", FRAME))]
    assert main(["robustness", *files, "--force-out", "A", "--samples", "5", "--quiet", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["core_index"]["A"] == 0.0
    assert main(["robustness", *files, "--force-in", "X9", "--samples", "5", "--quiet"]) == 2
    assert '--force-in: "X9" er ikke et id i registeret' in capsys.readouterr().err


def test_the_page_says_a_started_investment_is_in_at_every_level_not_from_the_lowest(planned):
    from analysis.report import robustness_page

    data, settings, commitments = planned
    analysis = robustness.run(data.register, data.frame, settings, commitments=commitments)
    table = robustness_page.core_table(data.register, analysis)
    shown = table.data.set_index("Id")
    assert shown.loc["A", "Klasse"] == robustness_page.STARTED
    assert shown.loc["A", "Med fra rammeniveau"] == "altid (påbegyndt)"
    assert shown.loc["B", "Med fra rammeniveau"] == 0.6  # an open need keeps its level (by hand above)
    assert "et påbegyndt behov er med ved alle niveauer" in table.note and "Planår 2027" in table.note
    row_a = re.search(r"<tr><td[^>]*>A</td>(.*?)</tr>", table._repr_html_()).group(1)
    assert "50 %" not in row_a


# --- runs that stop at a gap: never called optimal, never further from their best --------------


def test_a_gap_lets_each_run_stop_within_it_and_says_so(write, capsys):
    """Checked against the same draws proven optimal: a run stopped at a 2 % gap is worth at
    least 98 % of that draw's optimum, and is reported as within_gap, not optimal."""
    from analysis.inputs import synthetic

    register, frame = synthetic.load_generated(25, 4, seed=3)
    exact, _ = robustness.cost_uncertainty(register, frame, Sampling(adaptive=False, samples=8, seed=1, workers=1))
    settings = Sampling(adaptive=False, samples=8, seed=1, workers=1, gap=0.02)
    within, _ = robustness.cost_uncertainty(register, frame, settings)
    assert set(exact.statuses) == {allocation.Status.OPTIMAL} and exact.worst_gap() == 0.0
    assert set(within.statuses) <= {allocation.Status.OPTIMAL, allocation.Status.WITHIN_GAP}
    assert allocation.Status.WITHIN_GAP in within.statuses  # the gap took effect
    assert 0 < within.worst_gap() <= 0.02
    assert np.all(within.objective >= (1 - 0.02) * exact.objective - 1e-9)
    assert np.all(within.objective <= exact.objective + 1e-9)


def test_a_gap_turns_up_highs_heuristics_and_an_exact_solve_keeps_the_default():
    from analysis.inputs import synthetic
    from analysis.model.allocation.problem import build_problem
    from analysis.model.allocation.solver import GAP_HEURISTIC_EFFORT, Model

    register, frame = synthetic.load_generated(25, 4, seed=3)
    problem = build_problem(register, frame, allocation.Options(explain=False))
    _, default = Model(problem).highs.getOptionValue("mip_heuristic_effort")
    assert default == 0.05  # HiGHS's own default, untouched for an exact solve
    _, effort = Model(problem, gap=0.01).highs.getOptionValue("mip_heuristic_effort")
    assert effort == GAP_HEURISTIC_EFFORT != default


def test_the_gap_reaches_the_json_and_the_cli_checks_its_range(write, capsys):
    from analysis.cli import main

    files = ["--register", str(write("reg.csv", REGISTER)), "--frame", str(write("ramme.csv", FRAME))]
    flags = ["--samples", "5", "--gap", "0.05", "--time-limit", "3", "--quiet", "--json"]
    assert main(["robustness", *files, *flags]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["settings"]["gap"] == 0.05 and result["settings"]["time_limit"] == 3.0
    assert set(result["worst_gap"]) == {"costs", "weights", "frontier"}
    assert all(0 <= g <= 0.05 for g in result["worst_gap"].values())
    assert result["runs_at_time_limit"] == {"costs": 0, "weights": 0, "frontier": 0}
    for bad, said in (
        (["--gap", "0.5"], '--gap: "0.5" skal være mindst 0 og højst 0,1'),
        (["--gap", "-0.01"], '--gap: "-0.01" skal være mindst 0'),
        (["--time-limit", "0"], '--time-limit: "0" skal være over 0'),
    ):
        with pytest.raises(SystemExit) as stop:
            main(["robustness", *files, "--samples", "5", "--quiet", *bad])
        assert stop.value.code == 2
        assert said in capsys.readouterr().err
    with pytest.raises(ValueError, match="gap"):
        Sampling(gap=float("nan"))


def test_a_run_here_gets_the_answer_a_fresh_worker_gets_whatever_ran_here_before():
    """HiGHS's answer at a gap depends on its thread count (this register at a 0,2 % gap:
    130,85 on one thread, 130,96 on two). A process that has already solved on two threads
    (a notebook that computed the main option first) must still solve every robustness run
    on one, as a fresh worker does."""
    from analysis.inputs import synthetic
    from analysis.model.allocation.problem import build_problem
    from analysis.model.allocation.solver import Model

    register, frame = synthetic.load_generated(30, 4, seed=5)
    settings = Sampling(adaptive=False, gap=0.002, workers=1, scales=(1.0,))
    problem = build_problem(register, frame, Options(explain=False))
    Model(problem).solve()  # this process's HiGHS now runs the main option's two threads
    here = robustness.frontier(register, frame, settings).objective[0]
    fresh = subprocess.run(
        [
            sys.executable,
            "-c",
            "from analysis.inputs import synthetic\n"
            "from analysis.model import robustness\n"
            "from analysis.model.allocation.problem import build_problem\n"
            "from analysis.model.allocation.solver import Model\n"
            "register, frame = synthetic.load_generated(30, 4, seed=5)\n"
            "from analysis.inputs.parameters import Options\n"
            "problem = build_problem(register, frame, Options(explain=False))\n"
            "print(repr(Model(problem, gap=0.002, threads=1).solve().objective))\n",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert here == float(fresh.stdout.strip().splitlines()[-1])
    # and the main option, solved after the runs, is back on its own fixed thread count
    from analysis.model.allocation.solver import _SCHEDULER, MAIN_THREADS

    Model(problem, gap=0.002).solve()
    assert _SCHEDULER["threads"] == MAIN_THREADS


def test_runs_stopped_by_the_clock_are_counted_and_said_on_the_page():
    """A time limit too short to prove anything: every run is time_limit, the JSON counts
    them, and the page says so under the core table, not only in the annex."""
    from analysis.inputs import synthetic
    from analysis.report import robustness_annex, robustness_page

    register, frame = synthetic.load_generated(25, 4, seed=3)
    settings = Sampling(adaptive=False, samples=3, seed=1, workers=1, time_limit=1e-4, scales=(1.0,))
    analysis = robustness.run(register, frame, settings)
    result = robustness_dict(analysis)
    assert result["runs_at_time_limit"]["costs"] == 3 and result["statuses"]["costs"] == ["time_limit"]
    note = robustness_page.core_table(register, analysis).note
    assert "3 omkostningsudfald stoppede ved tidsgrænsen uden bevis" in note
    assert "løsninger stoppede ved tidsgrænsen" in robustness_annex.gap_note(analysis)


def test_a_need_at_a_class_boundary_stops_once_known_within_the_margin():
    from analysis.model.robustness.stats import settled, wilson

    # A need funded in exactly 90 % of the draws sits on the core threshold: its class never
    # settles, however many draws. At 300 draws its 99 % interval is 0,846–0,936 (Wilson, by
    # hand: z = 2,576, p = 0,9, n = 300; half-width 0,045), so a margin of 5 percentage points
    # stops there; at 100 draws (half-width 0,079) it does not.
    def draws(n):
        column = np.zeros((n, 1), dtype=bool)
        column[: int(n * 0.9)] = True
        return column

    low, high = wilson(np.array([0.9]), 300)
    assert (high - low)[0] / 2 == pytest.approx(0.045, abs=0.001)
    assert not settled(draws(300)) and settled(draws(300), margin=0.05)
    assert not settled(draws(100), margin=0.05)
    # a settled class needs no margin: funded in all of 100 draws is core (interval from 0,937)
    assert settled(np.ones((100, 1), dtype=bool))


def test_the_page_names_the_needs_known_only_within_the_margin():
    from analysis.model.robustness import Analysis, Outcome
    from analysis.report import robustness_page

    n = 300
    funded = np.zeros((n, 2), dtype=bool)
    funded[:, 0] = True  # A: core
    funded[: int(n * 0.9), 1] = True  # B: at the core threshold
    outcome = Outcome(["A", "B"], funded, np.zeros(n), np.zeros((n, 2)))
    empty = Outcome(["A", "B"], np.zeros((0, 2), bool), np.zeros(0), np.zeros((0, 2)))
    analysis = Analysis(Options(), Sampling(), ["A", "B"], outcome, empty, empty)
    assert analysis.at_boundary() == ["B"]
    note = robustness_page._boundary_note(analysis)
    assert "1 behov (B) ligger ved en klassegrænse" in note and "inden for 5 procentpoint" in note


def test_runs_within_the_pages_gap_change_no_class_the_draws_settle():
    """#26: the page's runs stop within 0,5 %. On the same draws as exact runs (each proven
    optimal), a need may change class only where the draws do not settle its class (its
    99 % interval reaches over a threshold, so the page names it at a class boundary). On
    this register two needs at 0,883 cross the core threshold of 0,9 at 0,5 % (measured;
    docs/benchmarks.md); even a gap of 10 % changed no settled class here."""
    from dataclasses import replace as changed_outcome

    from analysis.inputs import synthetic
    from analysis.model.robustness.stats import class_settled, classify

    register, frame = synthetic.load_generated(25, 4, seed=3)
    exact, _ = robustness.cost_uncertainty(register, frame, Sampling(adaptive=False, samples=60, seed=7, workers=1))
    assert set(exact.statuses) == {allocation.Status.OPTIMAL}
    settled = pd.Series(class_settled(exact.funded), index=exact.ids)
    assert settled.sum() >= 10  # most classes are settled: the check below is not empty

    def settled_changes(within) -> set[str]:
        classes = within.core_index().map(classify)
        return {k for k, c in exact.core_index().map(classify).items() if classes[k] != c and settled[k]}

    settings = Sampling(adaptive=False, samples=60, seed=7, workers=1, gap=0.005)
    within, _ = robustness.cost_uncertainty(register, frame, settings)
    assert allocation.Status.WITHIN_GAP in within.statuses  # the gap took effect
    assert settled_changes(within) == set()
    # the check can fail: a settled core need left out of every draw is caught
    core = next(k for k in exact.ids if settled[k] and classify(exact.core_index()[k]) == "core")
    funded = within.funded.copy()
    funded[:, exact.ids.index(core)] = False
    assert settled_changes(changed_outcome(within, funded=funded)) == {core}


def test_scheduler_without_dask_installed_says_how_to_install_it():
    """distributed is an extra (`dask`): without it, --scheduler is one Danish line and
    exit 2, before the data loads, not a ModuleNotFoundError's traceback."""
    import subprocess
    import sys

    script = """
import sys
sys.modules["distributed"] = None  # as if the extra were not installed: its import fails
from analysis.cli import main
code = main(["robustness", "--scheduler", "tcp://127.0.0.1:1", "--samples", "1"])
print(code, "analysis.inputs.dataset" in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["2", "False"], done.stdout + done.stderr
    assert "--scheduler kræver Dask (pakken distributed), som ikke er installeret" in done.stderr
    assert '-e ".[dask]"' in done.stderr and "Traceback" not in done.stderr
