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
    STOPPED = "stopped"  # udmøntet and stopped: taken at what it spent, with what it built


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
class Actual:
    """An investment on its accounts (:mod:`analysis.model.actuals`): what it is taken to
    invest per year (its spending to date, then the rest of its grants), and for a stopped
    one the share of its grants it built (its afledt drift, dobbeltdrift and gevinst scale by
    it)."""

    invested: pd.Series  # year → amount
    built: float = 1.0
    stopped: bool = False


def entry_flows(row, cost: float, start: int, actual: Actual | None = None, benefit: float = 1.0, delay: int = 0):
    """One investment's cash flows by year: the register's (``economics.flows`` at ``cost``
    from ``start``), or with ``actual`` its investment on its accounts and, for a stopped one,
    the rest scaled to what it built; the benefit scaled by ``benefit`` and ``delay`` years
    later (the sensitivities)."""
    table = economics.flows(row, cost, start)
    if actual is not None:
        index = table.index.union(actual.invested.index)
        table = table.reindex(index, fill_value=0.0)
        table.index.name = "year"
        table["investering"] = actual.invested.reindex(index, fill_value=0.0).astype(float)
        if actual.built != 1.0:
            table[["dobbeltdrift", "afledt_drift", "gevinst", "hjemtagelse"]] *= actual.built
    if benefit != 1.0 or delay:
        gains = table[["gevinst", "hjemtagelse"]] * benefit
        table = table.drop(columns=["gevinst", "hjemtagelse"])
        if delay:
            gains.index = gains.index + delay
        table = table.join(gains, how="outer").fillna(0.0)
    table["netto"] = table["gevinst"] - table["investering"] - table["dobbeltdrift"] - table["afledt_drift"]
    return table


def _summed(tables: list[pd.DataFrame]) -> pd.DataFrame:
    if not tables:
        return pd.DataFrame(columns=[*economics.FLOW_COLUMNS, "netto"], dtype=float)
    total = pd.concat(tables).groupby(level=0).sum()
    total["netto"] = total["gevinst"] - total["investering"] - total["dobbeltdrift"] - total["afledt_drift"]
    total.index.name = "year"
    return total


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
    price_year: int | None = None  # the fixed price level of every amount (None: the state's)
    on_accounts: bool = False  # started and stopped investments at their accounts

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


def of_option(
    register: pd.DataFrame,
    result: Result,
    mode: str,
    actuals: dict[str, Actual] | None = None,
    stopped: dict[str, int] | None = None,
    price_year: int | None = None,
) -> BusinessCase | None:
    """The business case of ``result`` (None when the register gives no economics or the
    option has no solution or funds nothing). With ``actuals``, a started investment is on
    its accounts (see :class:`Actual`), and each investment in ``stopped`` (id → start) is in
    it at what it spent, with what it built. ``register`` and ``actuals`` are in ``price_year``."""
    if not economics.has_economics(register) or not result.has_option or not result.selected:
        return None
    actuals, stopped = actuals or {}, stopped or {}
    rate, years = result.options.discount_rate, result.problem.years
    cost_column = result.options.cost_column
    first = years[0]
    entries = [
        (i, s, standing(result, i, s, mode)) for i, s in sorted(result.selected.items(), key=lambda x: (x[1], x[0]))
    ]
    entries += [
        (i, s, Standing.STOPPED) for i, s in sorted(stopped.items(), key=lambda x: (x[1], x[0])) if i in actuals
    ]
    investments, by_standing, expected, reductions = [], {}, [], {}
    for need_id, start, kind in entries:
        row = _row(register, need_id)
        actual = actuals.get(need_id) if kind in (Standing.STARTED, Standing.STOPPED) else None
        table = entry_flows(row, float(getattr(row, cost_column)), start, actual)
        expected.append(table)
        benefit_years = table.index[table["gevinst"] > 1e-9]
        full = table.index[table["gevinst"] >= table["gevinst"].max() - 1e-9] if len(benefit_years) else []
        value = economics.npv(table, rate, first)
        invested = float(table["investering"].sum())
        built = actual.built if actual is not None else 1.0
        investments.append(
            Investment(
                id=need_id,
                title=row.titel,
                standing=kind,
                start=start,
                investment=invested,
                dobbeltdrift=float(table["dobbeltdrift"].sum()),
                running=economics.given_or(getattr(row, "drift_aar", None)) * built,
                benefit_full=economics.given_or(getattr(row, "gevinst", None)) * built,
                benefit_from=int(benefit_years[0]) if len(benefit_years) else None,
                benefit_full_from=int(full[0]) if len(benefit_years) else None,
                npv=value,
                payback_year=_payback_year(table),
            )
        )
        so_far, npv = by_standing.get(kind, (0.0, 0.0))
        by_standing[kind] = (so_far + invested, npv + value)
        for who, share in economics.reduction_shares(row):
            for year, amount in table["hjemtagelse"].items():
                if amount:
                    reductions[(who, int(year))] = reductions.get((who, int(year)), 0.0) + float(amount) * share
    flows = _summed(expected)
    sensitivities = []
    for code, column, factor, delay in SENSITIVITIES:
        tables = []
        for need_id, start, kind in entries:
            row = _row(register, need_id)
            actual = actuals.get(need_id) if kind in (Standing.STARTED, Standing.STOPPED) else None
            cost = float(getattr(row, column or cost_column))
            tables.append(entry_flows(row, cost, start, actual, factor, delay))
        table = _summed(tables)
        sensitivities.append(
            Sensitivity(
                code=code,
                cost_total=float(table[["investering", "dobbeltdrift", "afledt_drift"]].to_numpy().sum()),
                benefit_total=float(table["gevinst"].sum()),
                npv=economics.npv(table, rate, first),
                payback_year=_payback_year(table),
            )
        )
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
        price_year=price_year,
        on_accounts=bool(actuals),
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
