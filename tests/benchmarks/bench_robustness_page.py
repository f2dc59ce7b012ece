"""The robustness page's run as the report makes it (adaptive, all three phases, two
processes) on generated registers, with the adaptive stop's margin on and off: its time
against one cold solve of the same register in the same process, the draws each phase
made, the needs left at a class boundary, and the largest gap any run ended with.

    python tests/benchmarks/bench_robustness_page.py [--sizes 14,50] [--gap 0.005] [--margins 0.05,0]

Size 14 is the shipped register. A margin of 0 is the stop before issue #26 (every class
settled, or all ``--samples`` draws); on a 50-need register it takes minutes.

``--max-seconds S`` stops a page that is still running after S seconds and prints what it
had done: the runs, their rate, and the least time the page would take at that rate (its
minimum is ``min_samples`` cost and weight draws and one run per frame level). This is
how the 100-need page is measured (``--sizes 100 --margins 0.05 --max-seconds 600``).
"""

from __future__ import annotations

import argparse
import time

from analysis.inputs import synthetic
from analysis.inputs.dataset import load_dataset
from analysis.inputs.parameters import Options, Sampling
from analysis.model import allocation, robustness


class Stopped(Exception):
    """The page ran past ``--max-seconds``."""


def cold_solve(register, frame) -> float:
    began = time.perf_counter()
    allocation.allocate(register, frame, allocation.Options(explain=False, time_limit=20))
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="14,50")
    parser.add_argument("--gap", type=float, default=0.005)
    parser.add_argument("--margins", default="0.05,0")
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--max-seconds", type=float, help="stop a page still running after this long")
    args = parser.parse_args()
    for n in (int(s) for s in args.sizes.split(",")):
        if n == 14:
            shipped = load_dataset()
            register, frame, name = shipped.register, shipped.frame, "leveret register (14 behov)"
        else:
            register, frame = synthetic.load_generated(n, 5, seed=1)
            name = f"genereret register ({n} behov)"
        cold = cold_solve(register, frame)
        for margin in (float(m) for m in args.margins.split(",")):
            sampling = Sampling(samples=args.samples, seed=2026, workers=2, gap=args.gap, margin=margin)
            began = time.perf_counter()
            seen = {"costs": 0, "weights": 0, "frontier": 0}

            def progress(phase, done, _total, began=began, seen=seen):
                seen[phase] = done
                if args.max_seconds and time.perf_counter() - began > args.max_seconds:
                    raise Stopped

            try:
                result = robustness.run(register, frame, sampling, Options(), progress=progress)
            except Stopped:
                took = time.perf_counter() - began
                done = sum(seen.values())
                least = 2 * sampling.min_samples + len(sampling.scales)
                rate = done / took
                print(
                    f"{name}, gap {args.gap:g}, margin {margin:g}: stoppet efter {took:.0f} s med {done} kørsler "
                    f"({seen}); {rate:.2f} kørsler/s, så siden tager mindst {least / rate:.0f} s "
                    f"({least} kørsler); de {took:.0f} s er {took / cold:.0f} × en kold løsning på {cold:.2f} s",
                    flush=True,
                )
                continue
            took = time.perf_counter() - began
            gaps = [
                g for g in (o.worst_gap() for o in (result.costs, result.weights, result.frontier)) if g is not None
            ]
            print(
                f"{name}, gap {args.gap:g}, margin {margin:g}: {took:.1f} s "
                f"({took / cold:.0f} × en kold løsning på {cold:.2f} s); udfald: omkostninger {result.draws}, "
                f"vægte {len(result.weights.funded)}, rand {len(result.frontier.funded)}; ved en klassegrænse: "
                f"{len(result.at_boundary())}; største gap {max(gaps, default=0):.2%}",
                flush=True,
            )


if __name__ == "__main__":
    main()
