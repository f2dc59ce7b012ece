"""The event state's economic steps (a part of :class:`~analysis.model.state.EventState`):
the business case of an option on the accounts in the frame's fixed price level, what moved
its nutidsværdi since the event before, the follow-up in kroner and the frame's closing.
Each step is computed once per state, as the state's others are."""

from __future__ import annotations

from functools import cached_property

from analysis.inputs.contracts import POOLS
from analysis.inputs.dataset import Dataset
from analysis.model import actuals, business_case, closing, economics, kroner
from analysis.model.allocation import Result
from analysis.model.cycle import Event
from analysis.model.event_facts import CaseChanges


class EconomicsSteps:
    """The steps :class:`~analysis.model.state.EventState` takes for the economics (it has
    ``data``, ``event``, ``known``, ``stops``, ``main``, ``allocation``, ``followup`` and
    ``previous_event``)."""

    @cached_property
    def case_price_year(self) -> int:
        """The business case's fixed price level: the frame's (the note's), the same at every
        event, so its nutidsværdi moves only with decisions, accounts and stops."""
        return int(self.data.note_price_year or self.data.price_year)

    @cached_property
    def _case_data(self) -> Dataset:
        """The data in the business case's price level."""
        level = self.case_price_year
        return self.data if level == self.price_year else self.data.in_prices(level)

    def _case_factors(self) -> dict[str, float]:
        from analysis.inputs.price_index import factor

        if self.case_price_year == self.price_year:
            return {p: 1.0 for p in POOLS}
        return {p: factor(self.data.pl_index, p, self.price_year, self.case_price_year) for p in POOLS}

    def actuals_at(self, view: Event, stopped: set[str]) -> dict[str, business_case.Actual]:
        """The investments decided before this event on their accounts as ``view`` knows them,
        in the business case's price level (``stopped``: taken at what they spent)."""
        forbrug = self.data.followup.forbrug if self.data.followup is not None else None
        return actuals.on_accounts(self.known, forbrug, view, self._case_factors(), stopped)

    def case_of(self, result: Result, register=None) -> business_case.BusinessCase | None:
        """``result``'s business case on the accounts as the event knows them, with the
        investments stopped (this event's and earlier) at what they spent, in the fixed price
        level (``register``: the register there, default the data's)."""
        if result is None or not result.has_option:
            return None
        starts = self.known.starts()
        stopped = {s.id: starts.get(s.id, s.first_year) for s in self.stops}
        return business_case.of_option(
            register if register is not None else self._case_data.register,
            result,
            self.allocation.mode,
            actuals=self.actuals_at(self.event, set(stopped)),
            stopped=stopped,
            price_year=self.case_price_year,
        )

    @cached_property
    def business_case(self) -> business_case.BusinessCase | None:
        """The main option's business case (None: no economics, or no option)."""
        if self.main is None:
            return None
        return self.case_of(self.main)

    @cached_property
    def case_changes(self) -> CaseChanges | None:
        """What moved the nutidsværdi of the udmøntede investments since the event before:
        the accounts (and forecasts) learnt since, the stops decided now, the udmøntning now;
        and what the vejledende part adds (recomputed at every event). None without a
        business case or an event before."""
        case, previous = self.business_case, self.previous_event
        if case is None or previous is None:
            return None
        register = self._case_data.register.set_index("id", drop=False)
        column, rate, first = self.main.options.cost_column, case.rate, case.base_year
        starts = self.known.starts()
        before = {s.id for s in self.stops if not s.now}
        now = {s.id for s in self.stops if s.now}

        def npv(need_id: str, actual) -> float:
            row = next(register.loc[[need_id]].itertuples(index=False))
            table = business_case.entry_flows(row, float(getattr(row, column)), starts[need_id], actual)
            return economics.npv(table, rate, first)

        decided = [i for i in self.known.investments() if i in register.index and i in starts]
        then = self.actuals_at(previous, before)
        known = self.actuals_at(self.event, before)
        stopping = self.actuals_at(self.event, before | now)
        at_previous = sum(npv(i, then.get(i)) for i in decided)
        accounts = sum(npv(i, known.get(i)) for i in decided) - at_previous
        stops = sum(npv(i, stopping.get(i)) - npv(i, known.get(i)) for i in decided if i in now)
        kinds = case.by_standing
        udmoentet = kinds.get(business_case.Standing.NOW, (0.0, 0.0))[1]
        indicative = sum(
            kinds.get(k, (0.0, 0.0))[1] for k in (business_case.Standing.LATER, business_case.Standing.ALTERNATIVE)
        )
        return CaseChanges(previous, at_previous, accounts, tuple(sorted(now)), stops, udmoentet, indicative)

    @cached_property
    def kroner(self) -> kroner.KronerView | None:
        """The business case followed in kroner (the OFS page)."""
        if self.followup is None:
            return None
        return kroner.view(
            self.data.register,
            self.data.followup.gevinster,
            self.known.starts(),
            self.followup,
            stopped=frozenset(s.id for s in self.stops),
        )

    @cached_property
    def closing(self) -> closing.Closing | None:
        """The frame's closing (the closing OFS only; None otherwise): see
        :mod:`analysis.model.closing`, in the business case's price level (the frame's)."""
        if not self.event.closing(self.years) or self.followup is None:
            return None
        result, factors, level = self.followup, self._case_factors(), self.case_price_year
        starts = self.known.starts()
        accounts = self.actuals_at(self.event, {s.id for s in self.stops})
        register = self._case_data.register
        gevinster = kroner.in_view_prices(self.data.followup.gevinster, result.own_years)
        if "hjemtaget" in gevinster.columns:
            gevinster = gevinster.assign(hjemtaget=gevinster["hjemtaget"] * factors["service"])
        fixed, nominal = closing.reconcile(result, self.known, factors, level)
        last = self.years[-1]
        return closing.Closing(
            price_year=level,
            last_year=last,
            reconciliation=fixed,
            nominal=nominal,
            running_after=closing.running_after(register, starts, accounts, last),
            reductions=closing.reductions(register, starts, accounts, gevinster, last),
            overruns=closing.overruns(result, factors),
        )
