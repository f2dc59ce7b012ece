"""Robustness speed: cost samples re-solved on a reused model in one and two processes,
against one cold solve (build the problem and the model, then solve), for the shipped
register and generated registers, all with the main option's rules (time preference
0,03). Prints the draw rate and the ratio to a cold solve.

    python tests/benchmarks/bench_robustness.py [--samples N] [--sizes 0,25,50,100] [--gaps 0,0.01]

Size 0 is the shipped register. Without ``--samples`` each size gets as many draws as
take about a minute or two here (``SAMPLES``, and ``GAP_SAMPLES`` for a gap above 0); a
draw stopped by the per-solve time limit (10 s) is counted in the statuses. ``--gaps``:
each size is also drawn with every run stopped once proven within that gap of its best
(``robustness --gap``); the line gives the largest gap any run ended with.
"""

from __future__ import annotations

import argparse
import collections
import time

from analysis.inputs import synthetic
from analysis.inputs.dataset import load_dataset
from analysis.inputs.parameters import Sampling
from analysis.model import allocation, robustness

SAMPLES = {0: 1000, 25: 100, 50: 20, 100: 10}  # draws per size unless --samples
GAP_SAMPLES = {0: 1000, 25: 100, 50: 40, 100: 40}  # with a gap above 0


def cold_solve(register, frame) -> float:
    """The fastest of three cold solves (one when a solve takes over a second: a 100-need
    register runs to the 20 s limit)."""
    times = []
    for _ in range(3):
        began = time.perf_counter()
        allocation.allocate(register, frame, allocation.Options(explain=False, time_limit=20))
        times.append(time.perf_counter() - began)
        if times[-1] > 1.0:
            break
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=None, help="draws for every size (default: SAMPLES)")
    parser.add_argument("--sizes", default="0,25,50,100")
    parser.add_argument("--gaps", default="0,0.01", help="per-run gaps to draw with (0: every run proven optimal)")
    args = parser.parse_args()
    cases = []
    for n in (int(s) for s in args.sizes.split(",")):
        if n == 0:
            shipped = load_dataset()
            cases.append((n, f"leveret register ({len(shipped.register)} behov)", shipped.register, shipped.frame))
        else:
            register, frame = synthetic.load_generated(n, 5, seed=1)
            cases.append((n, f"genereret register ({n} behov)", register, frame))
    gaps = [float(g) for g in args.gaps.split(",")]
    for n, name, reg, fr in cases:
        cold = cold_solve(reg, fr)
        for gap in gaps:
            samples = args.samples or (GAP_SAMPLES if gap > 0 else SAMPLES).get(n, 10)
            for workers in (1, 2):
                settings = Sampling(adaptive=False, samples=samples, seed=0, workers=workers, gap=gap)
                began = time.perf_counter()
                outcome, _ = robustness.cost_uncertainty(reg, fr, settings)
                total = time.perf_counter() - began
                per = total / samples
                statuses = collections.Counter(str(s) for s in outcome.statuses)
                worst = outcome.worst_gap()
                print(
                    f"{name}, gap {gap:g}, {workers} proces(ser): {samples} udfald på {total:.2f} s, "
                    f"{per * 1000:.2f} ms pr. udfald ({1 / per:.1f} udfald/s); "
                    f"kold løsning {cold * 1000:.2f} ms; forhold pr. udfald / kold {per / cold:.2f}; "
                    f"største gap {'–' if worst is None else f'{worst:.2%}'}; "
                    f"status {dict(sorted(statuses.items()))}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
