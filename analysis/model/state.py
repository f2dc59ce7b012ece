"""The state of the plan at one event of the cycle, declared once as named steps and computed
once: every page, the front page, the Excel appendix, the terminal, every command and the
workbench's baseline read these steps, and none computes them again.

::

    inputs (the dataset in the event's view, the settings)
      → ledger (built once from the ledger file: udmøntet, overført, tilbageført)
      → commitments → allocation (the options, their one main option, the sensitivities
        shown, the variants, the measures) → robustness of the main option
      → business case → follow-up → kroner view → key figures

Each step is a cached property (the robustness, which takes minutes on a large register,
is a method that takes a progress callback); a step runs the first time it is read. A state
is a plain frozen object, so the renderer computes it once, saves it, and every notebook of
the report loads the same one (:mod:`analysis.report.state_file`); a notebook run alone in
the lab builds the same state from its parameters.

Amounts are in the state's price level: the event's own for a report (Budget Y and OFS
Y/Y+1 in Y p/l), the frame's for the command line (``prices``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
import pandas as pd

from analysis.inputs.contracts import POOLS
from analysis.inputs.dataset import Dataset
from analysis.inputs.parameters import Options, Rules
from analysis.inputs.settings import Settings
from analysis.model import business_case, cycle, plan, runs, transfers
from analysis.model.allocation import Result, comparison
from analysis.model.cycle import Event
from analysis.model.event_facts import (
    CHANGE_KINDS,
    OptionFigures,
    Reconciliation,
    Stop,
    option_figures,
)
from analysis.model.ledger import RETURN, Ledger
from analysis.model.state_economics import EconomicsSteps


@dataclass(frozen=True, eq=False)
class EventState(EconomicsSteps):
    """One event's state (see the module docstring). ``data`` is in the state's price level;
    ``fingerprint`` is the hash of each input file (and scenario) it was built from, by key."""

    data: Dataset
    event: Event
    settings: Settings = field(default_factory=Settings)
    fingerprint: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        data: Dataset,
        event: Event,
        settings: Settings | None = None,
        prices: int | None = None,
        fingerprint: dict[str, str] | None = None,
    ) -> EventState:
        """The state of ``event`` on ``data`` (in its own price level) under ``settings``:
        amounts in ``prices`` (default: the event's price level)."""
        level = prices if prices is not None else event.price_year(data.price_year)
        return cls(data.in_prices(level), event, settings or Settings(), dict(fingerprint or {}))

    @classmethod
    def for_plan(
        cls,
        data: Dataset,
        options: Options,
        settings: Settings | None = None,
        event: Event | None = None,
        own_prices: bool = False,
    ) -> EventState:
        """The state the command line plans ``options`` in: ``event`` (default: the one that
        udmønter its plan year), in the data's own price level, or with ``own_prices`` in the
        event's (Budget Y in Y p/l, as its report and ØU's decision are)."""
        planned = runs.plan_year_of(data, options)
        if event is None:
            event = cycle.deciding(planned, data.years) if planned in data.years else Event(cycle.BUDGET, planned)
        settings = (settings or Settings()).changed(options=options)
        # a plan year outside the frame is refused by the decisions' checks, in the data's p/l
        own = own_prices and planned in data.years
        return cls.build(data, event, settings, prices=None if own else data.price_year)

    @property
    def years(self) -> list[int]:
        return self.data.years

    @property
    def price_year(self) -> int:
        return self.data.price_year

    # --- the ledger, once ----------------------------------------------------------------------

    @cached_property
    def ledger(self) -> Ledger:
        """Every row of the ledger file, as decided (the only place it is built)."""
        table = self.data.followup.bevillinger if self.data.followup is not None else None
        return Ledger.from_table(table, self.years)

    @cached_property
    def known(self) -> Ledger:
        """The rows decided before the event: what it reads as fixed."""
        return self.ledger.known_at(self.event)

    # --- the allocation ---------------------------------------------------------------------

    @cached_property
    def plan_year(self) -> int | None:
        """The year the event's allocation looks at (None: the closing OFS has none)."""
        return cycle.plan_year(self.event.kind, self.event.year, self.years, self.settings.options.plan_year)

    @cached_property
    def options(self) -> Options:
        """The main option's rules and decisions at the plan year. Raises
        :class:`~analysis.model.decisions.DecisionError` for allocation decisions at an
        event with no year left to allocate."""
        return runs.report_options(self.data, self.settings.options, self.event.kind, self.event.year)

    def commitments_for(self, options: Options) -> plan.Commitments | None:
        """What a plan under ``options`` (its plan year and releases) takes as fixed, as the
        event that udmønter its plan year knows it."""
        key = (runs.plan_year_of(self.data, options), tuple(options.release))
        cache = self.__dict__.setdefault("_commitments", {})
        if key not in cache:
            cache[key] = runs.commitments(self.data, self.ledger, options)
        return cache[key]

    @cached_property
    def commitments(self) -> plan.Commitments | None:
        """What the main option's plan takes as fixed (checks the decisions first)."""
        return self.commitments_for(self.options)

    def check_decisions(self) -> bool:
        """Check the settings' decisions against the data, before anything is solved (raises
        :class:`~analysis.model.decisions.DecisionError`). Returns whether the event has a
        year to allocate."""
        options = self.options
        if self.plan_year is None:
            return False
        self.commitments_for(options)
        return True

    @cached_property
    def allocation(self) -> runs.AllocationRun | None:
        """The options of the grid side by side, the main option and the scenarios (None for
        an event with no year to allocate)."""
        if self.plan_year is None:
            return None
        from analysis.inputs.scenario import load_scenarios

        scenarios = load_scenarios(list(self.settings.scenarios), self.data.register, self.years)
        return runs.allocation(self.data, self.ledger, self.options, self.settings.grid, tuple(scenarios), self.event)

    @property
    def main(self) -> Result | None:
        """The main option: the first optimised option of the grid that has a solution."""
        return self.allocation.main if self.allocation is not None else None

    def option(self, options: Options | None = None, frame_scale=None, overrides=None, cancel=None, start=None):
        """One allocation option on this state's ledger (``digiramme allocate`` and the
        workbench's moves): ``options`` (default: the settings'), the frame scaled per pool
        as ``frame_scale`` says and the needs' costs and starts as ``overrides`` says."""
        chosen = options or self.settings.options
        found = self.commitments_for(chosen)
        register = comparison.overridden_register(self.data.register, overrides)
        frame = comparison.scaled_frame(self.data.frame, frame_scale)
        from analysis.model.allocation import allocate

        return allocate(register, frame, chosen, found, cancel=cancel, start=start)

    @cached_property
    def measures(self) -> dict[str, comparison.Measures | None]:
        """Each option shown (by its row's name) measured on the common yardsticks, on its
        own register (a scenario's overrides); None for an option without a solution."""
        run = self.allocation
        scenarios = {s.name: s for s in run.scenarios}
        out = {}
        for group in run.alternatives():
            scenario = scenarios.get(group.name)
            register = (
                comparison.overridden_register(self.data.register, scenario.overrides)
                if scenario is not None
                else self.data.register
            )
            measured = comparison.measures(register, group.result) if group.result.has_option else None
            if measured is not None:
                # the nutidsværdi as the business case has it: on the accounts, in its fixed price level
                fixed = (
                    comparison.overridden_register(self._case_data.register, scenario.overrides)
                    if scenario is not None
                    else None
                )
                case = self.case_of(group.result, fixed)
                if case is not None:
                    measured = replace(measured, npv=case.npv)
            out[group.name] = measured
        return out

    @cached_property
    def sensitivity_changes(self) -> list[tuple[str, Result, str, Result, comparison.Change | None]]:
        """Each sensitivity of the grid: its name and result, the shown option of the same
        strategy it varies (its row's name and the member's result; else the first row and
        the main option), and what it changes against it (None: it has no solution)."""
        run = self.allocation
        groups = run.alternatives()

        def reference(result: Result) -> tuple[str, Result]:
            for group in groups:
                for name, member in zip(group.names, group.results, strict=True):
                    if member.options.strategy == result.options.strategy and name in run.names[: run.grid_size]:
                        return group.name, member
            return groups[0].name, run.main

        out = []
        for name, result in run.sensitivities():
            ref_name, ref = reference(result)
            change = comparison.change(self.data.register, ref, result) if result.has_option else None
            out.append((name, result, ref_name, ref, change))
        return out

    @cached_property
    def in_and_out(self):
        """Per need, each shown option's start year (None: not funded), and whether the
        options disagree (:func:`~analysis.model.allocation.comparison.in_and_out`)."""
        run = self.allocation
        return comparison.in_and_out(self.data.register, run.shown_results, run.shown_names)

    def funded_by(self, column: str):
        """The shown options' funded cost per ``omraade`` or ``forvaltning``."""
        cache = self.__dict__.setdefault("_funded_by", {})
        if column not in cache:
            run = self.allocation
            cache[column] = comparison.by_group(self.data.register, run.shown_results, run.shown_names, column)
        return cache[column]

    @cached_property
    def variants(self) -> dict[str, list[comparison.VariantFit]]:
        """For each variant group: does each variant fit the frame, and when (alone and in
        the main option)."""
        register, main = self.data.register, self.main
        groups = sorted(register["variantgruppe"].dropna().unique())
        return {group: comparison.variant_fits(register, self.data.frame, main, group) for group in groups}

    @cached_property
    def plan_changes(self):
        """What changed since the last plan (:func:`analysis.model.plan.changes`)."""
        return plan.changes(self.data.register, self.data.previous_register, self.main)

    # --- robustness, the business case ----------------------------------------------------------

    @property
    def judged(self) -> Options:
        """The option the robustness page judges: the main option (with the settings' judged
        strategy, when one is named)."""
        main = self.main.options
        judged = self.settings.grid.judged
        return main.changed(strategy=judged) if judged else main

    def robustness(self, progress=None, scheduler=None, reference: bool = True, options: Options | None = None):
        """The robustness of the judged option, or of ``options`` (``digiramme robustness``
        judges the option its flags give), computed once; ``progress`` and ``scheduler`` only
        say how. Returns a :class:`~analysis.model.runs.RobustnessRun`."""
        judged = options or self.judged
        cache = self.__dict__.setdefault("_robustness", {})
        key = (judged, reference)
        if key not in cache:
            cache[key] = runs.robustness_run(
                self.data,
                self.ledger,
                judged,
                self.settings.sampling,
                progress=progress,
                scheduler=scheduler,
                reference=reference,
            )
        return cache[key]

    @cached_property
    def need_cases(self) -> tuple[business_case.NeedCase, ...] | None:
        """Each need's business case at its earliest start (the register page)."""
        return business_case.of_needs(self.data.register, self.years, self.settings.options.discount_rate)

    # --- the follow-up --------------------------------------------------------------------------

    @property
    def follows_up(self) -> int | None:
        """The year the event follows up (an OFS inside the frame's life), else None."""
        return self.event.follows_up(self.years)

    @cached_property
    def followup(self):
        """The follow-up of the year an OFS follows up (None: a budget, OFS 25/26, or no
        complete follow-up files)."""
        followed = self.follows_up
        if followed is None or self.data.followup is None or not self.data.followup.complete:
            return None
        return runs.followup_run(self.data, self.ledger, followed, self.settings.rules)

    def followup_checked(self, rules: Rules | None = None):
        """The follow-up, refusing an event without one (``digiramme followup``)."""
        if self.follows_up is None or self.data.followup is None or not self.data.followup.complete:
            return runs.followup_run(self.data, self.ledger, self.event.year, rules or self.settings.rules)
        return self.followup

    @cached_property
    def stops(self) -> list[Stop]:
        """Every investment stopped by this event or an earlier one, in id order: one fact
        for every page (the indstilling of the event that stops it names it; every later
        page says "stoppet ved <event>")."""
        spending = transfers.known_spending(
            self.data.followup.forbrug if self.data.followup is not None else None, self.event
        )
        spent = spending.groupby("id")["spent"].sum() if len(spending) else {}
        found: dict[str, Stop] = {}
        for need_id, (event, first) in self.known.stopped().items():
            rows = self.known.rows
            mine = rows[(rows["id"] == need_id) & (rows["art"] == RETURN)]
            given = {(r.pool, int(r.year)): float(r.amount) for r in mine.itertuples(index=False)}
            found[need_id] = Stop(
                need_id, event, first, given, float(spent.get(need_id, 0.0)), False, self._kept(need_id, first)
            )
        commitments = self.commitments if self.plan_year is not None and self.data.followup is not None else None
        if commitments is not None:
            entries = plan.release_rows(commitments)
            for need_id, investment in commitments.released.items():
                if investment.stopped_by != self.event:
                    continue
                given = {(p, int(y)): float(a) for i, y, p, a, _art, _s in entries if i == need_id}
                first = min((y for _p, y in given), default=self.plan_year)
                found[need_id] = Stop(
                    need_id,
                    self.event,
                    first,
                    given,
                    float(spent.get(need_id, 0.0)),
                    True,
                    self._kept(need_id, first),
                    self._left(commitments.known, need_id, first - 1),
                )
        return [found[i] for i in sorted(found)]

    @staticmethod
    def _left(money, need_id: str, year: int) -> dict[str, float]:
        """Per pool: what a stopped investment is expected not to use in ``year`` (given back)."""
        if money is None or money.investments.empty:
            return {}
        rows = money.investments
        mine = rows[(rows["id"] == need_id) & (rows["year"] == year)]
        return {pool: float(mine.loc[mine["pool"] == pool, "given_back"].sum()) for pool in POOLS}

    def _kept(self, need_id: str, first: int) -> dict[str, float]:
        """Per pool: what a stopped investment was udmøntet before ``first`` (it keeps it)."""
        granted = self.known.net_grants(need_id)
        before = [t for t, year in enumerate(self.years) if year < first]
        return {pool: float(granted[p, before].sum()) for p, pool in enumerate(POOLS)}

    # --- the money left ---------------------------------------------------------------------------

    def money_left_in(self, book: Ledger) -> np.ndarray:
        """Pools × years not yet udmøntet by the decisions ``book`` holds: the frame, plus the
        pool's own money an OFS moved in, less the net grants (udmøntet less given back), less
        the pool's money an OFS returned to the kassen. The one basis of the money left."""
        from analysis.inputs.financing_frame import frame_array

        net = np.zeros((len(POOLS), len(self.years)))
        for need_id in book.investments():
            net += book.net_grants(need_id)
        return frame_array(self.data.frame) + book.pool_transfers() - net - book.pool_returns()

    @cached_property
    def money_left(self) -> np.ndarray:
        """Pools × years not yet udmøntet, as the event knows it (before its own decisions)."""
        return self.money_left_in(self.known)

    @cached_property
    def previous_event(self) -> Event | None:
        """The event before this one in KK's order (None: the frame's first)."""
        events = cycle.in_order(self.years)
        k = events.index(self.event) if self.event in events else 0
        return events[k - 1] if k > 0 else None

    @cached_property
    def reconciliation(self) -> Reconciliation | None:
        """The money not yet udmøntet from the event before to this one, by decision."""
        previous = self.previous_event
        if previous is None:
            return None
        earlier = self.ledger.known_at(previous)
        rows = self.known.rows
        between = rows[np.array([not d.before(previous) for d in rows["decision"]], dtype=bool)]
        changes: dict[tuple[Event, str], np.ndarray] = {}
        decided: dict[tuple[Event, str], dict[int, float]] = {}
        for r in between.itertuples(index=False):
            kind = CHANGE_KINDS.get((r.art, r.id is not None and isinstance(r.id, str)))
            if kind is None or r.year not in self.years:
                continue
            sign = 1.0 if kind in ("givet tilbage af en stoppet investering", "puljens egne midler overført") else -1.0
            amounts = changes.setdefault((r.decision, kind), np.zeros((len(POOLS), len(self.years))))
            amounts[POOLS.index(r.pool), self.years.index(r.year)] += sign * float(r.amount)
            level = int(r.pl) if r.pl is not None and not pd.isna(r.pl) else self.price_year
            as_decided = r.decided if r.pl is not None and not pd.isna(r.pl) else r.amount
            by_level = decided.setdefault((r.decision, kind), {})
            by_level[level] = by_level.get(level, 0.0) + sign * float(as_decided)
        ordered = sorted(changes.items(), key=lambda item: (item[0][0].when, item[0][1]))
        return Reconciliation(
            previous,
            self.money_left_in(earlier),
            self.money_left,
            tuple((event, kind, amounts) for (event, kind), amounts in ordered),
            tuple(decided[key] for key, _ in ordered),
        )

    # --- what the event decides -----------------------------------------------------------------

    @cached_property
    def decisions(self) -> list[tuple]:
        """What the event decides with the main option, as ledger entries."""
        return self.allocation.decisions() if self.allocation is not None else []

    def ledger_after_option(self, result: Result) -> Ledger:
        """The ledger after the udmøntning ``result`` proposes (``allocate --output``)."""
        return runs.allocation_ledger(self.data, self.ledger, result)

    def ledger_after_ofs(self) -> Ledger:
        """The ledger after the OFS's decisions (``followup --output``)."""
        return runs.ofs_ledger(self.data, self.ledger, self.followup_checked(), self.settings.options)

    @cached_property
    def key_figures(self) -> OptionFigures | None:
        """The main option's key figures (None: the event allocates nothing)."""
        run = self.allocation
        if run is None:
            return None
        return option_figures(self.data, run)
