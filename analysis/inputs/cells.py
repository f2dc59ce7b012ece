"""Reading single cells the way Danish analysts and their tools write them: numbers
(``2,5``, ``1.000``, ``2.500,5`` and English decimals from other tools), shares, yes/no and
text. Each parser raises ``ValueError`` with a Danish message naming the problem."""

from __future__ import annotations

import math
import re
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from babel.numbers import NumberFormatError, format_decimal, parse_decimal

LOCALE = "da_DK"

_ENGLISH_DECIMAL = re.compile(r"^[+-]?(\d+)?\.(\d+)$")
_SPACES = re.compile(r"[\s\u00a0\u202f]")


def parse_number(value: Any) -> float | None:
    """Read a number the way Danish analysts and their tools write it.

    ``None`` and blank text give ``None``. Excel numbers pass through. Text is read as
    Danish (``2,5``, ``1.000``, ``2.500,5``) by Babel; failing that, as an English
    decimal from another tool (``0.5``, ``2820.0``): a dot not followed by exactly three
    digits is a decimal point. Raises ``ValueError`` for anything else.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("er ikke et tal")
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            return None
        return float(value)
    text = _SPACES.sub("", str(value)).replace("\u2212", "-")
    if text == "":
        return None
    try:
        return float(parse_decimal(text, locale=LOCALE, strict=True))
    except NumberFormatError:
        pass
    match = _ENGLISH_DECIMAL.match(text)
    if match and len(match.group(2)) != 3:
        return float(text)
    raise ValueError("er ikke et tal")


def parse_share(value: Any) -> float | None:
    """A share between 0 and 1, also accepted as a percentage (``40%`` or ``40 %``)."""
    if isinstance(value, str) and value.strip().endswith("%"):
        number = parse_number(value.strip()[:-1])
        return None if number is None else number / 100
    return parse_number(value)


_YES = {"ja", "j", "x", "1", "sand", "true", "yes", "y"}
_NO = {"nej", "n", "0", "falsk", "false", "no", ""}


def parse_yes_no(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = "1" if value == 1 else "0" if value == 0 else text
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError("skal være ja eller nej")


def cell_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            value = int(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    text = str(value).strip()
    return text or None


def quoted(value: Any) -> str:
    text = str(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f'"{text}"'


def format_number(value: float, decimals: int = 0) -> str:
    """A number the Danish way, rounded half up as people round: ``1234.5`` → ``1.235``
    (0 decimals) or ``1.234,5`` (1 decimal). The one place numbers are written in Danish;
    :mod:`analysis.report.formats` builds the report's units on it."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    # Half up (Python and Babel would round 14.912,5 to the even 14.912).
    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0"
    return format_decimal(rounded, format=pattern, locale=LOCALE)
