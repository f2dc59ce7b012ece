"""The parameters an analyst gives: each declared once, with its default and its constraint.

Four kinds, one type each:

- :class:`Options`: an allocation option (what to optimise, under which rules and decisions);
- :class:`Sampling`: how a robustness run draws and solves (it judges an :class:`Options`);
- :class:`Rules`: how the follow-up (the OFS) treats unspent money;
- :class:`Grid`: what a report shows side by side, and which option its robustness judges.

A report's settings are one object of the four (:class:`analysis.inputs.settings.Settings`).

Every field carries its constraint (after scikit-learn's ``_parameter_constraints``), and
everything that takes a parameter reads it from here: the command line builds its options
from the table (:mod:`analysis.cli.options`), the scenario files and the notebooks' parameter
cells are checked against it (:func:`from_mapping`, :func:`from_notebook`), and the
provenance records :meth:`Parameters.as_dict`. A value outside its constraint raises
:class:`ParameterError`, whose message names the parameter and what it may be.

This module imports nothing heavy: the command line starts from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

from analysis.inputs import limits
from analysis.inputs.constraints import (
    SECONDS,
    SHARE,
    YEAR,
    Choice,
    Choices,
    Constraint,
    Flag,
    Ids,
    Levels,
    Number,
    ParameterError,
    Ranges,
    Spec,
    Weights,
    WeightSets,
    number_text,
)

# The strategies and cost levels an option can take (codes; the report has their words).
STRATEGIES = ("priority", "max-potential", "max-benefit", "max-npv")
OPTIMISED_STRATEGIES = ("max-potential", "max-benefit", "max-npv")  # the ones a solver decides
# The real discount rate of a need's nutidsværdi: Finansministeriet, "Dokumentationsnotat – den
# samfundsøkonomiske diskonteringsrente", 7. januar 2021 (3,5 pct. in years 0–35), the rate the
# state's business case model uses.
DISCOUNT_RATE = 0.035
# the register column each cost level plans with
COST_LEVELS = {"min": "omkostning_min", "expected": "omkostning_forventet", "max": "omkostning_max"}
# The default option (the first of a report's grid): tilgængelighed, aflastning, forenkling
# and skalering weighted alike, at the expected cost.
MAIN_STRATEGY, MAIN_COST_LEVEL, EQUAL_WEIGHTS = "max-potential", "expected", (1.0, 1.0, 1.0, 1.0)


def parameter(default: Any, constraint: Constraint, *, optional: bool = False, none_as: Any = None):
    """A dataclass field with its constraint (see :class:`Spec`)."""
    return field(default=default, metadata={"spec": Spec(constraint, optional, none_as)})


class Parameters:
    """What every parameter type shares: each field is checked against its constraint when
    the object is made (lists become tuples, whole numbers stay ints), and the object reads
    from and writes to plain mappings."""

    def __post_init__(self):
        for f in fields(self):  # type: ignore[arg-type]
            object.__setattr__(self, f.name, f.metadata["spec"].check(f.name, getattr(self, f.name)))
        self._check_together()

    def _check_together(self) -> None:
        """Constraints across fields (none by default)."""

    @classmethod
    def specs(cls) -> dict[str, Spec]:
        return {f.name: f.metadata["spec"] for f in fields(cls)}  # type: ignore[arg-type]

    @classmethod
    def defaults(cls) -> dict[str, Any]:
        return {f.name: f.default for f in fields(cls)}  # type: ignore[arg-type]

    def as_dict(self) -> dict[str, Any]:
        """Every field as plain data (lists for tuples): the provenance and the JSON settings."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]

    def changed(self, **changes):
        """A copy with some fields changed, checked like a new one."""
        return replace(self, **changes)  # type: ignore[type-var]


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def from_mapping(kind: type, mapping: dict, base=None, *, label=lambda key: key):
    """``base`` (or the defaults) with the fields ``mapping`` names; a key that is not a
    field of ``kind``, or a value its constraint refuses, raises :class:`ParameterError`
    named by ``label(key)``."""
    specs = kind.specs()
    unknown = [key for key in mapping if key not in specs]
    if unknown:
        known = ", ".join(label(key) for key in specs)
        raise ParameterError(label(unknown[0]), unknown[0], f"er ikke en parameter; kendte: {known}")
    checked = {}
    for key, value in mapping.items():
        try:
            checked[key] = specs[key].check(key, value)
        except ParameterError as exc:
            raise exc.named(label(key)) from None
    return replace(base, **checked) if base is not None else kind(**checked)


# --- the three kinds -------------------------------------------------------------------------


@dataclass(frozen=True)
class Options(Parameters):
    """An allocation option: what to optimise, under which rules and decisions."""

    strategy: str = parameter(MAIN_STRATEGY, Choice(STRATEGIES))
    cost_level: str = parameter(MAIN_COST_LEVEL, Choice(tuple(COST_LEVELS)))
    # tilgængelighed, aflastning, forenkling, skalering
    weights: tuple[float, float, float, float] = parameter(EQUAL_WEIGHTS, Weights())
    # An earlier start is worth 3 % more per year: enough to break ties in favour of starting
    # now rather than parking money in later years, small against differences in value.
    time_preference: float = parameter(0.03, Number(0, limits.MAX_TIME_PREFERENCE))
    # Planned carry-over: moving unspent money from one plan year to a later one. Off by
    # default: in KK a transfer is decided later, by ØU in the OFS, and a service transfer
    # burdens next year's serviceramme, so a plan put before ØU fits year by year. On, it is
    # a sensitivity.
    carry_over: bool = parameter(False, Flag())
    force_in: tuple[str, ...] = parameter((), Ids())
    force_out: tuple[str, ...] = parameter((), Ids())
    explain: bool = parameter(True, Flag())  # re-solve to explain why each need is left out
    time_limit: float = parameter(60.0, SECONDS)  # seconds for the whole allocation, explanations included
    explain_time_limit: float = parameter(20.0, SECONDS)  # seconds for all explanation re-solves together
    plan_year: int | None = parameter(None, YEAR, optional=True, none_as=0)  # None: the frame's first year
    release: tuple[str, ...] = parameter((), Ids())  # started investments to stop from the plan year on
    # the rate a need's nutidsværdi is discounted by (max-npv; the business case page)
    discount_rate: float = parameter(DISCOUNT_RATE, Number(0, limits.MAX_TIME_PREFERENCE))
    # a ceiling on the afledt drift (1.000 kr. a year) the funded needs leave on servicerammen
    # once they run, started investments included; None: no ceiling
    max_running_cost: float | None = parameter(None, Number(0, limits.MAX_AMOUNT), optional=True, none_as=-1)

    @property
    def uses_weights(self) -> bool:
        """Only max-potential chooses by the potential weights."""
        return self.strategy == "max-potential"

    @property
    def cost_column(self) -> str:
        return COST_LEVELS[self.cost_level]

    def require_optimised(self) -> None:
        """Refuse a strategy no solver decides (a robustness run re-optimises every draw)."""
        if self.strategy not in OPTIMISED_STRATEGIES:
            raise ParameterError(
                "strategy", self.strategy, "er ikke optimeret; vælg " + ", ".join(OPTIMISED_STRATEGIES)
            )


@dataclass(frozen=True)
class Sampling(Parameters):
    """How a robustness run draws and solves. It judges an allocation :class:`Options` (its
    strategy, weights, rules and decisions); these are the draws."""

    samples: int = parameter(1000, Number(1, limits.MAX_SAMPLES, whole=True))
    # The report's robustness page and `digiramme robustness` draw from the same seed, so the
    # command line reproduces the page.
    seed: int = parameter(2026, Number(0, limits.MAX_SEED, whole=True, grouped=False))
    # Draw (up to ``samples``) until every need's class is settled, that is its core index's
    # 99 % Wilson interval lies within one class; at least ``min_samples``. Off: exactly
    # ``samples`` draws.
    adaptive: bool = parameter(True, Flag())
    min_samples: int = parameter(200, Number(1, limits.MAX_SAMPLES, whole=True))
    # ...or until a need whose class is not settled has its core index known within this many
    # percentage points either way (the half-width of its 99 % interval): a need whose core
    # index lies at a class boundary never settles, and the page says which ones stopped so.
    # 0: only settled classes stop.
    margin: float = parameter(0.05, Number(0, 0.5))
    # Per solve: stop once the run is proven within this relative gap of its best (0: prove
    # every run optimal). A run stopped by the gap is still reproducible (same seed, same
    # answer); one stopped by the clock depends on the machine.
    gap: float = parameter(0.0, Number(0, limits.MAX_DRAW_GAP))
    time_limit: float = parameter(10.0, SECONDS)  # per solve
    workers: int = parameter(2, Number(1, limits.MAX_WORKERS, whole=True))
    # four (low, high) or None: all weightings
    weight_ranges: tuple[tuple[float, float], ...] | None = parameter(None, Ranges(), optional=True)
    scales: tuple[float, ...] = parameter(tuple(round(0.5 + 0.1 * k, 2) for k in range(11)), Levels())


@dataclass(frozen=True)
class Rules(Parameters):
    """How the follow-up treats unspent money and flags deviations."""

    # each investment's bound money is proposed transferred to it into the next year
    carry_over: bool = parameter(True, Flag())
    cap: float | None = parameter(None, SHARE, optional=True, none_as=0)  # a transfer's cap, share of the frame
    # the free money (never udmøntet, or given back) is kept in the pool for open needs that
    # start next year, instead of going back to the kassen (the OFS's alternative)
    fund_from_free: bool = parameter(False, Flag())
    # at the frame's last year, bound money moves on into the year after the frame
    beyond_frame: bool = parameter(False, Flag())
    deviation_threshold: float = parameter(0.10, SHARE)  # flag spent/funded off by more than this share
    # how far behind its expected progress an indicator may be, in shares of the way: at risk
    # beyond the first, off track beyond the second
    at_risk: float = parameter(0.10, SHARE)
    off_track: float = parameter(0.25, SHARE)
    # ØU covers these investments' merforbrug from the pool's money never udmøntet (an
    # udmøntning for the year); without: a merforbrug stays with its investment into next year
    cover_overspend: tuple[str, ...] = parameter((), Ids())
    # a merforbrug of at least this much (1.000 kr.) is named in the indstilling; a smaller one
    # is still shown and carried in the tables
    overspend_threshold: float = parameter(50.0, Number(0, limits.MAX_AMOUNT))

    def _check_together(self) -> None:
        if self.off_track < self.at_risk:
            raise ParameterError("off_track", self.off_track, f"skal være mindst at_risk ({number_text(self.at_risk)})")


@dataclass(frozen=True)
class Grid(Parameters):
    """What a report's allocation page puts side by side: every combination of these
    strategies, cost levels and weightings over the main option's rules and decisions (the
    first combination is the default :class:`Options`); and the strategy its robustness page
    judges (None: the main option's own)."""

    strategies: tuple[str, ...] = parameter((MAIN_STRATEGY, "max-benefit", "priority", "max-npv"), Choices(STRATEGIES))
    cost_levels: tuple[str, ...] = parameter((MAIN_COST_LEVEL, "max"), Choices(tuple(COST_LEVELS)))
    # equal weights, and aflastning (admin time moved to citizen-facing work) weighted double
    weightings: tuple[tuple[float, ...], ...] = parameter((EQUAL_WEIGHTS, (1.0, 2.0, 1.0, 1.0)), WeightSets())
    judged: str | None = parameter(None, Choice(OPTIMISED_STRATEGIES), optional=True, none_as="")


KINDS: dict[str, type[Parameters]] = {"options": Options, "sampling": Sampling, "rules": Rules, "grid": Grid}

# The Options fields that name register ids: decisions checked against the register.
DECISION_KEYS = ("force_in", "force_out", "release")
# The main option's rules and decisions (DECISION_KEYS among them), in the order the command
# line and the notebooks list them: the pages that show or judge it all take these
MAIN_OPTION = (
    "time_preference",
    "carry_over",
    "force_in",
    "force_out",
    "plan_year",
    "release",
    "discount_rate",
    "max_running_cost",
)
# What `digiramme report` takes of each kind (the rest of a report's settings are defaults)
REPORT_FIELDS: dict[type, tuple[str, ...]] = {
    Options: (*DECISION_KEYS, "max_running_cost", "discount_rate"),
    Sampling: ("gap",),
    Rules: ("fund_from_free", "beyond_frame", "cover_overspend", "overspend_threshold"),
}

# The parameters each notebook's parameters cell gives, by kind: field → the notebook's name
# for it. The notebooks read them with :func:`from_notebook`; a test keeps each notebook's
# literal defaults equal to the declarations here.
NOTEBOOKS: dict[str, dict[type, dict[str, str]]] = {
    "01_behovsregister": {},
    "02_allokering": {
        Options: {name: name for name in MAIN_OPTION},
        Grid: {name: name for name in ("strategies", "cost_levels", "weightings")},
    },
    "05_businesscase": {Options: {name: name for name in MAIN_OPTION}},
    "03_effektopfoelgning": {
        Rules: {
            "carry_over": "carry_over",
            "cap": "transfer_cap",
            "fund_from_free": "fund_from_free",
            "beyond_frame": "beyond_frame",
            "cover_overspend": "cover_overspend",
            "overspend_threshold": "overspend_threshold",
        }
    },
    "04_robusthed": {
        Options: {name: name for name in MAIN_OPTION},
        Grid: {"judged": "strategy"},
        Sampling: {name: name for name in ("samples", "seed", "adaptive", "gap", "time_limit")},
    },
}


def from_notebook(kind: type, notebook: str, namespace: dict, base=None):
    """The parameters of ``kind`` that ``notebook``'s parameters cell gives (see
    :data:`NOTEBOOKS`), read from its ``namespace`` and checked against their constraints.
    A value equal to a parameter's ``none_as`` (0 for "not given") stands for None."""
    names = NOTEBOOKS[notebook].get(kind, {})
    specs = kind.specs()
    given = {}
    for name, key in names.items():
        if key in namespace:
            value, spec = namespace[key], specs[name]
            stands_for_none = spec.none_as is not None and not isinstance(value, bool) and value == spec.none_as
            given[name] = None if stands_for_none else value
    return from_mapping(kind, given, base, label=lambda field: names.get(field, field))
