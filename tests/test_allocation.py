"""Allocation: the MILP against an exhaustive search written here, independently of the
model; a published capital-budgeting instance; the priority baseline; explanations checked
by re-solving."""

from __future__ import annotations

import itertools
import random
from dataclasses import replace

import pytest

from analysis.inputs.financing_frame import load_frame
from analysis.inputs.register import load_register
from analysis.model.allocation import Options, allocate
from analysis.model.allocation.types import ConflictKind, Reason, Status
from analysis.report.vocabulary import result_message

DEPENDENCY, NO_ESTIMATE, NO_FIT = Reason.DEPENDENCY, Reason.NO_ESTIMATE, Reason.NO_FIT
OUTCOMPETED, VARIANT = Reason.OUTCOMPETED, Reason.VARIANT

SPREADS = ["100", "50;50", "60;40", "30;40;30"]
SHARES = [0.0, 0.0, 0.3, 0.5, 1.0]


def random_instance(rng: random.Random, frame_max: int = 12, early_starts: bool = False):
    """A small register and frame as CSV rows, plus the same data as plain Python."""
    n_years = rng.choice([3, 4])
    years = list(range(2026, 2026 + n_years))
    needs = []
    n = rng.randint(4, 6)
    groups = {}
    if rng.random() < 0.7:
        a, b = rng.sample(range(n), 2)
        groups = {a: "g1", b: "g1"}
    for i in range(n):
        low = rng.randint(1, 20) * 500
        high = low + rng.randint(0, 10) * 500
        earliest = rng.choice(years[:2] if early_starts else years)
        latest = earliest if rng.random() < 0.3 else rng.choice([y for y in years if y >= earliest])
        requires = []
        if i > 0 and rng.random() < 0.3:
            dep = rng.randrange(i)
            if groups.get(dep) is None or groups.get(dep) != groups.get(i):
                requires = [f"N{dep}"]
        needs.append(
            {
                "id": f"N{i}",
                "low": low,
                "high": high,
                "share": rng.choice(SHARES),
                "spread": [float(x) for x in rng.choice(SPREADS).split(";")],
                "earliest": earliest,
                "latest": latest,
                "scores": [rng.randint(0, 5) for _ in range(4)],
                "benefit": rng.randint(0, 30) * 100,
                "group": groups.get(i),
                "requires": requires,
            }
        )
    frame = {(y, p): rng.randint(0, frame_max) * 1000 for y in years for p in ("service", "anlæg")}
    return years, needs, frame


def write_instance(write, years, needs, frame):
    header = "id;omraade;titel;omkostning_min;omkostning_max;andel_anlaeg;fordeling;tidligste_start;seneste_start;potentiale_tilgaengelighed;potentiale_aflastning;potentiale_forenkling;potentiale_skalering;gevinst;variantgruppe;forudsaetter"
    rows = [header]
    for need in needs:
        rows.append(
            ";".join(
                [
                    need["id"],
                    "X",
                    need["id"],
                    str(need["low"]),
                    str(need["high"]),
                    str(need["share"]),
                    '"' + ";".join(f"{x:g}" for x in need["spread"]) + '"',
                    str(need["earliest"]),
                    str(need["latest"]),
                    *[str(s) for s in need["scores"]],
                    str(need["benefit"]),
                    need["group"] or "",
                    ";".join(need["requires"]),
                ]
            )
        )
    register, findings = load_register(write("reg.csv", "\n".join(rows) + "\n"))
    assert not [f for f in findings if f.is_error], findings
    frame_rows = ["aar;styringsomraade;beloeb"] + [f"{y};{p};{v}" for (y, p), v in frame.items()]
    frame_table, findings = load_frame(write("ramme.csv", "\n".join(frame_rows) + "\n"))
    assert not [f for f in findings if f.is_error]
    return register, frame_table


def brute_force(years, needs, frame, strategy, carry_over, time_preference, weights=(1, 1, 1, 1)):
    """Best objective by trying every combination of (not funded | start year) per need."""
    options = []
    for need in needs:
        choices = [None]
        for start in range(need["earliest"], need["latest"] + 1):
            if years.index(start) + len(need["spread"]) <= len(years):
                choices.append(start)
        options.append(choices)
    best = 0.0
    cost = {n["id"]: (n["low"] + n["high"]) / 2 for n in needs}
    for combo in itertools.product(*options):
        chosen = {n["id"]: s for n, s in zip(needs, combo, strict=True) if s is not None}
        groups = [n["group"] for n in needs if n["id"] in chosen and n["group"]]
        if len(groups) != len(set(groups)):
            continue
        if any(
            d not in chosen or chosen[d] > chosen[n["id"]] for n in needs if n["id"] in chosen for d in n["requires"]
        ):
            continue
        spend = {(y, p): 0.0 for y in years for p in ("service", "anlæg")}
        for need in needs:
            if need["id"] not in chosen:
                continue
            for k, pct in enumerate(need["spread"]):
                year = chosen[need["id"]] + k
                spend[(year, "anlæg")] += cost[need["id"]] * need["share"] * pct / 100
                spend[(year, "service")] += cost[need["id"]] * (1 - need["share"]) * pct / 100
        ok = True
        for pool in ("service", "anlæg"):
            used = available = 0.0
            for year in years:
                if carry_over:
                    used += spend[(year, pool)]
                    available += frame[(year, pool)]
                else:
                    used, available = spend[(year, pool)], frame[(year, pool)]
                if used > available + 1e-6:
                    ok = False
        if not ok:
            continue
        value = 0.0
        for need in needs:
            if need["id"] in chosen:
                base = (
                    need["benefit"]
                    if strategy == "max-benefit"
                    else sum(w * s for w, s in zip(weights, need["scores"], strict=True))
                )
                value += base * (1 + time_preference) ** -(chosen[need["id"]] - years[0])
        best = max(best, value)
    return best


CASES = [(seed, carry) for seed in range(24) for carry in (True, False)]


@pytest.mark.parametrize(("seed", "carry_over"), CASES)
def test_milp_matches_exhaustive_search(seed, carry_over, write):
    rng = random.Random(seed)
    years, needs, frame = random_instance(rng)
    register, frame_table = write_instance(write, years, needs, frame)
    strategy = "max-benefit" if seed % 3 == 0 else "max-potential"
    weights = (1.0, 2.0, 0.5, 1.0) if seed % 2 else (1.0, 1.0, 1.0, 1.0)
    time_preference = [0.0, 0.03, 0.2][seed % 3]
    options = Options(
        strategy=strategy, weights=weights, time_preference=time_preference, carry_over=carry_over, explain=False
    )
    result = allocate(register, frame_table, options)
    expected = brute_force(years, needs, frame, strategy, carry_over, time_preference, weights)
    assert result.status == "optimal"
    assert result.mip_gap == 0.0
    assert result.objective == pytest.approx(expected, abs=1e-6)
    baseline = allocate(
        register,
        frame_table,
        Options(strategy="priority", weights=weights, time_preference=time_preference, carry_over=carry_over),
    )
    # The priority walk values its option with the same value function; it never beats the optimum.
    assert baseline.objective <= expected + 1e-6


def test_lorie_savage_capital_budgeting_instance(write):
    """Lorie & Savage (1955), as solved by Weingartner (1963): nine projects, two periods,
    budgets 50 and 20; the integer optimum is projects 1, 3, 4, 6 and 9 with NPV 70."""
    projects = [  # (NPV, outlay period 1, outlay period 2)
        (14, 12, 3),
        (17, 54, 7),
        (17, 6, 6),
        (15, 6, 2),
        (40, 30, 35),
        (12, 6, 6),
        (14, 48, 4),
        (10, 36, 3),
        (12, 18, 3),
    ]
    rows = ["id;omraade;titel;omkostning_min;omkostning_max;fordeling;tidligste_start;seneste_start;gevinst"]
    for k, (npv, first, second) in enumerate(projects, start=1):
        total = first + second
        spread = f"{100 * first / total:.10g};{100 * second / total:.10g}"
        rows.append(f'P{k};X;Projekt {k};{total};{total};"{spread}";2026;2026;{npv}')
    register, findings = load_register(write("ls.csv", "\n".join(rows) + "\n"))
    assert not [f for f in findings if f.is_error]
    frame, _ = load_frame(
        write(
            "ls-ramme.csv", "aar;styringsomraade;beloeb\n2026;service;50\n2027;service;20\n2026;anlæg;0\n2027;anlæg;0\n"
        )
    )
    options = Options(strategy="max-benefit", time_preference=0.0, carry_over=False)
    result = allocate(register, frame, options)
    assert result.status == "optimal"
    assert result.objective == pytest.approx(70)
    assert sorted(result.selected) == ["P1", "P3", "P4", "P6", "P9"]
    # and the same by exhaustive search over the 512 subsets
    best = max(
        sum(p[0] for p, on in zip(projects, mask, strict=True) if on)
        for mask in itertools.product([0, 1], repeat=9)
        if sum(p[1] for p, on in zip(projects, mask, strict=True) if on) <= 50
        and sum(p[2] for p, on in zip(projects, mask, strict=True) if on) <= 20
    )
    assert best == 70


@pytest.mark.parametrize("seed", range(20))
def test_every_explanation_holds_when_re_solved(seed, write):
    rng = random.Random(1000 + seed)
    years, needs, frame = random_instance(rng, frame_max=8, early_starts=True)
    register, frame_table = write_instance(write, years, needs, frame)
    options = Options(strategy="max-potential", time_preference=0.03)
    result = allocate(register, frame_table, options)
    assert result.status == "optimal"
    unfunded = set(register["id"]) - set(result.selected)
    assert set(result.explanations) == unfunded
    for need_id, why in result.explanations.items():
        need = next(n for n in needs if n["id"] == need_id)
        if why.reason == NO_FIT:
            alone = allocate(
                register,
                frame_table,
                Options(force_in=(need_id,), force_out=tuple(unfunded - {need_id}) + tuple(result.selected)),
            )
            assert alone.status == "infeasible"
        elif why.reason == VARIANT:
            assert any(n["group"] == need["group"] and n["id"] in result.selected for n in needs)
        elif why.reason == DEPENDENCY:
            assert need["requires"]
            if all(d in result.selected for d in need["requires"]):
                # the prerequisites are funded, yet no option holds this need too
                assert (
                    allocate(register, frame_table, Options(force_in=(need_id,), explain=False)).status == "infeasible"
                )
        elif why.reason == OUTCOMPETED:
            forced = allocate(register, frame_table, Options(force_in=(need_id,), explain=False))
            assert forced.status == "optimal"
            assert why.value_lost == pytest.approx(result.objective - forced.objective, abs=1e-6)
            # With the extra frame, the option and this need are fundable together.
            bigger = frame_table.copy()
            for (pool, year), amount in why.extra_frame.items():
                mask = (bigger["aar"] == year) & (bigger["styringsomraade"] == pool)
                bigger.loc[mask, "beloeb"] += amount + 1e-6
            together = allocate(register, bigger, Options(force_in=tuple(result.selected) + (need_id,), explain=False))
            assert together.status == "optimal"
        else:
            pytest.fail(f"unexpected reason {why}")


def test_shipped_data_gives_an_explained_optimal_option(shipped):
    from analysis.inputs.dataset import load_dataset

    data = load_dataset(**shipped)
    result = allocate(data.register, data.frame, Options())
    assert result.status == "optimal" and result.mip_gap == 0.0
    assert {k for k, v in result.explanations.items() if v.reason == NO_ESTIMATE} == {"IT-01", "BS-01", "BS-02"}
    assert set(result.explanations) | set(result.selected) == set(data.register["id"])
    # Carry-over: never borrowing from a later year, so cumulative spending stays within the cumulative frame.
    cumulative = result.spending().cumsum()
    frame = data.frame.pivot_table(index="aar", columns="styringsomraade", values="beloeb").cumsum()
    assert (cumulative["anlæg"] <= frame["anlæg"] + 1e-6).all()
    assert (cumulative["service"] <= frame["service"] + 1e-6).all()


def test_the_solver_stops_before_the_time_limit_leaving_its_stopping_margin(shipped, monkeypatch):
    """The whole call keeps to --time-limit: HiGHS gets what is left less the margin it needs
    to stop and hand the answer back (checked on the limits handed over, not on a clock)."""
    from analysis.inputs.dataset import load_dataset
    from analysis.model import allocation
    from analysis.model.allocation.solver import Model

    data = load_dataset(**shipped)
    handed: list[float] = []
    solve = Model.solve

    def recording(self, start_solution=None, time_limit=None):
        handed.append(time_limit)
        return solve(self, start_solution, time_limit)

    monkeypatch.setattr(Model, "solve", recording)
    for limit, margin in [(60.0, allocation.STOP_MARGIN), (2.0, 0.02)]:
        handed.clear()
        allocate(data.register, data.frame, Options(time_limit=limit, explain=False))
        assert len(handed) == 1 and handed[0] is not None
        assert limit - margin - 1.0 < handed[0] <= limit - margin


def test_the_main_option_runs_on_the_same_number_of_threads_on_every_machine(shipped):
    """HiGHS's default is one thread per core, and between plans of equal value its answer
    depends on the count: the main option asks for a fixed count instead."""
    from analysis.inputs.dataset import load_dataset
    from analysis.model.allocation.problem import build_problem
    from analysis.model.allocation.solver import MAIN_THREADS, Model

    data = load_dataset(**shipped)
    model = Model(build_problem(data.register, data.frame, Options()))
    assert MAIN_THREADS == 2 and model.highs.getOptionValue("threads")[1] == MAIN_THREADS
    assert model.solve().status == Status.OPTIMAL


def test_conflicting_forced_needs_are_reported_in_plain_words(write):
    register, _ = load_register(
        write(
            "r.csv",
            "id;omraade;titel;omkostning_min;omkostning_max;andel_anlaeg\nA;X;A;8000;8000;1\nB;X;B;8000;8000;1\n",
        )
    )
    frame, _ = load_frame(write("f.csv", "aar;styringsomraade;beloeb\n2026;service;0\n2026;anlæg;10000\n"))
    result = allocate(register, frame, Options(force_in=("A", "B")))
    assert result.status == Status.INFEASIBLE
    # by hand: A and B need 16 mio. anlæg in 2026 against 10 mio.
    assert result.shortage.forced == ("A", "B")
    assert result.shortage.extra == pytest.approx({("anlæg", 2026): 6000.0})
    message = result_message(result)
    assert "A, B" in message and "anlæg" in message and "6 mio. kr." in message
    variants = allocate(register.assign(variantgruppe="g"), frame, Options(force_in=("A", "B")))
    assert variants.status == Status.INFEASIBLE
    assert [c.kind for c in variants.conflicts] == [ConflictKind.FORCED_VARIANTS]
    assert "samme gruppe" in result_message(variants)


def test_priority_walk_follows_priority_and_explains_skips(write):
    text = (
        "id;omraade;titel;omkostning_min;omkostning_max;prioritet;forudsaetter;tidligste_start;seneste_start\n"
        "A;X;A;6000;6000;1;;2026;2026\n"
        "B;X;B;6000;6000;2;;2026;2026\n"  # no room left after A in 2026 → skipped
        "C;X;C;3000;3000;3;B;2026;2027\n"  # needs B, which is not funded
        "D;X;D;4000;4000;4;;2026;2027\n"  # fits in 2026
    )
    register, _ = load_register(write("r.csv", text))
    frame, _ = load_frame(
        write("f.csv", "aar;styringsomraade;beloeb\n2026;service;10000\n2027;service;0\n2026;anlæg;0\n2027;anlæg;0\n")
    )
    result = allocate(register, frame, Options(strategy="priority"))
    assert result.selected == {"A": 2026, "D": 2026}
    assert result.explanations["B"].reason == OUTCOMPETED
    assert result.explanations["C"].reason == DEPENDENCY


def test_a_need_ranked_above_its_prerequisite_waits_for_it_in_the_priority_walk(write):
    # A ranks first but needs B; both fit (3.000 + 4.000 of 10.000 in 2026). By hand: B's turn
    # comes, B is funded in 2026, then A in 2026; neither is "forudsætning ikke finansieret".
    text = (
        "id;omraade;titel;omkostning_min;omkostning_max;prioritet;forudsaetter;tidligste_start;seneste_start\n"
        "A;X;A;3000;3000;1;B;2026;2027\n"
        "B;X;B;4000;4000;2;;2026;2027\n"
        "C;X;C;5000;5000;3;;2026;2026\n"  # after A and B only 3.000 is left in 2026: skipped
    )
    register, _ = load_register(write("r.csv", text))
    frame, _ = load_frame(
        write("f.csv", "aar;styringsomraade;beloeb\n2026;service;10000\n2027;service;0\n2026;anlæg;0\n2027;anlæg;0\n")
    )
    result = allocate(register, frame, Options(strategy="priority"))
    assert result.selected == {"A": 2026, "B": 2026}
    assert result.explanations["C"].reason == OUTCOMPETED
    assert "A" not in result.explanations


def test_option_grid_varies_weights_only_where_they_choose():
    from analysis.model.allocation.comparison import option_grid

    grid = option_grid(
        Options(), ["max-potential", "max-benefit", "priority"], ["expected", "max"], [[1, 1, 1, 1], [1, 2, 1, 1]]
    )
    # by hand: 2 weightings × 2 levels for max-potential, 2 levels each for the other two,
    # and the first optimised option again with planned carry-over, as a sensitivity
    assert len(grid) == 9
    assert grid[-1] == replace(grid[0], carry_over=True) and not any(o.carry_over for o in grid[:-1])
    assert len(option_grid(Options(), ["max-potential"], ["expected"], [[1, 1, 1, 1]], sensitivity=False)) == 1
    assert sum(o.strategy == "max-potential" for o in grid[:-1]) == 4
