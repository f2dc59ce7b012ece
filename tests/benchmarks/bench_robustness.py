"""Robustness speed: cost samples re-solved on a reused model in one and two processes,
against one cold solve (build the problem and the model, then solve), for the shipped
register and generated registers, all with the main option's rules (time preference
0,03). Prints the draw rate and the ratio to a cold solve.

    python tests/benchmarks/bench_robustness.py [--samples N] [--sizes 0,25,50,100]

Size 0 is the shipped register. Without ``--samples`` each size gets as many draws as
take about a minute or two here (``SAMPLES``); a draw stopped by the per-solve time limit
(10 s) is counted in the statuses.
"""

from __future__ import annotations

import argparse
import collections
import time

from analysis.inputs import synthetic
from analysis.inputs.dataset import load_dataset
from analysis.model import allocation, robustness

SAMPLES = {0: 1000, 25: 100, 50: 20, 100: 10}  # draws per size unless --samples


def cold_solve(register, frame) -> float:
    began = time.perf_counter()
    allocation.allocate(register, frame, allocation.Options(explain=False))
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=None, help="draws for every size (default: SAMPLES)")
    parser.add_argument("--sizes", default="0,25,50,100")
    args = parser.parse_args()
    cases = []
    for n in (int(s) for s in args.sizes.split(",")):
        if n == 0:
            shipped = load_dataset()
            cases.append((n, f"leveret register ({len(shipped.register)} behov)", shipped.register, shipped.frame))
        else:
            register, frame = synthetic.load_generated(n, 5, seed=1)
            cases.append((n, f"genereret register ({n} behov)", register, frame))
    for n, name, reg, fr in cases:
        samples = args.samples or SAMPLES.get(n, 10)
        cold = min(cold_solve(reg, fr) for _ in range(3))
        for workers in (1, 2):
            settings = robustness.Settings(samples=samples, seed=0, workers=workers)
            began = time.perf_counter()
            outcome, _ = robustness.cost_uncertainty(reg, fr, settings)
            total = time.perf_counter() - began
            per = total / samples
            statuses = collections.Counter(str(s) for s in outcome.statuses)
            print(
                f"{name}, {workers} proces(ser): {samples} udfald på {total:.2f} s, {per * 1000:.2f} ms pr. udfald "
                f"({1 / per:.1f} udfald/s); "
                f"kold løsning {cold * 1000:.2f} ms; forhold pr. udfald / kold {per / cold:.2f}; "
                f"status {dict(sorted(statuses.items()))}"
            )


if __name__ == "__main__":
    main()
