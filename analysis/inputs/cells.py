"""Reading single cells the way Danish analysts and their tools write them: numbers
(``2,5``, ``1.000``, ``2.500,5`` and English decimals from other tools), shares, yes/no and
text. Each parser raises ``ValueError`` with a Danish message naming the problem."""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from babel.numbers import NumberFormatError, format_decimal, parse_decimal

LOCALE = "da_DK"

_ENGLISH_DECIMAL = re.compile(r"^[+-]?([0-9]+)?\.([0-9]+)([eE][+-]?[0-9]+)?$")
# A space inside a number only groups thousands: "10 000", "1 000 000,5" (a plain space, or
# the no-break, narrow no-break and thin spaces Excel and Word write). Anything else, "10 0" or
# "1,5 2", is refused: read without its spaces it would be another number than the one meant.
_GROUP_SPACE = "[ \u00a0\u202f\u2009]"
_SPACE_GROUPED = re.compile(rf"^[+-]?[0-9]{{1,3}}(?:{_GROUP_SPACE}[0-9]{{3}})+(?:[.,][0-9]+)?$")
_INNER_SPACE = re.compile(r"\s")
_SIGN_SPACE = re.compile(rf"^([+-]){_GROUP_SPACE}+")
SPACE_INSIDE = "har mellemrum inde i tallet; et mellemrum må kun skille tusinder (10 000)"


NOT_FINITE = "er ikke et endeligt tal"
NOT_A_NUMBER = "er ikke et tal"
_NUMBER_CHARACTERS = re.compile(r"^[0-9.,eE+-]*$")
_NOT_FINITE_WORDS = {"nan", "inf", "infinity"}


def _finite(number: float) -> float:
    if not math.isfinite(number):
        raise ValueError(NOT_FINITE)
    return number


def _danish(text: str) -> float | None:
    """``text`` read strictly as a Danish number by Babel (None: it is not one)."""
    try:
        return _finite(float(parse_decimal(text, locale=LOCALE, strict=True)))
    except NumberFormatError:
        return None
    except (OverflowError, ArithmeticError):
        raise ValueError(NOT_FINITE) from None


def _plain_text(value: Any) -> str:
    """A number's text without its thousands spaces (and with U+2212 as a minus); raises
    ``ValueError`` for a space anywhere else inside it."""
    text = str(value).strip().replace("\u2212", "-")
    text = _SIGN_SPACE.sub(r"\1", text)  # "- 5": a space after the sign cannot change the number
    if _INNER_SPACE.search(text):
        if not _SPACE_GROUPED.match(text):
            # digits with a space between them ("10 0") are a number read wrong; words ("to
            # tusind") are no number at all
            joined = _INNER_SPACE.sub("", text)
            raise ValueError(SPACE_INSIDE if _NUMBER_CHARACTERS.match(joined) else NOT_A_NUMBER)
        text = _INNER_SPACE.sub("", text)
    if not _NUMBER_CHARACTERS.match(text):  # Babel would read "1_0" as 10 and "١٢" as 12
        raise ValueError(NOT_FINITE if text.lstrip("+-").lower() in _NOT_FINITE_WORDS else NOT_A_NUMBER)
    return text


def parse_number(value: Any) -> float | None:
    """Read a number the way Danish analysts and their tools write it.

    The one reader of a number written as text, in a file, on the command line or in a
    notebook parameter. ``None`` and blank text give ``None``. Excel numbers pass through.
    Text is read as Danish (``2,5``, ``1.000``, ``2.500,5``, ``10 000``, ``1,5e3``) by
    Babel; failing that, as an English decimal from another tool (``0.5``, ``2820.0``,
    ``1.5e-3``): a dot not followed by exactly three digits is a decimal point. A space
    only groups thousands. ``NaN``, ``inf``, ``1e309`` and the like are not numbers here.
    Raises ``ValueError`` for anything else.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("er ikke et tal")
    if isinstance(value, int | float):
        return _finite(float(value))
    text = _plain_text(value)
    if text == "":
        return None
    number = _danish(text)
    if number is not None:
        return number
    match = _ENGLISH_DECIMAL.match(text)
    if match and len(match.group(2)) != 3:
        return _finite(float(text))
    raise ValueError("er ikke et tal")


_COMMA_THOUSANDS = re.compile(r"^[+-]?\d{1,3},\d{3}$")


def parse_amount(value: Any) -> tuple[float | None, str | None]:
    """An amount in 1.000 kr., read strictly the Danish way: a dot only groups thousands
    (``1.000``), a comma is the decimal sign (``2,5``). ``2.5`` is an error: its grouping is
    malformed, and reading it as 2,5 or 25 would be a guess. Returns the amount and a
    warning when a comma number with three decimals (``10,000``) is read as a decimal
    (10), which someone may have meant as ten thousand."""
    if value is None or isinstance(value, bool | int | float):
        return parse_number(value), None
    text = _plain_text(value)
    if text == "":
        return None, None
    number = _danish(text)
    if number is None:
        if _ENGLISH_DECIMAL.match(text):
            raise ValueError(
                "har punktum uden tre cifre efter; i danske beløb skiller punktum tusinder (1.000) og komma "
                "decimaler (2,5)"
            )
        raise ValueError("er ikke et tal")
    if _COMMA_THOUSANDS.match(text):
        shown = format_decimal(number, format="#,##0.###", locale=LOCALE)
        return number, f'"{text}" er læst som {shown} (komma er decimaltegn); skriv fx 10.000 for ti tusind'

    return number, None


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


# Every character the eye cannot see or that changes how text around it shows: controls
# (Cc), formats (Cf, e.g. U+200F, U+061C, U+E0041), Unicode's default-ignorables (variation
# selectors, Hangul fillers), private use (Co), surrogates (Cs) and line/paragraph separators.
# Written out rather than computed from unicodedata, which would cost every command's start;
# tests/test_hostile_inputs_2.py checks it against unicodedata.
INVISIBLE = re.compile(
    "["
    "\u0000-\u001f\u007f-\u009f\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2"
    "\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164"
    "\ud800-\uf8ff\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001345f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e0fff\U000f0000-\U0010ffff"
    "]"
)


def visible(text: str) -> str:
    """``text`` with every invisible or control character shown as ``<U+200B>``, so a
    message can point at what the eye cannot see."""
    return INVISIBLE.sub(lambda m: f"<U+{ord(m.group(0)):04X}>", text)


_NAMELESS = {"Cc": "styretegn", "Co": "tegn til privat brug", "Cs": "surrogat", "Cn": "ikke tildelt i Unicode"}


def character_name(char: str) -> str:
    """``U+200F RIGHT-TO-LEFT MARK``: a character by its code point and Unicode name (a
    control or private character, which has no name, by what it is)."""
    name = unicodedata.name(char, None) or _NAMELESS.get(unicodedata.category(char), "uden navn")
    return f"U+{ord(char):04X} {name}"


def hidden_characters(text: str) -> list[str]:
    """Each invisible character and each combining mark in ``text`` (a letter typed as "A"
    plus a combining ring instead of "Å"), once, by its Unicode name."""
    found = dict.fromkeys(c for c in text if INVISIBLE.match(c) or unicodedata.combining(c))
    return [character_name(c) for c in found]


def named_hidden(text: str) -> str:
    """`` (U+200F RIGHT-TO-LEFT MARK)`` after a text holding such characters, else ``""``:
    what a message adds so the reader learns which character the eye cannot see."""
    names = hidden_characters(text)
    return f" ({', '.join(names)})" if names else ""


def id_key(text: str) -> str:
    """How two ids are compared: NFKC and casefolded, so ``DATA-01``, ``data-01`` and the
    full-width ``ＤＡＴＡ-０１`` are one id."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


def unknown_id(need_id: str, known_ids, where: str = "i behovsregisteret") -> str:
    """Why ``need_id`` is not one of ``known_ids``: shown escaped, its invisible and combining
    characters named, and, compared as the register compares ids (NFKC, casefolded, without
    invisible characters), the id it looks like."""
    keys = {id_key(k): k for k in known_ids}
    meant = keys.get(id_key(INVISIBLE.sub("", need_id)))
    hint = f'; mente du "{meant}"?' if meant else ""
    return f'"{visible(need_id)}" er ikke et id {where}{named_hidden(need_id)}{hint}'


def decomposed(text: str) -> str | None:
    """Why ``text`` reads as another text in NFC (a letter typed as "A" plus a combining ring
    is read as "Å"), naming the combining characters; None when it is NFC already."""
    composed = unicodedata.normalize("NFC", text)
    if composed == text:
        return None
    marks = ", ".join(character_name(c) for c in dict.fromkeys(text) if unicodedata.combining(c))
    return f'"{visible(text)}" er skrevet med sammensatte tegn ({marks}); det læses som "{composed}"'


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
    # NFC: a letter typed as "a" + combining ring and the precomposed "å" are one text
    text = unicodedata.normalize("NFC", str(value)).strip()
    return text or None


def quoted(value: Any) -> str:
    text = visible(str(value))
    if len(text) > 60:
        text = text[:57] + "..."
    return f'"{text}"'


def format_plain(value: float, grouped: bool = True) -> str:
    """A number as it is, the Danish way, with the decimals it has and no exponent: a bound
    or a value in a message (``1.234.567``, ``0,1``, ``0,0000001``; a year ungrouped: 2026)."""
    if not math.isfinite(value):
        return "uendelig" if value == value else "ikke et tal"
    exact = Decimal(repr(float(value)))
    if exact == exact.to_integral_value():
        exact = exact.quantize(Decimal(1))
        return format_decimal(exact, format="#,##0" if grouped else "0", locale=LOCALE)
    decimals = max(-exact.normalize().as_tuple().exponent, 0)
    pattern = ("#,##0." if grouped else "0.") + "#" * decimals
    return format_decimal(exact, format=pattern, locale=LOCALE)


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
