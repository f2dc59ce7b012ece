"""The business case of an option and of each need, computed once per event state for every
page that shows it (the register page, the business case page, the index, the Excel
appendix): per investment its cost, afledt drift, benefit, nutidsværdi and payback year;
the portfolio's cash flows, nutidsværdi and payback; the sensitivities; and the budget
reductions per forvaltning and year. The formulas are :mod:`analysis.model.economics`'s;
this module applies them to an option (:class:`~analysis.model.allocation.result.Result`)
and to the register, and the report only formats what it returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import pandas as pd

from analysis.inputs import contracts
from analysis.inputs.register import start_window
from analysis.model import economics
from analysis.model.allocation.result import Result


class Standing(StrEnum):
    """A funded need's standing in an option (codes; the report words them)."""

    STARTED = "started"  # udmøntet before: it has started, or an earlier event udmøntede it
    NOW = "now"  # udmøntes now: it starts in the plan year of an event that udmønter
    LATER = "later"  # vejledende: a later start, decided at the budget for its start year
    ALTERNATIVE = "alternative"  # an OFS's alternative for its free money, not udmøntet by it


def standing(result: Result, need_id: str, start: int, mode: str) -> Standing:
    """A funded need's standing in ``result`` under an event of ``mode`` (see
    :data:`analysis.model.runs.UDMOENTNING` and the other modes)."""
    if need_id in result.problem.started:
        return Standing.STARTED
    if mode == "alternative":
        return Standing.ALTERNATIVE
    if mode == "udmoentning" and start == result.problem.plan_year:
        return Standing.NOW
    return Standing.LATER


@dataclass(frozen=True)
class Investment:
    """One funded need's business case from its start year in the option."""

    id: str
    title: str
    standing: Standing
    start: int
    investment: float
    dobbeltdrift: float  # over its life
    running: float  # afledt drift a year at full running
    benefit_full: float  # gevinst a year at full effect
    benefit_from: int | None  # the first year with a benefit
    benefit_full_from: int | None  # the first year with the full benefit
    npv: float  # discounted to the frame's first year, so the rows add up to the portfolio's
    payback_year: int | None  # the calendar year the accumulated net is no longer negative


@dataclass(frozen=True)
class Sensitivity:
    """The portfolio when it goes worse: ``code`` names the change (:data:`SENSITIVITIES`)."""

    code: str
    cost_total: float  # investment, dobbeltdrift and afledt drift over the lives
    benefit_total: float
    npv: float
    payback_year: int | None


# (code, cost column or None for the option's own, benefit factor, delay in years)
SENSITIVITIES = (
    ("expected", None, 1.0, 0),
    ("max_cost", "omkostning_max", 1.0, 0),
    ("lower_benefit", None, 0.75, 0),
    ("delayed_benefit", None, 1.0, 1),
    ("all_three", "omkostning_max", 0.75, 1),
)


@dataclass(frozen=True)
class BusinessCase:
    """An option's business case (see the module docstring). Amounts in 1.000 kr. in the
    state's price level; nutidsværdier discounted to ``base_year`` at ``rate`` (real)."""

    rate: float
    base_year: int
    last_frame_year: int
    investments: tuple[Investment, ...]
    flows: pd.DataFrame  # the portfolio's cash flows by year (economics.FLOW_COLUMNS and netto)
    npv: float
    payback_year: int | None
    by_standing: dict[Standing, tuple[float, float]]  # standing → (investment, nutidsværdi)
    sensitivities: tuple[Sensitivity, ...]
    reductions: dict[tuple[str, int], float] = field(default_factory=dict)  # (forvaltning, year) → amount

    @property
    def running(self) -> pd.Series:
        """The portfolio's afledt drift by year."""
        return self.flows["afledt_drift"]

    @property
    def running_inside(self) -> pd.Series:
        """The afledt drift in the frame's years (it is not financed by the frame)."""
        return self.running[self.running.index <= self.last_frame_year]

    @property
    def running_after(self) -> pd.Series:
        """The afledt drift in the years after the frame."""
        return self.running[self.running.index > self.last_frame_year]

    @property
    def dobbeltdrift(self) -> float:
        return float(self.flows["dobbeltdrift"].sum())

    @property
    def invested(self) -> float:
        return float(self.flows["investering"].sum())

    @property
    def peak_year(self) -> int:
        """The year the portfolio's benefit is highest."""
        return int(self.flows["gevinst"].idxmax())


def _payback_year(table: pd.DataFrame) -> int | None:
    back = economics.payback(table)
    return None if back is None else int(table.index[0]) + back - 1


def _row(register: pd.DataFrame, need_id: str):
    return next(register.set_index("id", drop=False).loc[[need_id]].itertuples(index=False))


def of_option(register: pd.DataFrame, result: Result, mode: str) -> BusinessCase | None:
    """The business case of ``result`` (None when the register gives no economics or the
    option has no solution or funds nothing)."""
    if not economics.has_economics(register) or not result.has_option or not result.selected:
        return None
    rate, years = result.options.discount_rate, result.problem.years
    cost_column = result.options.cost_column
    first = years[0]
    investments, by_standing = [], {}
    for need_id, start in sorted(result.selected.items(), key=lambda item: (item[1], item[0])):
        row = _row(register, need_id)
        cost = float(getattr(row, cost_column))
        table = economics.flows(row, cost, start)
        benefit_years = table.index[table["gevinst"] > 0]
        full = table.index[table["gevinst"] >= table["gevinst"].max() - 1e-9] if len(benefit_years) else []
        value = economics.npv(table, rate, first)
        kind = standing(result, need_id, start, mode)
        investments.append(
            Investment(
                id=need_id,
                title=row.titel,
                standing=kind,
                start=start,
                investment=float(table["investering"].sum()),
                dobbeltdrift=float(table["dobbeltdrift"].sum()),
                running=economics.given_or(getattr(row, "drift_aar", None)),
                benefit_full=economics.given_or(getattr(row, "gevinst", None)),
                benefit_from=int(benefit_years[0]) if len(benefit_years) else None,
                benefit_full_from=int(full[0]) if len(benefit_years) else None,
                npv=value,
                payback_year=_payback_year(table),
            )
        )
        invested, npv = by_standing.get(kind, (0.0, 0.0))
        by_standing[kind] = (invested + cost, npv + value)
    flows = economics.portfolio_flows(register, result.selected, cost_column)
    sensitivities = []
    for code, column, factor, delay in SENSITIVITIES:
        table = economics.portfolio_flows(
            register, result.selected, column or cost_column, benefit_factor=factor, delay=delay
        )
        sensitivities.append(
            Sensitivity(
                code=code,
                cost_total=float(table[["investering", "dobbeltdrift", "afledt_drift"]].to_numpy().sum()),
                benefit_total=float(table["gevinst"].sum()),
                npv=economics.npv(table, rate, first),
                payback_year=_payback_year(table),
            )
        )
    _rows, _npv, _running, reductions = economics.portfolio(register, result.selected, cost_column, rate)
    return BusinessCase(
        rate=rate,
        base_year=first,
        last_frame_year=years[-1],
        investments=tuple(investments),
        flows=flows,
        npv=economics.npv(flows, rate, first),
        payback_year=_payback_year(flows),
        by_standing=by_standing,
        sensitivities=tuple(sensitivities),
        reductions=reductions,
    )


@dataclass(frozen=True)
class NeedCase:
    """One need's business case at its earliest allowed start, at its expected cost."""

    id: str
    title: str
    start: int
    investment: float
    running: float
    benefit_full: float
    lifetime: int
    tco: float
    reduction_total: float
    npv: float  # discounted to the start year
    npv_low: float  # at its highest cost and lowest benefit
    npv_high: float  # at its lowest cost and highest benefit
    payback_year: int | None


def of_needs(register: pd.DataFrame, years: list[int], rate: float) -> tuple[NeedCase, ...] | None:
    """Each need with an estimate, by area and id (None when the register gives no
    economics): what the register page shows before any option is chosen."""
    if not economics.has_economics(register):
        return None
    out = []
    ordered = register[register["har_estimat"]].sort_values(["omraade", "id"], kind="stable")
    lifetime = contracts.column_default("levetid")
    for row in ordered.itertuples(index=False):
        start = start_window(row, years)[0]
        case = economics.need_economics(row, float(row.omkostning_forventet), start, rate)
        low, high = economics.npv_range(row, start, rate)
        out.append(
            NeedCase(
                id=row.id,
                title=row.titel,
                start=start,
                investment=case.investment,
                running=case.running,
                benefit_full=economics.given_or(row.gevinst),
                lifetime=int(economics.given_or(row.levetid, lifetime)),
                tco=case.tco,
                reduction_total=case.reduction_total,
                npv=case.npv,
                npv_low=low,
                npv_high=high,
                payback_year=None if case.payback is None else case.start + case.payback - 1,
            )
        )
    return tuple(out)
