"""The codes and small typed values of an allocation: the solver's status, why a need is
left out, why a set of demands cannot be met. They import nothing from the rest of the
allocation package, so every module of it can use them (an import-linter contract keeps the
package free of cycles). The Danish words for them live in :mod:`analysis.report.vocabulary`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from analysis.model.cycle import Event

TOLERANCE = 1e-6  # 1.000 kr.: spending within this of the frame fits


class Status(StrEnum):
    """A solver's real status. The values are the ``status`` codes of ``allocate --json``."""

    OPTIMAL = "optimal"
    TIME_LIMIT = "time_limit"
    INFEASIBLE = "infeasible"
    ERROR = "error"
    # proven within a gap that was asked for (robustness --gap), not proven optimal;
    # allocate always proves optimality and never returns it
    WITHIN_GAP = "within_gap"

    @property
    def has_option(self) -> bool:
        """An option to show: proven optimal (or within the gap asked for), or the best
        found within the time limit."""
        return self in (Status.OPTIMAL, Status.TIME_LIMIT, Status.WITHIN_GAP)


class Reason(StrEnum):
    """Why a need is not funded. The values are the ``reason`` codes of ``allocate --json``."""

    NO_ESTIMATE = "no_estimate"
    FORCED_OUT = "forced_out"
    NO_FIT = "does_not_fit"
    DEPENDENCY = "unmet_dependency"
    VARIANT = "other_variant"
    OUTCOMPETED = "outcompeted"
    FORCED_CONFLICT = "conflicts_with_forced"
    RELEASED = "released"
    RUNNING_COST = "running_cost_ceiling"  # its afledt drift alone exceeds what the ceiling leaves


class Case(StrEnum):
    """Which situation a reason arose in, when one reason has several."""

    PLAIN = "plain"
    PRIORITY_TURN = "priority_turn"  # the priority walk reached the need and found it blocked
    CANNOT_START_TOGETHER = "cannot_start_together"  # its prerequisites cannot start early enough beside it
    RUNNING_CEILING = "running_ceiling"  # beside the chosen needs its afledt drift would exceed the ceiling


@dataclass(frozen=True)
class StartShortfall:
    """For one allowed start year of a need that fits in none: what is missing alone."""

    start: int
    after_frame: bool  # the cost would fall after the frame's last year
    missing: float = 0.0  # 1.000 kr., all pools and years
    worst_pool: str = ""
    worst_year: int = 0
    worst_amount: float = 0.0


@dataclass(frozen=True)
class Explanation:
    """Why one need is not in the option.

    ``others`` names the needs the reason is about: the chosen variant (``VARIANT``) or the
    unmet prerequisites (``DEPENDENCY``). For a need that lost to others, ``value_lost`` is
    what forcing it in costs the objective (a re-solve; ``value_lost_min`` is the proven
    lower end when the re-solve was cut short) and ``extra_frame`` the least extra money
    per (pool, year) that funds it beside the option.
    """

    reason: Reason
    case: Case = Case.PLAIN
    others: tuple[str, ...] = ()
    shortfalls: tuple[StartShortfall, ...] = ()  # NO_FIT: one per allowed start year
    resolve_status: Status | None = None  # None: no re-solve was made
    value_lost: float | None = None
    value_lost_min: float | None = None
    value_lost_proven: bool | None = None
    forced_option: Mapping[str, int] | None = None  # the best option that holds the need
    extra_frame_status: Status | None = None  # None: not computed for this reason
    extra_frame: Mapping[tuple[str, int], float] | None = None
    stopped_by: Event | None = None  # RELEASED: the event that stopped it


class ConflictKind(StrEnum):
    UNKNOWN_ID = "unknown_id"
    FORCED_BOTH_WAYS = "forced_both_ways"
    FORCED_UNFUNDABLE = "forced_unfundable"
    FORCED_PREREQUISITE = "forced_prerequisite"
    FORCED_VARIANTS = "forced_variants"
    FORCED_OUT_STARTED = "forced_out_started"  # a started investment stops only by release
    COMMITMENTS_EXCEED = "commitments_exceed"  # started investments alone exceed the frame
    RUNNING_COST_EXCEEDED = "running_cost_exceeded"  # started investments' afledt drift alone exceeds the ceiling


@dataclass(frozen=True)
class Conflict:
    """A demand that cannot hold, found before solving."""

    kind: ConflictKind
    ids: tuple[str, ...]
    group: str = ""  # FORCED_VARIANTS: the variant group
    why: Explanation | None = None  # FORCED_UNFUNDABLE: why the need cannot be funded
    pool: str = ""  # COMMITMENTS_EXCEED: where money is lacking, and how much (1.000 kr.)
    year: int = 0
    amount: float = 0.0


@dataclass(frozen=True)
class Shortage:
    """Forced needs that cannot be funded together: the least extra frame per (pool, year)
    that would let all of them in (``extra`` is None when it could not be computed)."""

    forced: tuple[str, ...]
    extra: Mapping[tuple[str, int], float] | None
