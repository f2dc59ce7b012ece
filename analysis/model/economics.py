"""Investment economics per need, as the state's business case model does it: the cash
flows of an investment over its life (the investment itself, the afledt drift it leaves on
servicerammen, dobbeltdrift while old and new run side by side, and the benefit as it
rises to full effect), and from them the nutidsværdi (net present value), the
tilbagebetalingstid (payback) and the total cost of ownership.

Definitions, taken from Digitaliseringsstyrelsen's fællesstatslige business case-model
(omkostninger and gevinster per year, nutidsværdi of the net, tilbagebetalingstid as the
first year the accumulated net is no longer negative) and Finansministeriet's discount
rate for such analyses. All amounts are in fixed prices (1.000 kr., one p/l), so the rate
is real.

A need's flows, for a start year *s*, a cost *C* spread by ``fordeling`` over *L* years:

- investering: *C* × spread, years *s* … *s*+*L*−1;
- dobbeltdrift: ``dobbeltdrift`` a year for ``dobbeltdrift_aar`` years from *s*;
- afledt drift: ``drift_aar`` a year for ``levetid`` years from *s*+*L*;
- gevinst: ``gevinst`` × min(*k* / ``gevinst_fuld_aar``, 1) in the *k*-th year after the
  implementation (*k* = 1 … ``levetid``), and the share ``hjemtagelse`` of it as a budget
  reduction.

The nutidsværdi is discounted to the start year; shifting the start shifts every flow, so
the value at the frame's first year is this times (1 + rate)^−(s − first year).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.inputs.contracts import column_default
from analysis.inputs.parameters import DISCOUNT_RATE

# The real discount rate is declared once, with its source, in
# analysis.inputs.parameters.DISCOUNT_RATE (3,5 pct. in years 0–35: a need's life here is
# well within 35 years, so one rate holds); the register's defaults in its column contract.
DEFAULT_LIFETIME = column_default("levetid")  # years after the implementation, when the register gives none
FULL_EFFECT_YEARS = column_default("gevinst_fuld_aar")
ECONOMIC_COLUMNS = ("drift_aar", "dobbeltdrift", "dobbeltdrift_aar", "gevinst_fuld_aar", "hjemtagelse", "levetid")
FLOW_COLUMNS = ("investering", "dobbeltdrift", "afledt_drift", "gevinst", "hjemtagelse")


def given_or(value, default: float = 0.0) -> float:
    """A register cell as a number, ``default`` when it is empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return default
    return float(value)


def has_economics(register: pd.DataFrame) -> bool:
    """Whether the register gives any of the economics columns for any need."""
    present = [c for c in ECONOMIC_COLUMNS if c in register.columns]
    return bool(present) and bool(register[present].notna().to_numpy().any())


def flows(row, cost: float, start: int) -> pd.DataFrame:
    """One need's cash flows by year from ``start`` to the end of its life (1.000 kr.)."""
    spread = np.asarray(row.fordeling, dtype=float) / 100
    implementation = len(spread)
    life = int(given_or(getattr(row, "levetid", None), DEFAULT_LIFETIME))
    full = max(int(given_or(getattr(row, "gevinst_fuld_aar", None), FULL_EFFECT_YEARS)), 1)
    double_years = int(given_or(getattr(row, "dobbeltdrift_aar", None), column_default("dobbeltdrift_aar")))
    years = np.arange(start, start + max(implementation + life, double_years))
    table = pd.DataFrame(0.0, index=years, columns=list(FLOW_COLUMNS))
    table.index.name = "year"
    table.loc[years[:implementation], "investering"] = cost * spread
    table.loc[years[:double_years], "dobbeltdrift"] = given_or(getattr(row, "dobbeltdrift", None))
    after = years[implementation : implementation + life]
    table.loc[after, "afledt_drift"] = given_or(getattr(row, "drift_aar", None))
    ramp = np.minimum(np.arange(1, len(after) + 1) / full, 1.0)
    benefit = given_or(getattr(row, "gevinst", None)) * ramp
    table.loc[after, "gevinst"] = benefit
    table.loc[after, "hjemtagelse"] = benefit * given_or(getattr(row, "hjemtagelse", None))
    table["netto"] = table["gevinst"] - table["investering"] - table["dobbeltdrift"] - table["afledt_drift"]
    return table


def npv(table: pd.DataFrame, rate: float = DISCOUNT_RATE, base_year: int | None = None) -> float:
    """Nutidsværdi of the net flows, discounted to ``base_year`` (default: the first year)."""
    base = int(table.index[0]) if base_year is None else base_year
    factors = (1 + rate) ** -(table.index.to_numpy() - base)
    return float((table["netto"].to_numpy() * factors).sum())


def payback(table: pd.DataFrame) -> int | None:
    """Tilbagebetalingstid: years from the start until the accumulated net is no longer
    negative (1 = in the start year), or None when it never is within the life."""
    accumulated = table["netto"].cumsum().to_numpy()
    spent = np.flatnonzero(accumulated < -1e-9)
    if not len(spent):
        return 1
    last_negative = int(spent[-1])
    if last_negative == len(accumulated) - 1:
        return None
    return last_negative + 2


@dataclass(frozen=True)
class NeedEconomics:
    """One need's business case at one start year."""

    id: str
    start: int
    investment: float
    running: float  # afledt drift a year at full running
    tco: float  # investment, dobbeltdrift and afledt drift over the life
    benefit_total: float
    reduction_total: float
    npv: float
    payback: int | None


def need_economics(row, cost: float, start: int, rate: float = DISCOUNT_RATE) -> NeedEconomics:
    table = flows(row, cost, start)
    return NeedEconomics(
        id=row.id,
        start=start,
        investment=float(table["investering"].sum()),
        running=given_or(getattr(row, "drift_aar", None)),
        tco=float(table[["investering", "dobbeltdrift", "afledt_drift"]].to_numpy().sum()),
        benefit_total=float(table["gevinst"].sum()),
        reduction_total=float(table["hjemtagelse"].sum()),
        npv=npv(table, rate),
        payback=payback(table),
    )


def npv_range(row, start: int, rate: float = DISCOUNT_RATE) -> tuple[float, float]:
    """A need's nutidsværdi over its three-point estimates: lowest at its maximum cost and
    lowest benefit (``gevinst_min``, else ``gevinst``), highest at its minimum cost and
    highest benefit."""
    benefit = given_or(getattr(row, "gevinst", None))
    low_benefit = given_or(getattr(row, "gevinst_min", None), benefit)
    high_benefit = given_or(getattr(row, "gevinst_max", None), benefit)
    worst = npv(flows(row._replace(gevinst=low_benefit), float(row.omkostning_max), start), rate)
    best = npv(flows(row._replace(gevinst=high_benefit), float(row.omkostning_min), start), rate)
    return worst, best


def npv_at_start(register: pd.DataFrame, cost_column: str, rate: float = DISCOUNT_RATE) -> pd.Series:
    """Each need's nutidsværdi discounted to its own start year (the start year does not
    change it): what ``max-npv`` maximises, before discounting the start itself."""
    out = {}
    for row in register.itertuples(index=False):
        cost = getattr(row, cost_column)
        if not row.har_estimat or cost is None or (isinstance(cost, float) and math.isnan(cost)):
            out[row.id] = 0.0
            continue
        out[row.id] = npv(flows(row, float(cost), 0), rate)
    return pd.Series(out, dtype=float)


def npv_terms(register: pd.DataFrame, ids: list[str], rate: float = DISCOUNT_RATE) -> np.ndarray:
    """Each need's nutidsværdi at its own start as a linear function of its cost *C* and its
    benefit a year at full effect *G*: rows (fixed, per unit of cost, per unit of benefit),
    so that the value is ``fixed + C · per_cost + G · per_benefit``. The flows are linear in
    both (the investment is *C* spread, the benefit *G* ramped), so robustness can value a
    draw of both without rebuilding them."""
    reg = register.set_index("id", drop=False).loc[ids]
    terms = np.zeros((3, len(ids)))
    for k, row in enumerate(reg.itertuples(index=False)):
        nothing = row._replace(gevinst=0.0)
        fixed = npv(flows(nothing, 0.0, 0), rate)
        terms[:, k] = (
            fixed,
            npv(flows(nothing, 1.0, 0), rate) - fixed,
            npv(flows(row._replace(gevinst=1.0), 0.0, 0), rate) - fixed,
        )
    return terms


def running_cost(register: pd.DataFrame) -> pd.Series:
    """Each need's afledt drift a year once it runs (0 when not given)."""
    if "drift_aar" not in register.columns:
        return pd.Series(0.0, index=register["id"])
    return pd.Series(register["drift_aar"].map(given_or).to_numpy(dtype=float), index=register["id"])


NOT_GIVEN = "(ikke angivet)"


def reduction_shares(row) -> tuple[tuple[str, float], ...]:
    """Which forvaltninger take a need's budget reduction home, with their shares:
    ``hjemtagelse_forvaltning`` when given, else the need's own ``forvaltning``."""
    given = getattr(row, "hjemtagelse_forvaltning", None)
    if isinstance(given, tuple) and given:
        return given
    who = row.forvaltning if isinstance(row.forvaltning, str) and row.forvaltning else NOT_GIVEN
    return ((who, 1.0),)


def started_by(register: pd.DataFrame, starts: dict[str, int], year: int):
    """The register row and start of each investment started by ``year`` that has an
    estimate, in id order: what the follow-up holds against its business case."""
    reg = register.set_index("id", drop=False)
    for need_id, start in sorted(starts.items()):
        if need_id not in reg.index or start > year:
            continue
        row = next(reg.loc[[need_id]].itertuples(index=False))
        if row.har_estimat:
            yield row, start


def reductions_in_year(register: pd.DataFrame, starts: dict[str, int], year: int, cost_column: str) -> dict[str, float]:
    """The budget reductions the business case expects in ``year``, per forvaltning, of the
    investments started by then (1.000 kr.)."""
    out: dict[str, float] = {}
    for row, start in started_by(register, starts, year):
        amount = float(flows(row, float(getattr(row, cost_column)), start)["hjemtagelse"].get(year, 0.0))
        for who, share in reduction_shares(row):
            out[who] = out.get(who, 0.0) + amount * share
    return out


def portfolio(register: pd.DataFrame, selected: dict[str, int], cost_column: str, rate: float = DISCOUNT_RATE):
    """An option's business case: per funded need its economics, and in all the nutidsværdi
    (each need's discounted to the first start year of the frame), the afledt drift it leaves
    on servicerammen a year, and the budget reductions it promises per forvaltning and year."""
    reg = register.set_index("id", drop=False)
    rows, reductions = [], {}
    first = min(selected.values()) if selected else 0
    total_npv = 0.0
    for need_id, start in sorted(selected.items()):
        row = next(reg.loc[[need_id]].itertuples(index=False))
        cost = float(getattr(row, cost_column))
        table = flows(row, cost, start)
        economics = need_economics(row, cost, start, rate)
        rows.append(economics)
        total_npv += npv(table, rate, first)
        for who, share in reduction_shares(row):
            for year, amount in table["hjemtagelse"].items():
                if amount:
                    reductions[(who, int(year))] = reductions.get((who, int(year)), 0.0) + float(amount) * share
    running = float(sum(r.running for r in rows))
    return rows, total_npv, running, reductions


def portfolio_flows(
    register: pd.DataFrame,
    selected: dict[str, int],
    cost_column: str,
    benefit_factor: float = 1.0,
    delay: int = 0,
) -> pd.DataFrame:
    """An option's cash flows by year, summed over its funded needs: the business case's
    sensitivities take the cost at another level (``cost_column``), the benefit scaled by
    ``benefit_factor`` and put ``delay`` years later."""
    reg = register.set_index("id", drop=False)
    tables = []
    for need_id, start in sorted(selected.items()):
        row = next(reg.loc[[need_id]].itertuples(index=False))
        table = flows(row, float(getattr(row, cost_column)), start)
        benefit = table[["gevinst", "hjemtagelse"]] * benefit_factor
        table = table.drop(columns=["gevinst", "hjemtagelse", "netto"])
        if delay:
            benefit.index = benefit.index + delay
        table = table.join(benefit, how="outer").fillna(0.0)
        tables.append(table)
    if not tables:
        return pd.DataFrame(columns=[*FLOW_COLUMNS, "netto"], dtype=float)
    total = pd.concat(tables).groupby(level=0).sum()
    total["netto"] = total["gevinst"] - total["investering"] - total["dobbeltdrift"] - total["afledt_drift"]
    total.index.name = "year"
    return total[[*FLOW_COLUMNS, "netto"]]


def benefits_followed(
    register: pd.DataFrame, starts: dict[str, int], gevinster: pd.DataFrame, year: int, rate: float = DISCOUNT_RATE
) -> pd.DataFrame:
    """Per started investment, the benefit in kroner the business case promised against what
    was realised, in ``year`` and accumulated up to it, and the same for the budget
    reductions: ``promised``, ``realised``, ``promised_total``, ``realised_total``,
    ``reduction_promised``, ``reduction_taken`` (and their totals), the investment's cost
    spent so far in the business case (``cost_total``; ``running_total`` its dobbeltdrift and
    afledt drift), the accumulated net the business case expects by then
    (``net_promised_total``), the year it expects to have paid back (``payback_year``), and
    whether a benefit was measured in the year (``measured``) or at all by then
    (``measured_any``) and a reduction reported in the year (``reduction_reported``)."""
    realised = gevinster.dropna(subset=["maaleaar"]) if "gevinst_kr" in gevinster.columns else gevinster.iloc[0:0]
    rows = []
    for row, start in started_by(register, starts, year):
        need_id = row.id
        table = flows(row, float(row.omkostning_forventet), start)
        upto = table[table.index <= year]
        mine = realised[realised["id"] == need_id]
        this = mine[mine["maaleaar"] == year]
        before = mine[mine["maaleaar"] <= year]
        rows.append(
            {
                "id": need_id,
                "start": start,
                "promised": float(table["gevinst"].get(year, 0.0)),
                "realised": float(this["gevinst_kr"].fillna(0).sum()) if "gevinst_kr" in mine else 0.0,
                "promised_total": float(upto["gevinst"].sum()),
                "realised_total": float(before["gevinst_kr"].fillna(0).sum()) if "gevinst_kr" in mine else 0.0,
                "reduction_promised": float(table["hjemtagelse"].get(year, 0.0)),
                "reduction_taken": float(this["hjemtaget"].fillna(0).sum()) if "hjemtaget" in mine else 0.0,
                "cost_total": float(upto[["investering", "dobbeltdrift", "afledt_drift"]].to_numpy().sum()),
                "running_total": float(upto[["dobbeltdrift", "afledt_drift"]].to_numpy().sum()),
                "net_promised_total": float(upto["netto"].sum()),
                "payback_year": None if (back := payback(table)) is None else start + back - 1,
                "measured": bool(len(this) and this.get("gevinst_kr", pd.Series(dtype=float)).notna().any()),
                "measured_any": bool(len(before) and before.get("gevinst_kr", pd.Series(dtype=float)).notna().any()),
                "reduction_reported": bool(len(this) and this.get("hjemtaget", pd.Series(dtype=float)).notna().any()),
            }
        )
    return pd.DataFrame(rows)
