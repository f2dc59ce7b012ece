"""The cycle's events in KK's words: ``Budget 2027``, ``Overførselssagen 26/27``, when each
is, and the first udmøntning."""

from __future__ import annotations

from analysis.inputs import event_names


def transfer_case(year: int) -> str:
    """KK names a transfer case after both years: the case that follows up 2026 is
    "Overførselssagen 26/27"."""
    return event_names.title(event_names.OFS, year)


def event_title(event) -> str:
    """``Budget 2027``; ``Overførselssagen 26/27``."""
    return event_names.title(event.kind, event.year)


def event_when(event) -> str:
    """When the event is: ``foråret 2027``; ``august–september 2026``."""
    calendar_year, half = event.when
    return f"foråret {calendar_year}" if half == 0 else f"august–september {calendar_year}"


def first_udmoentning(years: list[int]):
    """The event that udmønter the frame the first time: OFS 25/26 for a frame from 2026."""
    from analysis.model.cycle import deciding

    return deciding(years[0], years)


def indicative(years: list[int]) -> str:
    """The mark of the first year's budget plan: ``vejledende – udmøntes ved OFS 25/26``."""
    return f"vejledende – udmøntes ved {first_udmoentning(years).name}"
