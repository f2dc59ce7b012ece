"""The yearly cycle: which year an event of the cycle decides.

Each report is an event: the budget for a year, or the transfer case (OFS) that follows up
a year. An event's allocation page plans one year, its *plan year*; the OFS after the
frame's last year has none left to plan. This is the one rule the renderer, the notebooks
and the front page read.
"""

from __future__ import annotations

EVENTS = ("budget", "OFS")


def plan_year(event: str, year: int, years: list[int], asked: int | None = None) -> int | None:
    """The year the event's allocation decides: ``asked`` when given; otherwise the budget
    for year Y plans Y, and the OFS that follows up Y plans Y+1 (the frame's last year at
    the latest). None for the OFS that follows up the frame's last year: the frame has no
    later year, so there is nothing left to allocate."""
    if asked:
        return int(asked)
    if event == "OFS":
        return None if year >= years[-1] else min(year + 1, years[-1])
    return year
