"""Danish number formats, through Babel: ``1.000``, ``2,5 mio. kr.``, ``40 %``.

Amounts in the package are in 1.000 kr.; these helpers only format, they never round
data that is computed on.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal

from analysis.inputs.cells import LOCALE, format_number

UNIT_TKR = "1.000 kr."
DASH = "–"


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value, decimals: int = 0) -> str:
    """``1234.5`` → ``1.235`` (0 decimals) or ``1.234,5`` (1 decimal); missing → ``–``."""
    if _missing(value):
        return DASH
    return format_number(value, decimals)


def tkr(value) -> str:
    """An amount in 1.000 kr. as a whole number: ``15000`` → ``15.000``."""
    return number(value, 0)


def mio(value_tkr, decimals: int = 1, unit: bool = True) -> str:
    """An amount in 1.000 kr. as millions: ``2500`` → ``2,5 mio. kr.``; ``10000`` → ``10 mio. kr.``.

    Trailing zero decimals are dropped so whole millions read as the note writes them. An
    amount under 0,1 mio. kr. (not 0) reads in whole 1.000 kr. with the unit (37,5 t.kr. is
    ``38.000 kr.``, as a table in 1.000 kr. shows it), so it never shows as 0 mio. kr.
    """
    if _missing(value_tkr):
        return DASH
    if unit and 0 < abs(float(value_tkr)) < 100:
        # in whole 1.000 kr., as the tables show it: 37,5 t.kr. is 38.000 kr.
        thousands = int(Decimal(repr(abs(float(value_tkr)))).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        if thousands == 0:
            return "under 1.000 kr."
        return f"{'-' if value_tkr < 0 else ''}{number(thousands * 1000)} kr."
    # half up, as KK's tables round (73.250 is 73,3 mio. kr.), from the exact amount
    millions = Decimal(repr(float(value_tkr))) / 1000
    rounded = millions.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if rounded == 0 and millions != 0 and decimals < 2:
        return mio(value_tkr, 2, unit)  # without a unit: 37.500 kr. is 0,04, not 0
    if rounded == 0:
        rounded = abs(rounded)  # no "-0"
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    text = format_decimal(rounded, format=pattern, locale=LOCALE)
    return f"{text} mio. kr." if unit else text


def signed_mio(value_tkr, decimals: int = 1, unit: bool = True) -> str:
    """A change in millions with its sign, so it does not read as a level: ``18200`` →
    ``+18,2 mio. kr.``, ``-5000`` → ``−5 mio. kr.``; no change (after rounding) ``0 mio. kr.``."""
    if _missing(value_tkr):
        return DASH
    text = mio(abs(float(value_tkr)), decimals, unit)
    if text == mio(0, decimals, unit):
        return text
    return ("+" if value_tkr > 0 else "\u2212") + text


def mio_range(low_tkr, high_tkr) -> str:
    """A cost range in millions: ``10–15 mio. kr.``; one number when low equals high."""
    if _missing(low_tkr) and _missing(high_tkr):
        return "intet estimat"
    if _missing(low_tkr) or _missing(high_tkr) or float(low_tkr) == float(high_tkr):
        value = high_tkr if _missing(low_tkr) else low_tkr
        return mio(value)
    return f"{mio(low_tkr, unit=False)}{DASH}{mio(high_tkr)}"


def percent(share, decimals: int = 0) -> str:
    """A share 0–1 as Danish percent: ``0.4`` → ``40 %``."""
    if _missing(share):
        return DASH
    return f"{number(float(share) * 100, decimals)} %"


def mio_parts(values_tkr, decimals: int = 1) -> list[str]:
    """Parts in millions that add up to their rounded total (largest remainder): 14.363 and
    2.850 are 14,4 and 2,8, because together they are 17,2 mio. kr."""
    step = Decimal(1).scaleb(-decimals)
    exact = [Decimal(repr(float(v))) / 1000 for v in values_tkr]
    total = sum(exact, Decimal(0)).quantize(step, rounding=ROUND_HALF_UP)
    floors = [(e / step).to_integral_value(rounding="ROUND_FLOOR") * step for e in exact]
    left = int(((total - sum(floors, Decimal(0))) / step).to_integral_value())
    order = sorted(range(len(exact)), key=lambda i: exact[i] - floors[i], reverse=True)
    for i in order[: max(left, 0)]:
        floors[i] += step
    # a part under 0,1 mio. kr. that rounds to nothing reads in kroner (not "0 mio. kr.")
    return [
        mio(float(v) * 1000, decimals) if v != 0 or e == 0 else mio(float(e) * 1000)
        for v, e in zip(floors, exact, strict=True)
    ]


def mio_each(parts_tkr: dict[str, float], decimals: int = 1) -> str:
    """Named parts in millions, each rounded on its own: ``service 5,2 mio. kr., anlæg 21,1
    mio. kr.``; where the rounded parts do not add up to their rounded total, ``; afrundet hver
    for sig`` follows (the list stands in parentheses), so a reader who adds them knows why."""
    text = ", ".join(f"{name} {mio(v, decimals)}" for name, v in parts_tkr.items())
    step = Decimal(1).scaleb(-decimals)

    def rounded(v) -> Decimal:
        return (Decimal(repr(float(v))) / 1000).quantize(step, rounding=ROUND_HALF_UP)

    if len(parts_tkr) > 1 and sum(rounded(v) for v in parts_tkr.values()) != rounded(sum(parts_tkr.values())):
        text += "; afrundet hver for sig"
    return text


def share(value) -> str:
    """A share 0–1 in whole percent that is 0 % or 100 % only when it is exactly so; where
    whole percent would round to 0 or 100, one decimal: ``0.995`` → ``99,5 %``, ``0.004`` →
    ``0,4 %`` (and ``over 99,9 %`` / ``under 0,1 %`` beyond that)."""
    if _missing(value):
        return DASH
    value = float(value)
    if value >= 1:
        return "100 %"
    if value <= 0:
        return "0 %"
    whole = round(value * 100)
    if 0 < whole < 100:
        return f"{whole} %"
    tenth = round(value * 1000)
    if tenth >= 1000:
        return "over 99,9 %"
    if tenth <= 0:
        return "under 0,1 %"
    return f"{number(tenth / 10, 1)} %"


def measure(value) -> str:
    """A measurement: whole numbers (head counts, hours) without decimals, else one."""
    if _missing(value):
        return DASH
    return number(value, 0 if float(value).is_integer() else 1)


def count(n: int, singular: str, plural: str) -> str:
    """A whole count with the right Danish form: ``1 advarsel``, ``3 advarsler``."""
    return f"{number(n)} {singular if n == 1 else plural}"


def and_list(parts: list[str]) -> str:
    """Danish enumeration: ``a``, ``a og b``, ``a, b og c`` (empty: "")."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " og " + parts[-1]
