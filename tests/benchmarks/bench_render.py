"""How long a full report takes against the floor of rendering anything at all.

The floor is as many trivial notebooks as the budget report has, rendered the same way
(kernel start, papermill, nbconvert, the index, the atomic folder swap). Both run in this
process, alternately, so the ratio says what the report's own work costs regardless of
how fast this machine is.

    python tests/benchmarks/bench_render.py [--repeats N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from analysis.report import render

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _time(year: int, out: Path, **kwargs) -> float:
    start = time.perf_counter()
    render.render_report(year, "budget", out=out, log=lambda _m: None, **kwargs)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    render.ensure_kernel()
    full, floor = [], []
    with tempfile.TemporaryDirectory() as tmp:
        trivial = Path(tmp) / "trivial"
        trivial.mkdir()
        names = [f"{k:02d}_trivial.ipynb" for k in range(1, len(render.EVENTS["budget"]) + 1)]
        for name in names:
            shutil.copy(FIXTURES / "trivial.ipynb", trivial / name)
        _time(2026, Path(tmp) / "warm-up")  # first import of everything is not what we measure
        for i in range(args.repeats):
            floor.append(_time(2026, Path(tmp) / f"floor-{i}", notebooks=names, notebook_dir=trivial))
            full.append(_time(2026, Path(tmp) / f"full-{i}"))
    f, b = statistics.median(full), statistics.median(floor)
    print(f"{len(names)} trivial notebooks (floor): median {b:.2f} s over {args.repeats} runs")
    print(f"full budget report:       median {f:.2f} s over {args.repeats} runs")
    print(f"ratio full/floor:         {f / b:.2f}")


if __name__ == "__main__":
    main()
