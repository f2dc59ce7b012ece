"""How long a full report takes against the floor of rendering anything at all.

The floor is as many trivial notebooks as the budget report has, rendered the same way
(kernel start, papermill, nbconvert, the index, the atomic folder swap). Both run in this
process, alternately, so the ratio says what the report's own work costs regardless of
how fast this machine is. A second floor renders as many notebooks that only import what
every page imports before it computes anything (pandas and matplotlib, through
``analysis``): the part of the report's cost that a page cannot avoid in a new kernel.

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
    full, floor, imports = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        count = len(render.EVENTS["budget"])
        folders = {}
        for kind in ("trivial", "imports_only"):
            folders[kind] = Path(tmp) / kind
            folders[kind].mkdir()
            for k in range(1, count + 1):
                shutil.copy(FIXTURES / f"{kind}.ipynb", folders[kind] / f"{k:02d}_{kind}.ipynb")
        names = {kind: sorted(p.name for p in folder.iterdir()) for kind, folder in folders.items()}
        _time(2026, Path(tmp) / "warm-up")  # first import of everything is not what we measure
        for i in range(args.repeats):
            floor.append(
                _time(2026, Path(tmp) / f"floor-{i}", notebooks=names["trivial"], notebook_dir=folders["trivial"])
            )
            imports.append(
                _time(
                    2026,
                    Path(tmp) / f"imports-{i}",
                    notebooks=names["imports_only"],
                    notebook_dir=folders["imports_only"],
                )
            )
            full.append(_time(2026, Path(tmp) / f"full-{i}"))
    f, b, m = statistics.median(full), statistics.median(floor), statistics.median(imports)
    print(f"{count} trivial notebooks (floor): median {b:.2f} s over {args.repeats} runs")
    print(f"{count} import-only notebooks:     median {m:.2f} s ({m / b:.2f} × the floor)")
    print(f"full budget report:          median {f:.2f} s over {args.repeats} runs")
    print(f"ratio full/floor:            {f / b:.2f} (aim of #26: 3)")
    print(f"ratio full/import-only:      {f / m:.2f}")


if __name__ == "__main__":
    main()
