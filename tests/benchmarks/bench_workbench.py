"""How fast the workbench answers a move (issue #28), on the shipped register (14 needs) and
on generated ones (analysis.inputs.synthetic), against the bare allocation it rests on, in
the same process: ``runs.allocate_option`` with the workbench's options (explanations within
1 s). A move is a weight, the service frame, a forced need, an override, undo and reset;
each is timed from setting the control to the widget's outputs being rebuilt (outside a
kernel ipywidgets only records the outputs, so the browser's drawing is not included).

    python tests/benchmarks/bench_workbench.py [--sizes 0,30,50] [--repeats 3] [--seed 1]

Size 0 is the shipped register. A line gives the median seconds of each move and its ratio
to the bare allocation (above 1: the time the workbench adds: the key figures, the chart,
the tables). Tests never assert timings; measured numbers are in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import statistics
import tempfile
import time
from pathlib import Path

from analysis import workbench
from analysis.inputs import synthetic
from analysis.inputs.dataset import load_dataset
from analysis.inputs.parameters import Options
from analysis.model import runs


def dataset(size: int, seed: int):
    if size == 0:
        return load_dataset()
    register, frame = synthetic.generate(size, 5 if size >= 50 else 4, seed)
    folder = Path(tempfile.mkdtemp(prefix="bench-workbench-"))
    (folder / "r.csv").write_text(register, encoding="utf-8")
    (folder / "f.csv").write_text(frame, encoding="utf-8")
    return load_dataset(register=folder / "r.csv", frame=folder / "f.csv")


def timed(action) -> float:
    began = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):  # outside a kernel the outputs print
        action()
    return time.perf_counter() - began


def measure(size: int, seed: int, repeats: int) -> dict[str, float]:
    data = dataset(size, seed)
    options = Options(explain=True, explain_time_limit=1.0)
    bare = statistics.median(timed(lambda: runs.allocate_option(data, options)) for _ in range(repeats))
    with contextlib.redirect_stdout(io.StringIO()):
        box = workbench.explorer(data, baseline=runs.allocate_option(data, Options()))
    first = list(data.register["id"])[0]
    moves = {
        "vægt": lambda k: setattr(box.weights[1], "value", 2.0 + k),
        "ramme": lambda k: setattr(box.scales["service"], "value", 0.9 - 0.05 * k),
        "tvunget ud": lambda k: setattr(box.force_out, "value", (first,) if k % 2 == 0 else ()),
        "omkostning": lambda k: box.override(first, cost=1000.0 + k),
        "fortryd": lambda _k: box.undo(),
        "nulstil": lambda _k: box.reset(),
    }
    found = {"allokering alene": bare}
    for name, move in moves.items():
        found[name] = statistics.median(timed(lambda m=move, k=k: m(k)) for k in range(repeats))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="0,30,50")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        found = measure(size, args.seed, args.repeats)
        bare = found["allokering alene"]
        label = "udleveret register (14 behov)" if size == 0 else f"genereret, {size} behov"
        parts = [f"{name} {seconds:.2f} s ({seconds / bare:.1f}×)" for name, seconds in found.items()]
        print(f"{label}: " + "; ".join(parts), flush=True)


if __name__ == "__main__":
    main()
