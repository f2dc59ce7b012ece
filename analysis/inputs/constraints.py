"""The constraints a parameter's value must meet (a number within a range, one of a few
codes, yes or no, a list of ids, four weights, …), each able to check a value from Python or
JSON and to parse one from a command line, and to say in Danish what a refused value must
be (:class:`ParameterError`). Declared per parameter in :mod:`analysis.inputs.parameters`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from analysis.inputs import limits
from analysis.inputs.findings import BadArgument


class ParameterError(BadArgument):
    """A parameter value its constraint refuses. ``name`` is the parameter (or the option or
    key the caller reads it from); ``reason`` says what is wrong, in Danish, after the value
    (``skal være mindst 0 og højst 1``)."""

    def __init__(self, name: str, value: Any, reason: str):
        self.name, self.value, self.reason = name, value, reason
        super().__init__(f"{name}: {self.detail}")

    @property
    def detail(self) -> str:
        """The value and what is wrong with it, without the name."""
        return f"{_shown(self.value)} {self.reason}"

    def named(self, name: str) -> ParameterError:
        """The same error, naming the option or key the value came from."""
        return ParameterError(name, self.value, self.reason)


def _shown(value: Any) -> str:
    from analysis.inputs.cells import quoted

    if isinstance(value, str):
        return quoted(value)
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def number_text(value: float, grouped: bool = True) -> str:
    """A bound the Danish way, with as many decimals as it has (0,1; 1.000.000; 0)."""
    from analysis.inputs.cells import format_plain

    return format_plain(value, grouped)


# --- constraints ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Number:
    """A finite number within ``low``–``high`` (``low_open``: above ``low``); ``whole``: an integer."""

    low: float | None = None
    high: float | None = None
    low_open: bool = False
    whole: bool = False
    grouped: bool = True  # write bounds with thousands separators (not years: 2026)

    def _bound(self, value: float) -> str:
        return number_text(value, self.grouped)

    def describe(self) -> str:
        what = "et helt tal" if self.whole else "et tal"
        if self.low is not None and self.high is not None:
            if self.low_open:
                return f"{what} over {self._bound(self.low)} og højst {self._bound(self.high)}"
            return f"{what} fra {self._bound(self.low)} til {self._bound(self.high)}"
        if self.low is not None:
            return f"{what} over {self._bound(self.low)}" if self.low_open else f"{what} ≥ {self._bound(self.low)}"
        return what

    def span(self) -> str:
        """The range a value must lie in: ``mindst 0 og højst 1``, ``over 0``."""
        text = ""
        if self.low is not None:
            text = f"over {self._bound(self.low)}" if self.low_open else f"mindst {self._bound(self.low)}"
        if self.high is not None:
            text += (" og " if text else "") + f"højst {self._bound(self.high)}"
        return text

    def check(self, value: Any):
        not_a_number = "er ikke et helt tal" if self.whole else "er ikke et endeligt tal"
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(not_a_number)
        if isinstance(value, int) and abs(value) > 10**18:  # too large for a float to hold exactly
            raise ValueError(f"skal være {self.span()}" if self.span() else not_a_number)
        number = float(value)
        if not math.isfinite(number) or (self.whole and not number.is_integer()):
            raise ValueError(not_a_number)
        low_ok = self.low is None or (number > self.low if self.low_open else number >= self.low)
        if not low_ok or (self.high is not None and number > self.high):
            raise ValueError(f"skal være {self.span()}")
        return int(number) if self.whole else number

    def parse(self, text: str):
        """A command-line or notebook text, read as every number is
        (:func:`~analysis.inputs.cells.parse_number`: 0,5 and 0.5, 1e-3, 10 000)."""
        from analysis.inputs.cells import parse_number

        try:
            value: Any = parse_number(text)
        except ValueError:
            value = None
        if value is None:
            raise ValueError("er ikke et helt tal" if self.whole else "er ikke et endeligt tal")
        return self.check(value)


@dataclass(frozen=True)
class Choice:
    """One of a few codes."""

    choices: tuple[str, ...]

    def describe(self) -> str:
        return "en af " + ", ".join(self.choices)

    def check(self, value: Any):
        if not isinstance(value, str) or value not in self.choices:
            raise ValueError("er ikke et gyldigt valg; vælg " + ", ".join(self.choices))
        return value

    def parse(self, text: str):
        return self.check(text.strip())


@dataclass(frozen=True)
class Flag:
    """Yes or no."""

    def describe(self) -> str:
        return "true eller false (ja eller nej)"

    def check(self, value: Any):
        if not isinstance(value, bool):
            raise ValueError("skal være true eller false")
        return value

    def parse(self, text: str):
        from analysis.inputs.cells import parse_yes_no

        try:
            return parse_yes_no(text)
        except ValueError:
            raise ValueError("skal være ja eller nej") from None


@dataclass(frozen=True)
class Ids:
    """A list of register ids (their existence is a decision checked against the register)."""

    def describe(self) -> str:
        return "en liste af id'er"

    def check(self, value: Any):
        if isinstance(value, str) or not isinstance(value, list | tuple):
            raise ValueError("skal være en liste af id'er")
        if not all(isinstance(i, str) and i.strip() for i in value):
            raise ValueError("skal være en liste af id'er (tekst)")
        return tuple(i.strip() for i in value)

    def parse(self, text: str):
        return tuple(part.strip() for part in text.replace(";", ",").split(",") if part.strip())


@dataclass(frozen=True)
class Weights:
    """One weight ≥ 0 per potential: tilgængelighed, aflastning, forenkling, skalering."""

    count: int = 4
    high: float = limits.MAX_WEIGHT

    def describe(self) -> str:
        return (
            f"fire vægte fra 0 til {number_text(self.high)} (tilgængelighed, aflastning, forenkling, skalering), "
            "fx 1,2,1,1"
        )

    def check(self, value: Any):
        if isinstance(value, str) or not isinstance(value, list | tuple) or len(value) != self.count:
            raise ValueError("er ikke " + self.describe())
        one = Number(0, self.high)
        try:
            return tuple(float(one.check(w)) for w in value)
        except ValueError:
            raise ValueError("er ikke " + self.describe()) from None

    def parse(self, text: str):
        from analysis.inputs.cells import parse_number

        parts = text.split(";") if ";" in text else text.split(",")
        try:
            values = [parse_number(p) for p in parts]
        except ValueError:
            raise ValueError("er ikke " + self.describe()) from None
        if any(v is None for v in values):
            raise ValueError("er ikke " + self.describe())
        return self.check(values)


@dataclass(frozen=True)
class Ranges:
    """One (low, high) range per potential's weight, 0 ≤ low ≤ high."""

    count: int = 4

    def describe(self) -> str:
        return "fire par (lav, høj) med 0 ≤ lav ≤ høj, ét pr. potentiale"

    def check(self, value: Any):
        wrong = "er ikke " + self.describe()
        if isinstance(value, str) or not isinstance(value, list | tuple) or len(value) != self.count:
            raise ValueError(wrong)
        out = []
        one = Number(0, limits.MAX_WEIGHT)
        for pair in value:
            if isinstance(pair, str) or not isinstance(pair, list | tuple) or len(pair) != 2:
                raise ValueError(wrong)
            try:
                low, high = one.check(pair[0]), one.check(pair[1])
            except ValueError:
                raise ValueError(wrong) from None
            if low > high:
                raise ValueError(wrong)
            out.append((float(low), float(high)))
        return tuple(out)

    def parse(self, text: str):
        raise ValueError("er ikke " + self.describe())


@dataclass(frozen=True)
class Levels:
    """Frame levels, each a factor above 0 (1 = the frame as it is)."""

    def describe(self) -> str:
        return f"en liste af rammeniveauer over 0 og højst {number_text(limits.MAX_FRAME_SCALE)}"

    def check(self, value: Any):
        if isinstance(value, str) or not isinstance(value, list | tuple) or not value:
            raise ValueError("er ikke " + self.describe())
        one = Number(0, limits.MAX_FRAME_SCALE, low_open=True)
        try:
            return tuple(float(one.check(v)) for v in value)
        except ValueError:
            raise ValueError("er ikke " + self.describe()) from None

    def parse(self, text: str):
        raise ValueError("er ikke " + self.describe())


@dataclass(frozen=True)
class Choices:
    """A list of codes, each one of a few, none twice (in the order given)."""

    choices: tuple[str, ...]

    def describe(self) -> str:
        return "en liste af " + ", ".join(self.choices)

    def check(self, value: Any):
        wrong = "er ikke " + self.describe() + ", hver højst én gang"
        if isinstance(value, str) or not isinstance(value, list | tuple) or not value:
            raise ValueError(wrong)
        if any(not isinstance(v, str) or v not in self.choices for v in value) or len(set(value)) != len(value):
            raise ValueError(wrong)
        return tuple(value)

    def parse(self, text: str):
        return self.check([part.strip() for part in text.split(",") if part.strip()])


@dataclass(frozen=True)
class WeightSets:
    """A list of weightings, each one weight per potential (:class:`Weights`)."""

    one: Weights = Weights()

    def describe(self) -> str:
        return "en liste af vægtninger, hver " + self.one.describe()

    def check(self, value: Any):
        if isinstance(value, str) or not isinstance(value, list | tuple) or not value:
            raise ValueError("er ikke " + self.describe())
        return tuple(self.one.check(weights) for weights in value)

    def parse(self, text: str):
        return self.check([self.one.parse(part) for part in text.split("/") if part.strip()])


Constraint = Number | Choice | Flag | Ids | Weights | Ranges | Levels | Choices | WeightSets

YEAR = Number(limits.YEAR_MIN, limits.YEAR_MAX, whole=True, grouped=False)
SHARE = Number(0, 1)
SECONDS = Number(0, limits.MAX_TIME_LIMIT, low_open=True)


@dataclass(frozen=True)
class Spec:
    """A parameter's declaration besides its default: its constraint, whether it may be None
    (``optional``), and how a notebook's parameters cell writes None (``none_as``: papermill
    needs a typed literal, so 0 stands for "not given")."""

    constraint: Constraint
    optional: bool = False
    none_as: Any = None

    def check(self, name: str, value: Any):
        if value is None and self.optional:
            return None
        try:
            return self.constraint.check(value)
        except ValueError as exc:
            raise ParameterError(name, value, str(exc)) from None

    def parse(self, name: str, text: str):
        try:
            return self.constraint.parse(text)
        except ValueError as exc:
            raise ParameterError(name, text, str(exc)) from None
