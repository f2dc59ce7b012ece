"""What an allocation optimises and under which rules, with every default in one place.

The command line and the notebooks read these defaults; they never restate them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from analysis.inputs.findings import BadArgument

STRATEGIES = ("priority", "max-potential", "max-benefit")
OPTIMISED_STRATEGIES = ("max-potential", "max-benefit")
# the register column each cost level plans with
COST_LEVELS = {"min": "omkostning_min", "expected": "omkostning_forventet", "max": "omkostning_max"}
# An earlier start is worth 3 % more per year: enough to break ties in favour of starting
# now rather than parking money in later years, small against differences in value.
DEFAULT_TIME_PREFERENCE = 0.03
DEFAULT_TIME_LIMIT = 60.0  # seconds for the main solve
DEFAULT_EXPLAIN_TIME_LIMIT = 20.0  # seconds for all explanation re-solves together
DEFAULT_WEIGHTS = (1.0, 1.0, 1.0, 1.0)  # tilgængelighed, aflastning, forenkling, skalering
TOLERANCE = 1e-6


@dataclass(frozen=True)
class Options:
    """What to optimise and under which rules; every field has a documented default."""

    strategy: str = "max-potential"
    cost_level: str = "expected"
    # tilgængelighed, aflastning, forenkling, skalering
    weights: tuple[float, float, float, float] = DEFAULT_WEIGHTS
    time_preference: float = DEFAULT_TIME_PREFERENCE
    # Planned carry-over: moving unspent money from one plan year to a later one. Off by
    # default: in KK a transfer is decided later, by ØU in the OFS, and a service transfer
    # burdens next year's serviceramme, so a plan put before ØU fits year by year. On, it is
    # a sensitivity.
    carry_over: bool = False
    force_in: tuple[str, ...] = ()
    force_out: tuple[str, ...] = ()
    explain: bool = True
    time_limit: float = DEFAULT_TIME_LIMIT
    explain_time_limit: float = DEFAULT_EXPLAIN_TIME_LIMIT
    plan_year: int | None = None  # None: the frame's first year
    release: tuple[str, ...] = ()  # started investments to stop from the plan year on

    def __post_init__(self):
        if self.strategy not in STRATEGIES:
            raise BadArgument(f"ukendt strategi {self.strategy!r}; brug {', '.join(STRATEGIES)}")
        if self.cost_level not in COST_LEVELS:
            raise BadArgument(f"ukendt omkostningsniveau {self.cost_level!r}; brug {', '.join(COST_LEVELS)}")
        if len(self.weights) != 4 or any(w < 0 or not math.isfinite(w) for w in self.weights):
            raise BadArgument("vægtene skal være fire tal ≥ 0 (tilgængelighed, aflastning, forenkling, skalering)")
        if self.time_preference < 0:
            raise BadArgument("tidspræferencen skal være ≥ 0")

    @property
    def uses_weights(self) -> bool:
        """Only max-potential chooses by the potential weights."""
        return self.strategy == "max-potential"

    @property
    def cost_column(self) -> str:
        return COST_LEVELS[self.cost_level]
