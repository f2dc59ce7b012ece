"""The workbench's answer in two steps (#26): the best plan found within a short time at
once, then the proof in a thread of its own, which a later move stops. The proof's answer
is the exact solve's, the one ``digiramme allocate`` gives; a preliminary plan says so,
with its gap; an answer for settings the analyst has left is never shown."""

from __future__ import annotations

import dataclasses
import threading
import time

import pytest
from helpers import WHATIF_FRAME, WHATIF_REGISTER

from analysis import proof, workbench
from analysis.inputs import synthetic
from analysis.inputs.dataset import load_dataset
from analysis.inputs.parameters import Options
from analysis.model.allocation.problem import build_problem
from analysis.model.allocation.solver import Cancel, Cancelled, Model
from analysis.model.allocation.types import Status
from analysis.model.state import EventState

# helpers.WHATIF_REGISTER: by hand (time preference 3 %) C 2026 with A and B in 2027 is
# worth 4 + 8/1,03 = 11,77, the best of the few plans that fit.
REGISTER, FRAME = WHATIF_REGISTER, WHATIF_FRAME
BEST = {"C": 2026, "A": 2027, "B": 2027}


@pytest.fixture
def data(write):
    return load_dataset(register=write("r.csv", REGISTER), frame=write("f.csv", FRAME))


def hard_problem(write, needs: int = 100):
    """A generated register whose proof takes far longer than the test waits (seconds to
    minutes, docs/benchmarks.md)."""
    register, frame = synthetic.generate(needs, 5, 1)
    data = load_dataset(register=write("big.csv", register), frame=write("bigf.csv", frame))
    options = Options(explain=False)
    return build_problem(data.register, data.frame, options, EventState.for_plan(data, options).commitments_for(options))


def test_a_cancelled_token_stops_a_solve_before_it_starts(write):
    cancel = Cancel()
    model = Model(hard_problem(write, 25), 60, cancel=cancel)
    cancel.cancel()
    with pytest.raises(Cancelled):
        model.solve()


def test_cancel_stops_a_running_solve_from_another_thread(write):
    cancel = Cancel()
    model = Model(hard_problem(write), 600, cancel=cancel)
    ended: dict = {}

    def solve():
        try:
            ended["solve"] = model.solve()
        except Cancelled:
            ended["cancelled"] = True

    thread = threading.Thread(target=solve)
    thread.start()
    time.sleep(0.3)  # inside HiGHS's search by now (the proof takes seconds at least)
    cancel.cancel()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert ended == {"cancelled": True}


def test_without_a_token_nothing_is_interrupted(write):
    # the same model without a token runs to its own time limit
    model = Model(hard_problem(write, 25), 60)
    assert model.solve().status == Status.OPTIMAL


def test_no_plan_within_the_first_answer_then_the_proof_shows_the_exact_one(data):
    # The cell that builds the workbench solves in full. A move's first answer of a
    # nanosecond ends before the model is built: no plan yet; the proof in the background
    # then gives the exact solve's answer, the one allocate gives.
    box = workbench.explorer(data, first_answer=1e-9)
    assert box.result.status == Status.OPTIMAL and box.result.selected == BEST
    assert "Beregnet ✓" in box.status.value and not box.proof.running
    chosen = Options(explain=True, explain_time_limit=1.0, plan_year=2026)
    exact = EventState.for_plan(data, chosen).option()
    assert box.result.selected == exact.selected and box.result.objective == pytest.approx(exact.objective)
    box.force_out.value = ("A",)  # by hand then C 2026 and B 2027: 4 + 3/1,03
    assert "ingen plan fundet endnu" in box.status.value  # asked, not answered yet
    assert box.shown.selected == BEST  # the last result stays on screen meanwhile
    box.wait(timeout=60)
    assert box.result.selected == {"C": 2026, "B": 2027}
    assert box.result.objective == pytest.approx(4 + 3 / 1.03)
    assert "Beregnet ✓" in box.status.value


def held_solves(release: threading.Event, armed: threading.Event, starts: list):
    """A stand-in for EventState.option once ``armed``: a move's first answer is the real
    one marked as stopped by its time limit with a gap of 5 %, and a proof waits for
    ``release`` and reports itself slower than a first answer. ``starts``: each first
    answer's start plan."""
    real = EventState.option

    def solve(state_, options, *rest, cancel=None, start=None):
        found = real(state_, options, *rest, cancel=cancel)
        if not armed.is_set():  # the cell that builds the workbench
            return found
        if options.time_limit <= 0.5:  # a move's first answer
            starts.append(start)
            return dataclasses.replace(found, status=Status.TIME_LIMIT, mip_gap=0.05)
        assert start is None  # the proof starts afresh, as allocate does: same answer
        release.wait(timeout=30)  # held until the test has read the first answer
        return dataclasses.replace(found, solve_time_s=5.0)

    return solve


def test_a_preliminary_plan_says_so_until_the_proof_replaces_it(data, monkeypatch):
    release, armed, starts = threading.Event(), threading.Event(), []
    monkeypatch.setattr(EventState, "option", held_solves(release, armed, starts))
    box = workbench.explorer(data, first_answer=0.3)
    assert box.result.status == Status.OPTIMAL and box.result.selected == BEST
    armed.set()
    box.force_out.value = ("A",)
    assert box.result.status == Status.TIME_LIMIT and box.result.selected == {"C": 2026, "B": 2027}
    assert "Foreløbigt" in box.status.value and "højst 5,0 % fra den bedst mulige" in box.status.value
    assert "data-run" not in box.status.value  # a finished solve is what data-run marks
    release.set()
    box.wait(timeout=60)
    assert box.result.status == Status.OPTIMAL and "Beregnet ✓" in box.status.value
    # the proof took longer than a first answer: the next first answer starts from the plan
    # on show, and is followed by the proof even when it is proven optimal
    release.clear()
    box.force_out.value = ()
    assert starts == [None, {"C": 2026, "B": 2027}]
    assert "Foreløbigt" in box.status.value
    release.set()
    box.wait(timeout=60)
    assert box.result.selected == BEST and "Beregnet ✓" in box.status.value


def test_where_every_solve_is_quick_no_first_answer_starts_from_a_plan(data, monkeypatch):
    # On a register whose solves prove within the first answer's time, every answer is the
    # command's own: solved from scratch, never from the plan on show.
    real = EventState.option
    starts = []

    def spy(state_, options, *rest, cancel=None, start=None):
        starts.append(start)
        return real(state_, options, *rest, cancel=cancel, start=start)

    monkeypatch.setattr(EventState, "option", spy)
    box = workbench.explorer(data)
    box.force_out.value = ("A",)
    box.force_out.value = ()
    box.wait(timeout=60)
    assert starts == [None, None, None] and not box.proof.running
    assert box.result.selected == BEST and "Beregnet ✓" in box.status.value


def test_the_proof_of_settings_left_behind_is_never_shown(data, monkeypatch):
    real = EventState.option
    release, armed = threading.Event(), threading.Event()
    stale = {}

    def solve(state_, options, *rest, cancel=None, start=None):
        if not armed.is_set() or options.force_out == ("A",):  # built, and the second move
            return real(state_, options, *rest)
        if options.time_limit <= 0.5:
            return dataclasses.replace(real(state_, options, *rest), status=Status.TIME_LIMIT, mip_gap=0.05)
        release.wait(timeout=30)  # the first move's proof, still running after the second,
        stale["result"] = real(state_, options, *rest)  # and one that ignores being stopped
        return stale["result"]

    monkeypatch.setattr(EventState, "option", solve)
    box = workbench.explorer(data, first_answer=0.3)
    armed.set()
    box.force_out.value = ("B",)
    first_proof = box.proof._thread
    box.force_out.value = ("A",)
    assert box.result.selected == {"C": 2026, "B": 2027}
    release.set()
    first_proof.join(timeout=30)
    assert "result" in stale  # the stale proof did finish
    box.wait(timeout=60)  # the second move's own proof (its first answer started from a plan)
    assert box.result.selected == {"C": 2026, "B": 2027}  # and the stale one was not shown
    assert box.result is not stale["result"] and "Beregnet ✓" in box.status.value


def test_an_output_is_updated_without_a_kernel():
    import ipywidgets as widgets

    from analysis.report.blocks import Text

    output = widgets.Output()
    proof.show(output, Text(["Første"]), Text(["Anden"]))
    assert [o["output_type"] for o in output.outputs] == ["display_data", "display_data"]
    assert "Anden" in output.outputs[1]["data"]["text/html"]
    proof.show(output)
    assert output.outputs == ()
