"""How the files name an event of the cycle (the ledger's ``beslutning``): KK's own names,
``Budget 2027`` and ``OFS 26/27`` (the transfer case that follows up 2026)."""

from __future__ import annotations

import re

from analysis.inputs.limits import YEAR_MIN

BUDGET, OFS = "budget", "OFS"
CENTURY = YEAR_MIN // 100 * 100  # "OFS 26/27" names years of the century the package's years lie in
_NAME = re.compile(r"^\s*(?:(budget)\s+(\d{4})|(ofs)\s+(\d{2})\s*/\s*(\d{2}))\s*$", re.IGNORECASE)


def name(kind: str, year: int) -> str:
    """``Budget 2027``; ``OFS 26/27`` for the OFS that follows up 2026."""
    if kind == OFS:
        return f"OFS {year % 100:02d}/{(year + 1) % 100:02d}"
    return f"Budget {year}"


def title(kind: str, year: int) -> str:
    """The event as a heading says it: ``Budget 2027``; ``Overførselssagen 26/27`` (the
    transfer case that follows up 2026)."""
    if kind == OFS:
        return f"Overførselssagen {year % 100:02d}/{(year + 1) % 100:02d}"
    return f"Budget {year}"


def parse_name(text: str | None) -> tuple[str, int] | None:
    """``Budget 2027`` → (budget, 2027); ``OFS 26/27`` → (OFS, 2026); anything else None."""
    found = _NAME.match(text or "")
    if not found:
        return None
    if found.group(1):
        return BUDGET, int(found.group(2))
    first, second = int(found.group(4)), int(found.group(5))
    if (first + 1) % 100 != second:
        return None
    return OFS, CENTURY + first
