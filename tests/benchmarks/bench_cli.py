"""How fast the command line answers, against Python itself starting (``python -c pass``),
in the same run: ``digiramme --help``, every ``digiramme CMD --help`` and ``validate`` on the
shipped data. Aims (issue #22): every help in at most 0,3 s, validate in at most 1 s.

    python tests/benchmarks/bench_cli.py [--repeats N]

Exits 1 when an aim is not met, so it can guard a change; tests never assert timings.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from analysis.cli import commands

DIGIRAMME = Path(sys.executable).with_name("digiramme")  # the console script a user runs
HELP_AIM, VALIDATE_AIM = 0.3, 1.0


def _median(argv: list[str], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        done = subprocess.run(argv, capture_output=True)
        times.append(time.perf_counter() - began)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.decode()[-500:]}")
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    floor = _median([sys.executable, "-c", "pass"], args.repeats)
    print(f"python -c pass (floor): median {floor:.3f} s over {args.repeats} runs")
    cases = [("digiramme --help", [str(DIGIRAMME), "--help"], HELP_AIM)]
    cases += [(f"digiramme {name} --help", [str(DIGIRAMME), name, "--help"], HELP_AIM) for name in commands.COMMANDS]
    cases += [("digiramme validate (shipped data)", [str(DIGIRAMME), "validate"], VALIDATE_AIM)]
    missed = 0
    for label, argv, aim in cases:
        seconds = _median(argv, args.repeats)
        met = seconds <= aim
        missed += not met
        print(
            f"{label:42} median {seconds:.3f} s, {seconds / floor:5.1f} × the floor; "
            f"aim ≤ {aim:g} s: {'met' if met else 'NOT met'}"
        )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
