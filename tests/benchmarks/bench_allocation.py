"""Allocation solve time and proven gap: digiramme's HiGHS model against the same model
built naively (PuLP with its bundled CBC, one binary per need and start year, big-M
ordering of prerequisites, no step variables), on generated registers of 25–400 needs
over 4–6 years (analysis.synthetic: realistic sizes, correlated costs and values,
variants, dependencies, free start years).

    python tests/benchmarks/bench_allocation.py [--sizes 25,50,100] [--time-limit 20] [--seed 1]

Both run in this process one after the other with the same time limit; the ratio is
naive time / digiramme time (above 1: digiramme is faster). A run stopped by the time
limit is shown with its gap, never as optimal.
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path

from analysis.inputs import synthetic
from analysis.model import allocation
from analysis.model.allocation.problem import Problem, build_problem

YEARS = {25: 4, 50: 5, 100: 5, 200: 6, 400: 6}


def naive_cbc(problem: Problem, time_limit: float) -> dict:
    import pulp

    model = pulp.LpProblem("naiv", pulp.LpMaximize)
    x = {
        (c.id, s): pulp.LpVariable(f"x_{k}_{s}", cat="Binary")
        for k, c in enumerate(problem.candidates)
        for s in c.starts
    }
    by_id = problem.by_id()
    model += pulp.lpSum(by_id[i].value * problem.discount(s) * var for (i, s), var in x.items())
    funded = {c.id: pulp.lpSum(x[(c.id, s)] for s in c.starts) for c in problem.candidates}
    start = {c.id: pulp.lpSum(s * x[(c.id, s)] for s in c.starts) for c in problem.candidates}
    for c in problem.candidates:
        model += funded[c.id] <= 1
        if c.forced:
            model += funded[c.id] >= 1
    groups: dict[str, list[str]] = {}
    for c in problem.candidates:
        if c.group:
            groups.setdefault(c.group, []).append(c.id)
    for members in groups.values():
        model += pulp.lpSum(funded[i] for i in members) <= 1
    big_m = problem.years[-1] - problem.years[0]
    for c in problem.candidates:
        for dep in c.requires:
            if dep not in by_id:
                model += funded[c.id] == 0
                continue
            model += funded[c.id] <= funded[dep]
            model += start[dep] <= start[c.id] + big_m * (1 - funded[c.id])
    capacity = problem.capacity()
    for p in range(2):
        for t in range(len(problem.years)):
            load = pulp.lpSum(float(problem.load(by_id[i].profiles[s])[p, t]) * var for (i, s), var in x.items())
            model += load <= float(capacity[p, t])
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "cbc.log"
        solver = pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit, gapRel=0, logPath=str(log), threads=1)
        began = time.perf_counter()
        model.solve(solver)
        seconds = time.perf_counter() - began
        text = log.read_text(errors="replace") if log.exists() else ""
    objective = re.findall(r"Objective value:\s*([0-9.eE+-]+)", text)
    bound = re.findall(r"(?:Upper|Lower) bound:\s*([0-9.eE+-]+)", text)
    stopped = "Stopped on time" in text or "time limit" in text.lower()
    status = "time_limit" if stopped else pulp.LpStatus[model.status].lower()
    return {
        "status": status,
        "objective": pulp.value(model.objective),
        # CBC's own "Gap:" line has two decimals; compute it from the bound it proved
        "gap": abs(float(bound[-1]) - float(objective[-1])) / max(abs(float(objective[-1])), 1e-9)
        if objective and bound
        else (0.0 if status == "optimal" else None),
        "seconds": seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="25,50,100,200,400")
    parser.add_argument("--time-limit", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"{'behov':>5} {'år':>3} | {'digiramme (HiGHS)':<32} | {'naiv (PuLP + CBC)':<32} | tid naiv/digiramme")
    for n in (int(s) for s in args.sizes.split(",")):
        register, frame = synthetic.load_generated(n, YEARS.get(n, 5), seed=args.seed)
        options = allocation.Options(explain=False, time_limit=args.time_limit)
        ours = allocation.allocate(register, frame, options)
        problem = build_problem(register, frame, options)
        naive = naive_cbc(problem, args.time_limit)
        gap_ours = "–" if ours.mip_gap is None else f"{ours.mip_gap:.2e}"
        gap_naive = "–" if naive["gap"] is None else f"{naive['gap']:.2e}"
        ratio = f"{naive['seconds'] / max(ours.solve_time_s, 1e-9):6.2f}"
        if naive["status"] == "time_limit" and ours.status == "optimal":
            ratio = "≥" + ratio.strip()  # the naive model had not finished
        elif naive["status"] == ours.status == "time_limit":
            ratio = "  (begge stoppet; sammenlign gap)"
        same = ""
        if ours.status == naive["status"] == "optimal":
            same = (
                " (samme optimum)"
                if abs(ours.objective - naive["objective"]) < 1e-6 * max(1, abs(ours.objective))
                else " (FORSKELLIGT optimum!)"
            )
        print(
            f"{n:>5} {YEARS.get(n, 5):>3} | {ours.status:<10} gap {gap_ours:<9} {ours.solve_time_s:7.3f} s | "
            f"{naive['status']:<10} gap {gap_naive:<9} {naive['seconds']:7.3f} s | {ratio}{same}"
        )


if __name__ == "__main__":
    main()
