"""Effect follow-up and the spring transfer case (OFS): spending against the frame,
transfers of unspent money, and benefit realisation against baseline and target.

Year conventions. ``followup(year=Y)`` closes year Y: it uses the accounts (``regnskab``)
for Y and earlier where they exist, else the forecast (``forventet``), and proposes the
transfer from Y into Y+1, which the OFS in the spring of Y+1 decides.

Transfer rules (:class:`~analysis.inputs.parameters.Rules`, with their defaults there):

- ``carry_over=True``: unspent = frame + transfer in − spent; the proposed transfer out is
  the unspent amount, so an overspend (negative) is deducted next year. Always within the
  same pool. With ``carry_over=False`` nothing is transferred.
- ``cap=None``: no cap. A number caps a positive transfer at that share of the year's
  frame (e.g. 0.5); an overspend is always carried in full.
- The transfer is split into money bound to funded investments (per investment, funded
  minus spent, carried on) and money free in the pool (the rest).

Benefit status: progress = (realised − baseline) / (target − baseline), which is
direction-aware because target − baseline carries the sign; expected progress at the
measurement year is a linear ramp from 0 in the baseline year to 1 in the target year. *On
track* when progress ≥ expected − 0,10; *at risk* when ≥ expected − 0,25; otherwise *off
track*; *no measurement* when there is no measurement up to the year.

:func:`run` computes all of it once, as one :class:`Followup`, for the OFS page, the
report's front page and ``followup --json``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

from analysis.inputs.contracts import POOLS
from analysis.inputs.financing_frame import amounts, frame_years
from analysis.inputs.followup_files import HIGHER, POTENTIAL_CODES, FollowupData
from analysis.inputs.parameters import Rules


class BenefitStatus(StrEnum):
    """An indicator's status (codes; the report and ``followup --json`` word them)."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_MEASUREMENT = "no_measurement"


HOURS_UNITS = {"timer", "timer pr. år", "timer/år", "timer om året"}

DEFAULT_RULES = Rules()


# --- computations -------------------------------------------------------------------------------


def spent_table(forbrug: pd.DataFrame) -> pd.DataFrame:
    """Spending per id, year and pool: accounts where they exist, else the forecast."""
    if forbrug.empty:
        return pd.DataFrame(columns=["id", "aar", "styringsomraade", "forbrug", "type"])
    ranked = forbrug.assign(_rank=forbrug["type"].map({"regnskab": 0, "forventet": 1}))
    best = ranked.sort_values("_rank").groupby(["id", "aar", "styringsomraade"], as_index=False).first()
    return best.drop(columns=["_rank"])


ASSUMED_AS_GRANTED = "bevilget"  # the source of a spending figure taken from the grant


def actual_spending(bevillinger: pd.DataFrame, forbrug: pd.DataFrame, through_year: int) -> pd.DataFrame:
    """What was spent per id, year (up to ``through_year``) and pool: the accounts
    (``regnskab``) where they exist, else the forecast (``forventet``), else the granted
    amount, taken as spent (``source`` says which). One rule for the OFS and the plan.

    Columns: ``id``, ``year``, ``pool``, ``spent``, ``granted``, ``source``.
    """
    keys = ["id", "aar", "styringsomraade"]
    granted = bevillinger[bevillinger["aar"] <= through_year].groupby(keys, as_index=False)["beloeb"].sum()
    measured = spent_table(forbrug)
    measured = measured[measured["aar"] <= through_year][[*keys, "forbrug", "type"]]
    table = granted.merge(measured, on=keys, how="outer")
    table["granted"] = table["beloeb"].fillna(0.0).astype(float)
    has_measurement = table["forbrug"].notna()
    table["spent"] = table["forbrug"].where(has_measurement, table["granted"]).astype(float)
    table["source"] = table["type"].where(has_measurement, ASSUMED_AS_GRANTED)
    table = table.rename(columns={"aar": "year", "styringsomraade": "pool"})
    table["year"] = table["year"].astype(int)
    keys = ["id", "year", "pool"]
    return table[[*keys, "spent", "granted", "source"]].sort_values(keys).reset_index(drop=True)


def bound_money(spending: pd.DataFrame, through_year: int) -> dict[tuple[str, str], float]:
    """Money bound to each investment per pool at the end of ``through_year``: what it was
    granted and did not spend, summed over the years. Only positive balances bind money: one
    investment's overspend is never netted against another's bound money."""
    rows = spending[spending["year"] <= through_year]
    balance = (rows["granted"] - rows["spent"]).groupby([rows["id"], rows["pool"]]).sum()
    return {key: float(value) for key, value in balance.items() if value > 0}


def pools(frame: pd.DataFrame, data: FollowupData, year: int, rules: Rules = DEFAULT_RULES) -> pd.DataFrame:
    """Per year up to ``year`` and pool: frame, transfer in, funded, spent, unspent, the
    proposed transfer out, and how much of it is bound to investments or free.

    Bound money is shown in full; when it exceeds the proposed transfer (an investment's
    overspend, or an overspent pool), the free money is negative: the shortfall that the
    bound money leaves, which the OFS must cover."""
    years = [y for y in frame_years(frame) if y <= year]
    frame_amounts = amounts(frame)
    funded = data.bevillinger.groupby(["aar", "styringsomraade"])["beloeb"].sum()
    spending = actual_spending(data.bevillinger, data.forbrug, year)
    spent = spending.groupby(["year", "pool"])["spent"].sum()
    rows = []
    for pool in POOLS:
        transfer_in = 0.0
        for y in years:
            frame_y = float(frame_amounts.loc[y, pool])
            funded_y = float(funded.get((y, pool), 0.0))
            spent_y = float(spent.get((y, pool), 0.0))
            unspent = frame_y + transfer_in - spent_y
            transfer_out = _transfer(unspent, frame_y, rules)
            bound = 0.0
            if rules.carry_over:
                bound = sum(v for (_, p), v in bound_money(spending, y).items() if p == pool)
            rows.append(
                {
                    "year": y,
                    "pool": pool,
                    "frame": frame_y,
                    "transfer_in": transfer_in,
                    "funded": funded_y,
                    "spent": spent_y,
                    "unspent": unspent,
                    "transfer_out": transfer_out,
                    "bound": bound,
                    "free": transfer_out - bound,
                }
            )
            transfer_in = transfer_out
    return pd.DataFrame(rows)


def _transfer(unspent: float, frame_y: float, rules: Rules) -> float:
    if not rules.carry_over:
        return 0.0
    if unspent > 0 and rules.cap is not None:
        return min(unspent, rules.cap * frame_y)
    return unspent


def investments(data: FollowupData, year: int, rules: Rules = DEFAULT_RULES, by_pool: bool = False) -> pd.DataFrame:
    """Per investment and year up to ``year`` (and per pool with ``by_pool``: an overspend
    in one pool is never hidden by an underspend in the other): funded, spent (by
    :func:`actual_spending`; ``spent_assumed`` when there were no accounts or forecast and
    the grant is taken as spent), the share spent, cumulative figures, and a flag when the
    share, unrounded, is off by more than the threshold."""
    spending = actual_spending(data.bevillinger, data.forbrug, year)
    keys = ["id", "year", "pool"] if by_pool else ["id", "year"]
    grouped = spending.groupby(keys)
    funded, spent = grouped["granted"].sum(), grouped["spent"].sum()
    assumed = grouped["source"].agg(lambda sources: bool((sources == ASSUMED_AS_GRANTED).any()))
    rows = []
    cumulative: dict[tuple, list[float]] = {}
    for key in sorted(funded.index):
        f, s = float(funded[key]), float(spent[key])
        need_id, y = key[0], key[1]
        total = cumulative.setdefault((need_id, *key[2:]), [0.0, 0.0])
        total[0] += f
        total[1] += s
        share = s / f if f > 0 else (np.nan if s == 0 else np.inf)
        cum_share = total[1] / total[0] if total[0] > 0 else (np.nan if total[1] == 0 else np.inf)
        row = {
            "id": need_id,
            "year": int(y),
            "funded": f,
            "spent": s,
            "spent_share": share,
            "funded_cumulative": total[0],
            "spent_cumulative": total[1],
            "spent_share_cumulative": cum_share,
            "spent_assumed": bool(assumed[key]),
            "overspent": bool(s > f + 1e-9),
            "deviation": bool(np.isfinite(share) and abs(share - 1) > rules.deviation_threshold) or share == np.inf,
        }
        if by_pool:
            row["pool"] = key[2]
        rows.append(row)
    columns = [
        "id",
        "year",
        *(["pool"] if by_pool else []),
        "funded",
        "spent",
        "spent_share",
        "funded_cumulative",
        "spent_cumulative",
        "spent_share_cumulative",
        "spent_assumed",
        "overspent",
        "deviation",
    ]
    return pd.DataFrame(rows, columns=columns)


def progress(realised, baseline: float, target: float):
    """The share of the way from baseline to target (direction-aware: ``target − baseline``
    carries the sign). Works on numbers and on pandas Series alike."""
    return (realised - baseline) / (target - baseline)


def expected_progress(baseline_year: int, target_year: int, year: int) -> float:
    """The linear ramp: 0 in the baseline year, 1 in the target year, clipped to 0–1."""
    if target_year == baseline_year:
        return 1.0 if year >= target_year else 0.0
    return float(np.clip((year - baseline_year) / (target_year - baseline_year), 0.0, 1.0))


def indicators(data: FollowupData, year: int, rules: Rules = DEFAULT_RULES) -> pd.DataFrame:
    """Per indicator: the latest measurement up to ``year``, its progress, the expected
    progress at that measurement year, and the status."""
    rows = []
    g = data.gevinster
    for (need_id, indicator), group in g.groupby(["id", "indikator"], sort=True):
        first = group.iloc[0]
        measured = group.dropna(subset=["maaleaar", "realiseret"])
        measured = measured[measured["maaleaar"] <= year].sort_values("maaleaar")
        base = {
            "id": need_id,
            "indicator": indicator,
            "unit": first["enhed"],
            "direction": first["retning"],
            "baseline": float(first["baseline"]),
            "baseline_year": int(first["baseline_aar"]),
            "target": float(first["maal"]),
            "target_year": int(first["maal_aar"]),
            "responsible": first["ansvarlig"],
        }
        if measured.empty:
            rows.append(
                {
                    **base,
                    "year": None,
                    "realised": None,
                    "progress": None,
                    "expected_progress": expected_progress(base["baseline_year"], base["target_year"], year),
                    "status": BenefitStatus.NO_MEASUREMENT,
                }
            )
            continue
        last = measured.iloc[-1]
        share = progress(float(last["realiseret"]), base["baseline"], base["target"])
        expected = expected_progress(base["baseline_year"], base["target_year"], int(last["maaleaar"]))
        if share >= expected - rules.at_risk:
            status = BenefitStatus.ON_TRACK
        elif share >= expected - rules.off_track:
            status = BenefitStatus.AT_RISK
        else:
            status = BenefitStatus.OFF_TRACK
        rows.append(
            {
                **base,
                "year": int(last["maaleaar"]),
                "realised": float(last["realiseret"]),
                "progress": share,
                "expected_progress": expected,
                "status": status,
            }
        )
    return pd.DataFrame(rows)


def coverage(data: FollowupData, year: int) -> tuple[float, pd.DataFrame]:
    """The share of funded investments (funded up to ``year``) with a baseline, a target
    and at least one measurement up to ``year``; and the per-investment detail."""
    funded_ids = sorted(set(data.bevillinger.loc[data.bevillinger["aar"] <= year, "id"]))
    g = data.gevinster
    rows = []
    for need_id in funded_ids:
        mine = g[g["id"] == need_id]
        has_baseline = bool(mine["baseline"].notna().any())
        has_target = bool(mine["maal"].notna().any())
        measured = mine.dropna(subset=["maaleaar", "realiseret"])
        has_measurement = bool((measured["maaleaar"] <= year).any())
        rows.append(
            {
                "id": need_id,
                "baseline": has_baseline,
                "target": has_target,
                "measurement": has_measurement,
                "covered": has_baseline and has_target and has_measurement,
            }
        )
    detail = pd.DataFrame(rows, columns=["id", "baseline", "target", "measurement", "covered"])
    share = float(detail["covered"].mean()) if len(detail) else 0.0
    return share, detail


def hours(
    register: pd.DataFrame, data: FollowupData, year: int, indicator_table: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Hours a year moved to citizen-facing work, by ``administration`` (the register's
    forvaltning): expected (the register's
    ``timer_frigjort`` for funded needs) against realised (latest measured change of an
    indicator whose unit is hours). ``administration`` is None for needs that name none."""
    funded_ids = set(data.bevillinger.loc[data.bevillinger["aar"] <= year, "id"])
    reg = register.set_index("id")
    ind = indicators(data, year) if indicator_table is None else indicator_table
    hours_ind = ind[ind["unit"].str.strip().str.lower().isin(HOURS_UNITS)] if not ind.empty else ind
    realised = {}
    for row in hours_ind.itertuples(index=False):
        if row.realised is not None and not pd.isna(row.realised):
            # hours moved: the change in the indicator's better direction; a drop in an
            # indicator where higher is better counts as hours lost, never as gained
            change = row.realised - row.baseline
            realised[row.id] = realised.get(row.id, 0.0) + (change if row.direction == HIGHER else -change)
    rows = []
    for need_id in sorted(funded_ids):
        rows.append(
            {
                "administration": reg.loc[need_id, "forvaltning"]
                if isinstance(reg.loc[need_id, "forvaltning"], str)
                else None,
                "expected": float(reg.loc[need_id, "timer_frigjort"])
                if not pd.isna(reg.loc[need_id, "timer_frigjort"])
                else 0.0,
                "realised": realised.get(need_id, 0.0),
                "measured": need_id in realised,
            }
        )
    table = pd.DataFrame(rows, columns=["administration", "expected", "realised", "measured"])
    return table.groupby("administration", as_index=False, dropna=False).agg(
        expected=("expected", "sum"), realised=("realised", "sum"), measured=("measured", "sum")
    )


def potentials_followed(data: FollowupData) -> dict[str, list[str]]:
    """Which of the note's four potentials the indicators follow: potential code (as in
    ``POTENTIAL_CODES``) → the indicators following it. An indicator in hours with no stated
    potential follows aflastning (admin time moved to citizen-facing work)."""
    followed: dict[str, list[str]] = {code: [] for code in POTENTIAL_CODES}
    for (need_id, indicator), group in data.gevinster.groupby(["id", "indikator"], sort=True):
        first = group.iloc[0]
        code = first.get("potentiale")
        if not isinstance(code, str) or not code:
            code = "aflastning" if str(first["enhed"]).strip().lower() in HOURS_UNITS else None
        if code in followed:
            followed[code].append(f"{need_id}: {indicator}")
    return followed


@dataclass(frozen=True)
class Followup:
    """The follow-up of one year, computed once (see the functions above for each part)."""

    year: int
    rules: Rules
    pools: pd.DataFrame
    investments: pd.DataFrame  # per investment and year
    investments_by_pool: pd.DataFrame  # per investment, year and pool
    indicators: pd.DataFrame
    coverage: float
    coverage_detail: pd.DataFrame
    hours: pd.DataFrame
    potentials: dict[str, list[str]]
    illustrative: bool  # the follow-up files say they are illustrative examples


def run(
    frame: pd.DataFrame, register: pd.DataFrame, data: FollowupData, year: int, rules: Rules = DEFAULT_RULES
) -> Followup:
    """The follow-up of ``year``: every table the OFS page, the front page and
    ``followup --json`` show."""
    indicator_table = indicators(data, year, rules)
    share, detail = coverage(data, year)
    return Followup(
        year=year,
        rules=rules,
        pools=pools(frame, data, year, rules),
        investments=investments(data, year, rules),
        investments_by_pool=investments(data, year, rules, by_pool=True),
        indicators=indicator_table,
        coverage=share,
        coverage_detail=detail,
        hours=hours(register, data, year, indicator_table),
        potentials=potentials_followed(data),
        illustrative=is_illustrative(data),
    )


def is_illustrative(data: FollowupData) -> bool:
    """Follow-up data that says it is illustrative (in its kilde column)."""
    sources = pd.concat(
        [t.get("kilde", pd.Series(dtype=object)) for t in (data.bevillinger, data.forbrug, data.gevinster)]
    )
    return bool(sources.fillna("").astype(str).str.contains("illustrativ", case=False).any())
