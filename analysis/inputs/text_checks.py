"""Cells that read fine but are probably not what was meant: text encoded twice (mojibake,
``Ã¸`` for ``ø``: a UTF-8 file opened as Windows-1252 and saved again) and a year far from
today (2099 for 2029). Each gives a warning naming the cell, never an error."""

from __future__ import annotations

import re
from datetime import date

PLAUSIBLE_YEARS = 25  # a year further than this from today is probably a typing error

# UTF-8's lead bytes for Latin-1 letters read as Windows-1252: Ã or Â followed by a
# continuation byte's character (æ → Ã¦, ø → Ã¸, Ø → Ã˜, å → Ã¥, é → Ã©), and â€ (– “ ”)
_MOJIBAKE = re.compile(
    "Ã[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u02c6\u02dc\u2013-\u203a\u20ac\u2122]|Â[\u00a0-\u00bf]|â€"
)


def mojibake(text: str) -> str | None:
    """A warning for text that looks encoded twice (None: it does not)."""
    found = _MOJIBAKE.search(text)
    if not found:
        return None
    try:
        meant = found.group(0).encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        meant = None
    hint = f', hvor der nok skulle stå "{meant}"' if meant and len(meant) == 1 else ""
    return (
        f'teksten ser dobbelt-kodet ud: "{found.group(0)}" står{hint}; filen er måske åbnet med forkert tegnsæt '
        "og gemt igen. Ret teksten, eller gem filen som CSV UTF-8 fra den oprindelige fil"
    )


def far_year(year: int, today: date | None = None) -> str | None:
    """A warning for a year more than 25 years from today (None: a plausible year)."""
    this_year = (today or date.today()).year
    if abs(year - this_year) > PLAUSIBLE_YEARS:
        return f"årstallet {year} ligger mere end {PLAUSIBLE_YEARS} år fra i år ({this_year}); er det en tastefejl?"
    return None
