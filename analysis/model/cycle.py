"""The yearly cycle, in Københavns Kommune's order, and what each event of it decides.

The budget for year Y is negotiated in August–September of Y-1, on the forecast for Y-1;
the transfer case "OFS Y/Y+1" comes in the spring of Y+1, on the accounts for Y. The note
set the frame up at the budget for its first year and has ØU udmønte it the first time at
OFS 25/26 (the year before the frame's first), then at each budget:

=====================  ==============================================================
event                  decides
=====================  ==============================================================
Budget <first>         nothing: the frame, the needs, an indicative plan
OFS <first-1>/<first>  the first udmøntning: the needs that start in the first year
Budget Y (Y > first)   the udmøntning of the needs that start in Y (later starts are
                       indicative, decided again next year)
OFS Y/Y+1 (Y < last)   the transfers into Y+1, and what becomes of the free money (the
                       alternative: open needs starting in Y+1); never reopens Budget Y+1
OFS <last>/<last+1>    the closing: the frame ends with its last year
=====================  ==============================================================

An event reads only what earlier events decided: a row of the ledger decided by this
event or a later one is decided again (or not yet known). This module is the one place
that says so; the ledger's ``beslutning`` column names events in KK's words, the codes
:func:`Event.name` writes and :func:`parse` reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.inputs import event_names
from analysis.inputs.event_names import BUDGET, OFS

EVENTS = (BUDGET, OFS)


@dataclass(frozen=True)
class Event:
    """One event of the cycle: ``kind`` is ``budget`` or ``OFS``; ``year`` is the budget's
    year, or the year the OFS follows up (OFS Y/Y+1 has ``year`` Y)."""

    kind: str
    year: int

    @property
    def when(self) -> tuple[int, int]:
        """When it happens, as (calendar year, 0 = spring / 1 = late summer): the order of events."""
        return (self.year + 1, 0) if self.kind == OFS else (self.year - 1, 1)

    def before(self, other: Event) -> bool:
        return self.when < other.when

    @property
    def name(self) -> str:
        """KK's name, as the ledger's ``beslutning`` writes it: ``Budget 2027``, ``OFS 26/27``."""
        return event_names.name(self.kind, self.year)

    def price_year(self, base: int) -> int:
        """The price level the event's report states its amounts in: the budget's year, or
        the year an OFS follows up (never before the frame's own, ``base``)."""
        return max(self.year, base)

    def plan_year(self, years: list[int]) -> int | None:
        """The year the event's allocation looks at: the budget's own year; the year after
        the one an OFS follows up (for OFS 25/26 the frame's first year, which it udmønter;
        for a later OFS the year its free money could fund); None for the closing OFS."""
        if self.kind == BUDGET:
            return self.year
        return self.year + 1 if self.year + 1 <= years[-1] else None

    def udmoenter(self, years: list[int]) -> bool:
        """Whether the event udmønter the frame: OFS 25/26 and every budget after the first."""
        if self.kind == OFS:
            return self.year + 1 == years[0]
        return self.year > years[0]

    def indicative(self, years: list[int]) -> bool:
        """The budget of the frame's first year: its plan is indicative (udmøntes ved OFS 25/26)."""
        return self.kind == BUDGET and self.year == years[0]

    def follows_up(self, years: list[int]) -> int | None:
        """The year whose accounts the OFS follows up (None: a budget, or OFS 25/26)."""
        return self.year if self.kind == OFS and self.year in years else None

    def alternative(self, years: list[int]) -> bool:
        """An OFS inside the frame whose free money could fund open needs in the next year."""
        return self.kind == OFS and self.year in years and self.year < years[-1]

    def closing(self, years: list[int]) -> bool:
        return self.kind == OFS and self.year >= years[-1]

    def forecast_year(self) -> int | None:
        """The year whose spending the event knows only as a forecast: Y-1 for Budget Y (the
        budget is negotiated before that year's accounts); none for an OFS (on the accounts)."""
        return self.year - 1 if self.kind == BUDGET else None

    def last_known_year(self) -> int:
        """The last year whose spending the event knows (accounts or forecast)."""
        return self.year - 1 if self.kind == BUDGET else self.year


def deciding(plan_year: int, years: list[int]) -> Event:
    """The event that udmønter the needs starting in ``plan_year``: OFS 25/26 for the
    frame's first year, Budget Y for every later year."""
    return Event(OFS, plan_year - 1) if plan_year == years[0] else Event(BUDGET, plan_year)


def parse(text: str) -> Event | None:
    """``Budget 2027`` → Event(budget, 2027); ``OFS 26/27`` → Event(OFS, 2026); else None."""
    found = event_names.parse_name(text)
    return Event(*found) if found else None


def in_order(years: list[int]) -> list[Event]:
    """Every event of the frame's life, in KK's order: Budget <first>, OFS <first-1>/<first>,
    Budget <first+1>, OFS <first>/<first+1>, …, OFS <last>/<last+1>."""
    events = [Event(BUDGET, y) for y in years] + [Event(OFS, y) for y in [years[0] - 1, *years]]
    return sorted(events, key=lambda e: e.when)


def due(on) -> Event:
    """The event whose report is due on the date ``on``: in the first half of a calendar
    year Y the transfer case OFS Y-1/Y (spring, on the accounts for Y-1), in the second half
    the budget for Y+1 (August–September of Y). A schedule that runs on fixed dates thus
    needs no yearly edit."""
    return Event(OFS, on.year - 1) if on.month <= 6 else Event(BUDGET, on.year + 1)


def allowed(event: Event, years: list[int]) -> bool:
    """An event of the frame's life: a budget of a frame year, or an OFS from OFS 25/26 on."""
    if event.kind == BUDGET:
        return event.year in years
    return years[0] - 1 <= event.year <= years[-1]


def plan_year(event: str, year: int, years: list[int], asked: int | None = None) -> int | None:
    """The year a report's allocation page looks at (``asked`` when given); None when the
    event has no year left to allocate (the closing OFS)."""
    if asked:
        return int(asked)
    return Event(event, year).plan_year(years)
