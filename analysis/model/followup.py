"""Effect follow-up for the transfer case (OFS Y/Y+1): the money of the year followed up
(:mod:`analysis.model.transfers`: what each investment had and spent, what is bound and
free, and the proposed transfers), and benefit realisation against baseline and target.

``run(year=Y)`` closes year Y on its accounts (``regnskab``; a forecast where there are
none, and the table says so) and proposes what OFS Y/Y+1 decides. Its rules are
:class:`~analysis.inputs.parameters.Rules`, with their defaults there.

Benefit status: progress = (realised − baseline) / (target − baseline), which is
direction-aware because target − baseline carries the sign; expected progress at the
measurement year is a linear ramp from 0 in the baseline year to 1 in the target year. *On
track* when progress ≥ expected − 0,10; *at risk* when ≥ expected − 0,25; otherwise *off
track*; *no measurement* when there is no measurement up to the year.

:func:`run` computes all of it once, as one :class:`Followup`, for the OFS page, the
report's front page and ``followup --json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import pandas as pd

from analysis.inputs.followup_files import HIGHER, POTENTIAL_CODES, FollowupData
from analysis.inputs.parameters import Rules
from analysis.model import transfers
from analysis.model.cycle import OFS, Event
from analysis.model.ledger import GRANT, Ledger


class BenefitStatus(StrEnum):
    """An indicator's status (codes; the report and ``followup --json`` word them)."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_MEASUREMENT = "no_measurement"
    NOT_THIS_YEAR = "not_measured_this_year"  # measured before, not in the year followed up
    # from the target year on: judged on the latest measurement in or after it
    TARGET_MET = "target_met"
    TARGET_MISSED = "target_missed"
    TARGET_NOT_MEASURED = "target_not_measured"  # no measurement in or after the target year
    STOPPED = "stopped"  # the investment is stopped: its benefit is no longer followed against its plan


# the statuses of the ramp, counted even when none has them; the target year's only where used
RAMP_STATUSES = (
    BenefitStatus.ON_TRACK,
    BenefitStatus.AT_RISK,
    BenefitStatus.OFF_TRACK,
    BenefitStatus.NO_MEASUREMENT,
    BenefitStatus.NOT_THIS_YEAR,
)


def status_counts(table: pd.DataFrame) -> dict[BenefitStatus, int]:
    """Indicators per status, in the enum's order: the ramp's statuses always, the others
    where an indicator has them."""
    counts = table["status"].value_counts() if len(table) else pd.Series(dtype=int)
    return {s: int(counts.get(s, 0)) for s in BenefitStatus if s in RAMP_STATUSES or counts.get(s, 0)}


HOURS_UNITS = {"timer", "timer pr. år", "timer/år", "timer om året"}

DEFAULT_RULES = Rules()
# a share within this of a threshold is at it (floating-point quotients of converted amounts)
SHARE_EPSILON = 1e-9


def investments(position: transfers.Position, rules: Rules = DEFAULT_RULES, by_pool: bool = False) -> pd.DataFrame:
    """Per investment and year (and pool with ``by_pool``: an overspend in one pool is never
    hidden by an underspend in the other): what it was udmøntet (``funded``, net), what an
    OFS moved to it (``transferred_in``), what it spent, the share of what it had that it
    spent, cumulative figures, and flags: ``overspent`` (spent more than it had that year),
    ``overspent_cumulative`` (spent more than it was ever udmøntet) and ``deviation``
    (the share, unrounded, off by more than the threshold)."""
    rows = position.investments
    columns = [
        "id",
        "year",
        *(["pool"] if by_pool else []),
        "funded",
        "transferred_in",
        "available",
        "spent",
        "spent_share",
        "funded_cumulative",
        "spent_cumulative",
        "spent_share_cumulative",
        "spent_assumed",
        "source",
        "overspent",
        "overspent_cumulative",
        "deviation",
        "bound",
        "transferred_out",
        "merforbrug",
        "merforbrug_to",
        "covered",
        "given_back",
        "anlaeg_overrun",
        "released_from",
    ]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    keys = ["id", "year", "pool"] if by_pool else ["id", "year"]
    grouped = rows.groupby(keys, sort=True)
    table = grouped.agg(
        funded=("granted", "sum"),
        transferred_in=("transferred_in", "sum"),
        available=("available", "sum"),
        spent=("spent", "sum"),
        funded_cumulative=("granted_cumulative", "sum"),
        spent_cumulative=("spent_cumulative", "sum"),
        bound=("bound", "sum"),
        transferred_out=("transferred_out", "sum"),
        merforbrug=("merforbrug", "sum"),
        merforbrug_to=("merforbrug_to", lambda s: "/".join(sorted({v for v in s if v}))),
        covered=("covered", "sum"),
        given_back=("given_back", "sum"),
        anlaeg_overrun=("anlaeg_overrun", lambda s: "/".join(sorted({v for v in s if v}))),
        released_from=("released_from", "first"),
        spent_assumed=("source", lambda s: bool((s == transfers.ASSUMED_AS_GRANTED).any())),
        source=("source", lambda s: "/".join(sorted(set(s)))),
        overspent_any=("overspent", "any"),
        overspent_cumulative=("overspent_cumulative", "any"),
    ).reset_index()

    def share(spent: float, had: float) -> float:
        return spent / had if had > 0 else (np.nan if spent == 0 else np.inf)

    tol = transfers.TOLERANCE
    table["spent_share"] = [share(s, a) for s, a in zip(table["spent"], table["available"], strict=True)]
    table["spent_share_cumulative"] = [
        share(s, f) for s, f in zip(table["spent_cumulative"], table["funded_cumulative"], strict=True)
    ]
    table["overspent"] = table["overspent_any"] | (table["spent"] > table["available"] + tol)
    # a share exactly at the threshold (90 % of 3.000, in any p/l) is no deviation: compare
    # beyond the last bits of a floating-point quotient
    table["deviation"] = [
        bool(np.isfinite(x) and abs(x - 1) > rules.deviation_threshold + SHARE_EPSILON) or x == np.inf
        for x in table["spent_share"]
    ]
    return table[columns]


def progress(realised, baseline: float, target: float):
    """The share of the way from baseline to target (direction-aware: ``target − baseline``
    carries the sign). Works on numbers and on pandas Series alike."""
    return (realised - baseline) / (target - baseline)


def expected_progress(baseline_year: int, target_year: int, year: int) -> float:
    """The linear ramp: 0 in the baseline year, 1 in the target year, clipped to 0–1."""
    if target_year == baseline_year:
        return 1.0 if year >= target_year else 0.0
    return float(np.clip((year - baseline_year) / (target_year - baseline_year), 0.0, 1.0))


def indicators(
    data: FollowupData, year: int, rules: Rules = DEFAULT_RULES, stopped: frozenset[str] = frozenset()
) -> pd.DataFrame:
    """Per indicator: the latest measurement up to ``year``, its progress, the expected
    progress at that measurement year, and the status. From the target year on the status
    is whether the target was reached, on the latest measurement in or after the target
    year, with the ``shortfall`` in the indicator's unit; an investment in ``stopped`` is
    ``STOPPED`` (its measurements still shown)."""
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
        past_target = year >= base["target_year"]
        if measured.empty:
            status = BenefitStatus.TARGET_NOT_MEASURED if past_target else BenefitStatus.NO_MEASUREMENT
            rows.append(
                {
                    **base,
                    "year": None,
                    "realised": None,
                    "progress": None,
                    "expected_progress": expected_progress(base["baseline_year"], base["target_year"], year),
                    "status": BenefitStatus.STOPPED if need_id in stopped else status,
                    "shortfall": None,
                }
            )
            continue
        last = measured.iloc[-1]
        share = progress(float(last["realiseret"]), base["baseline"], base["target"])
        expected = expected_progress(base["baseline_year"], base["target_year"], int(last["maaleaar"]))
        shortfall = None
        if need_id in stopped:
            status = BenefitStatus.STOPPED
        elif past_target:
            if int(last["maaleaar"]) < base["target_year"]:
                status = BenefitStatus.TARGET_NOT_MEASURED  # nothing measured in or after the target year
            elif share >= 1 - SHARE_EPSILON:
                status = BenefitStatus.TARGET_MET
            else:
                status = BenefitStatus.TARGET_MISSED
                # in the indicator's unit, beyond floating-point noise (50, not 50,0000000001)
                shortfall = round((1 - share) * abs(base["target"] - base["baseline"]), 9)
        elif int(last["maaleaar"]) < year:
            status = BenefitStatus.NOT_THIS_YEAR  # an old measurement says nothing about this year
        elif share >= expected - rules.at_risk - SHARE_EPSILON:
            status = BenefitStatus.ON_TRACK
        elif share >= expected - rules.off_track - SHARE_EPSILON:
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
                "shortfall": shortfall,
            }
        )
    return pd.DataFrame(rows)


def coverage(data: FollowupData, year: int) -> tuple[float, pd.DataFrame]:
    """The share of funded investments (funded up to ``year``) with a baseline, a target
    and at least one measurement up to ``year``; and the per-investment detail."""
    funded_ids = _funded(data, year)
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
    funded_ids = set(_funded(data, year))
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


def _funded(data: FollowupData, year: int) -> list[str]:
    """The investments udmøntet money for a year up to ``year``."""
    table = data.bevillinger
    art = table["art"].fillna(GRANT) if "art" in table else pd.Series(GRANT, index=table.index)
    mine = table[(art == GRANT) & (table["aar"] <= year) & table["id"].notna()]
    return sorted(set(mine["id"]))


@dataclass(frozen=True)
class Followup:
    """The follow-up of one year for OFS ``year``/``year``+1, computed once (see the
    functions above and :mod:`analysis.model.transfers`)."""

    year: int
    rules: Rules
    position: transfers.Position
    pools: pd.DataFrame  # per pool and year up to ``year``; the year itself is the proposal
    investments: pd.DataFrame  # per investment and year
    investments_by_pool: pd.DataFrame  # per investment, year and pool
    indicators: pd.DataFrame
    coverage: float
    coverage_detail: pd.DataFrame
    hours: pd.DataFrame
    potentials: dict[str, list[str]]
    illustrative: bool  # the follow-up files say they are illustrative examples
    # (pool, year) -> (factor, p/l): what turns this follow-up's amounts into the year's own
    # p/l, in which the year was accounted and its OFS decided (empty: all in one p/l)
    own_years: dict = field(default_factory=dict)
    # per (id, pool, year): the net grant as ØU decided it and its p/l (Ledger.grants_as_decided)
    grants_decided: pd.DataFrame | None = None

    @property
    def event(self) -> Event:
        return Event(OFS, self.year)


def run(
    frame: pd.DataFrame,
    register: pd.DataFrame,
    data: FollowupData,
    book: Ledger,
    year: int,
    rules: Rules = DEFAULT_RULES,
    own_years: dict | None = None,
    price_year: int | None = None,
) -> Followup:
    """The follow-up of ``year``: every table the OFS page, the front page and
    ``followup --json`` show. ``book``: the ledger (every row; what OFS ``year``/``year``+1
    knows is taken from it). ``own_years``: see :attr:`Followup.own_years`; each year's whole
    thousands are counted in its own p/l, as its OFS counted them. ``price_year``: the amounts'
    p/l (the p/l of a grant the package added, for :attr:`Followup.grants_decided`)."""
    event = Event(OFS, year)
    known = book.known_at(event)
    own = {key: f for key, (f, _level) in (own_years or {}).items()}
    spending = transfers.known_spending(data.forbrug, event)
    money = transfers.position(frame, known, spending, year, rules, own=own)
    indicator_table = indicators(data, year, rules, frozenset(known.stopped()))
    share, detail = coverage(data, year)
    return Followup(
        year=year,
        rules=rules,
        position=money,
        pools=money.pools,
        investments=investments(money, rules),
        investments_by_pool=investments(money, rules, by_pool=True),
        indicators=indicator_table,
        coverage=share,
        coverage_detail=detail,
        hours=hours(register, data, year, indicator_table),
        potentials=potentials_followed(data),
        illustrative=is_illustrative(data),
        own_years=dict(own_years or {}),
        grants_decided=known.grants_as_decided(price_year) if price_year is not None else None,
    )


def is_illustrative(data: FollowupData) -> bool:
    """Follow-up data that says it is illustrative (in its kilde column)."""
    sources = pd.concat(
        [t.get("kilde", pd.Series(dtype=object)) for t in (data.bevillinger, data.forbrug, data.gevinster)]
    )
    return bool(sources.fillna("").astype(str).str.contains("illustrativ", case=False).any())


def in_own_years(table: pd.DataFrame, levels: dict, columns: list[str]) -> pd.DataFrame:
    """``table`` (with ``pool`` and ``year``) with its amount ``columns`` in each row's own
    year's p/l (``levels``: (pool, year) → (factor, p/l), see :attr:`Followup.own_years`) and
    a column ``pl`` saying it; without ``levels``, as it is (no ``pl``)."""
    if not levels:
        return table
    if table.empty:
        return table.assign(pl=pd.Series(dtype=object, index=table.index))
    found = [levels.get((p, int(y)), (1.0, None)) for p, y in zip(table["pool"], table["year"], strict=True)]
    factors = pd.Series([f for f, _ in found], index=table.index, dtype=float)
    return table.assign(**{c: table[c] * factors for c in columns}, pl=[level for _, level in found])
