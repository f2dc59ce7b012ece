"""How fast the workbench answers a move (issues #28 and #26), on the shipped register (14
needs) and on generated ones (analysis.inputs.synthetic), against the bare allocation it rests
on, in the same process: ``EventState.option`` with the workbench's options (explanations
within 1 s). A move is a weight, the service frame, a forced need, an override, undo and
reset; each is timed from setting the control to the widget's outputs being rebuilt
(outside a kernel ipywidgets only records the outputs, so the browser's drawing is not
included).

A move answers in two steps (analysis.proof): the best plan found within the first
answer's time at once, and when that plan is not yet proven the best, the proof in a
thread, which replaces it. Each move prints both: "svar" (the first answer, with its gap
when unproven) and "bevist" (until the proof is on screen).

    python tests/benchmarks/bench_workbench.py [--sizes 0,30,50] [--repeats 3] [--seed 1]

Size 0 is the shipped register. A line gives the medians of each move and the ratio of the
first answer to the bare allocation (below 1: the answer comes before an exact solve would).
Tests never assert timings; measured numbers are in docs/benchmarks.md.
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
from analysis.model.state import EventState


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


def measure(size: int, seed: int, repeats: int) -> tuple[float, dict[str, tuple[float, float, float]]]:
    """The bare allocation's median seconds, and per move the medians of the first answer,
    of the time until the proof is on screen, and of the first answer's gap (0: proven)."""
    data = dataset(size, seed)
    options = Options(explain=True, explain_time_limit=1.0)
    bare = statistics.median(timed(lambda: EventState.for_plan(data, options).option()) for _ in range(repeats))
    with contextlib.redirect_stdout(io.StringIO()):
        box = workbench.explorer(data, baseline=EventState.for_plan(data, Options()).option())
        box.wait()
    first = list(data.register["id"])[0]
    moves = {
        "vægt": lambda k: setattr(box.weights[1], "value", 2.0 + k),
        "ramme": lambda k: setattr(box.scales["service"], "value", 0.9 - 0.05 * k),
        "tvunget ud": lambda k: setattr(box.force_out, "value", (first,) if k % 2 == 0 else ()),
        "omkostning": lambda k: box.override(first, cost=1000.0 + k),
        "fortryd": lambda _k: box.undo(),
        "nulstil": lambda _k: box.reset(),
    }
    found = {}
    for name, move in moves.items():
        answers, proofs, gaps = [], [], []
        for k in range(repeats):
            began = time.perf_counter()
            answers.append(timed(lambda m=move, k=k: m(k)))
            gaps.append(box.result.mip_gap or 0.0 if box.result is not None else float("nan"))
            box.wait()
            proofs.append(time.perf_counter() - began)
        found[name] = (statistics.median(answers), statistics.median(proofs), statistics.median(gaps))
    return bare, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="0,30,50")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        bare, found = measure(size, args.seed, args.repeats)
        label = "udleveret register (14 behov)" if size == 0 else f"genereret, {size} behov"
        parts = [
            f"{name} svar {answer:.2f} s ({answer / bare:.2f}×, gap {100 * gap:.2f} %), bevist {proven:.2f} s"
            for name, (answer, proven, gap) in found.items()
        ]
        print(f"{label}: allokering alene {bare:.2f} s; " + "; ".join(parts), flush=True)


if __name__ == "__main__":
    main()
