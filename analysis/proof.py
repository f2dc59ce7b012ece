"""The workbench's answer in two steps: the best plan found within a short time at once,
then, when that plan is not yet proven the best, the exact solve in a thread of its own
that replaces it on screen unless the analyst has moved on (issue #26: at 50 needs a proof
takes 2-6 s, and a control must answer within about half a second). The first answer
starts from the plan on show, so one cut short is close to the best.

The exact solve is the same model as ``digiramme allocate`` with the same settings, so the
answer that stays on screen is the one the command gives. A move stops a proof still
running for an earlier setting (:class:`~analysis.model.allocation.solver.Cancel`), so the
two cores are never spent on an answer nobody waits for.

:func:`show` puts objects into an ``ipywidgets.Output`` by setting its outputs, which the
widget documentation gives as the way to update an output from another thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from analysis.model.allocation.result import Result
from analysis.model.allocation.solver import Cancel, Cancelled

# The first answer's time for the whole allocation (model, solve, explanations): a move
# should answer within 0,5 s, and the key figures, the chart (about 0,1 s) and the tables
# come after it. Measured at 50 needs (docs/benchmarks.md): 0,25 s from scratch answered in
# 0,44-0,57 s with gaps of 0,7-4,9 %; 0,2 s from the plan on show in 0,36-0,44 s, 0,5-2,8 %.
FIRST_ANSWER_SECONDS = 0.2


class Proof:
    """At most one exact solve at a time, in a daemon thread: :meth:`start` stops the one
    before it. ``done`` is called in the thread with the result, or with the exception the
    solve raised; never for a solve that was stopped."""

    def __init__(self) -> None:
        self._thread: threading.Thread | None = None
        self._cancel: Cancel | None = None

    def start(self, solve: Callable[[Cancel], Result], done: Callable[[Result | Exception], None]) -> None:
        self.stop()
        cancel = Cancel()
        self._cancel = cancel

        def run() -> None:
            try:
                answer: Result | Exception = solve(cancel)
            except Cancelled:
                return
            except Exception as exc:  # shown to the analyst by ``done``, never lost in a thread
                answer = exc
            if not cancel.cancelled:
                done(answer)

        self._thread = threading.Thread(target=run, name="digiramme-bevis", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the proof running, if any (it ends within HiGHS's next check)."""
        if self._cancel is not None:
            self._cancel.cancel()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> None:
        """Until the proof running has ended (tests, benchmarks, an analyst's own cell)."""
        if self._thread is not None:
            self._thread.join(timeout)


def _formatter():
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        return shell.display_formatter  # the kernel's: figures as the lab shows them
    from IPython.core.formatters import DisplayFormatter

    return DisplayFormatter()


def show(output, *objects) -> None:
    """Replace what ``output`` shows with ``objects``, from any thread."""
    formatter = _formatter()
    shown = []
    for obj in objects:
        data, metadata = formatter.format(obj)
        shown.append({"output_type": "display_data", "data": data, "metadata": metadata})
    output.outputs = tuple(shown)
