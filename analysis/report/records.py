"""Results as plain data: the ``--json`` objects of ``allocate``, ``followup`` and
``robustness`` (contracts scripts rely on), and the one rule for turning a value into JSON.

Numbers are rounded to six decimals; a missing or non-finite number is ``null``; codes
(status, reason, class) are their string values.
"""

from __future__ import annotations

import math
from enum import Enum

import numpy as np
import pandas as pd

from analysis.inputs.contracts import POOLS
from analysis.model.allocation.result import Result
from analysis.model.followup import BenefitStatus, Followup
from analysis.model.robustness import Analysis, CoreClass
from analysis.report import vocabulary

# The codes ``followup --json`` and ``robustness --json`` have always written (contracts:
# kept as they are, whatever the model calls them).
JSON_BENEFIT_STATUS = {
    BenefitStatus.ON_TRACK: "på sporet",
    BenefitStatus.AT_RISK: "i risiko",
    BenefitStatus.OFF_TRACK: "bagud",
    BenefitStatus.NO_MEASUREMENT: "ingen måling",
    BenefitStatus.NOT_THIS_YEAR: "ikke målt i år",
    BenefitStatus.TARGET_MET: "mål nået",
    BenefitStatus.TARGET_MISSED: "mål ikke nået",
    BenefitStatus.TARGET_NOT_MEASURED: "ikke målt",
    BenefitStatus.STOPPED: "stoppet",
}
JSON_CORE_CLASS = {CoreClass.CORE: "kerne", CoreClass.BORDERLINE: "grænsetilfælde", CoreClass.OUTSIDE: "udenfor"}


def plain(value, digits: int | None = 6):
    """One value as JSON-safe plain data (see the module docstring). Text stays text;
    ``digits=None`` keeps a number's full precision (the Excel appendix)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return value if digits is None else round(value, digits)
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def records(table: pd.DataFrame, columns: list[str]) -> list[dict]:
    return [{c: plain(row[c]) for c in columns} for _, row in table.iterrows()]


def _year_pool_records(table: pd.DataFrame) -> list[dict]:
    return [
        {"year": int(year), "pool": pool, "amount": plain(float(table.loc[year, pool]))}
        for year in table.index
        for pool in POOLS
    ]


def allocation_dict(result: Result, price_year: int | None = None) -> dict:
    """The ``allocate --json`` object: status, objective, mip_gap, solve_time_s, selected,
    spending, unspent, excluded, and the options that made it; with ``price_year``, the p/l
    of its amounts (``pl_aar``)."""
    options = result.options
    years = vocabulary.plan_years(result)
    excluded = []
    for need_id, why in sorted(result.explanations.items()):
        entry = {
            "id": need_id,
            "reason": why.reason.value,
            "reason_text": vocabulary.REASON_LABELS[why.reason],
            "detail": vocabulary.explanation_detail(why, years),
        }
        if why.resolve_status is not None:
            entry["value_lost"] = plain(why.value_lost, digits=None)
            if why.value_lost is not None:
                entry["value_lost_min"] = plain(why.value_lost_min, digits=None)
                entry["value_lost_proven"] = why.value_lost_proven
        if why.extra_frame is not None:
            entry["extra_frame"] = [
                {"pool": pool, "year": year, "amount": plain(amount)}
                for (pool, year), amount in sorted(why.extra_frame.items())
            ]
        excluded.append(entry)
    previous = result.problem.commitments.previous if result.problem.commitments else {}
    started = result.problem.started
    return {
        "status": result.status.value,
        "plan_year": result.problem.plan_year,
        "objective": plain(result.objective, digits=None),
        "mip_gap": plain(result.mip_gap, digits=None),
        "solve_time_s": plain(result.solve_time_s),
        "method": result.method,
        "strategy": options.strategy,
        "cost_level": options.cost_level,
        "weights": list(options.weights),
        "time_preference": options.time_preference,
        "carry_over": options.carry_over,
        "release": list(options.release),
        "force_in": list(options.force_in),
        "force_out": list(options.force_out),
        "message": vocabulary.result_message(result),
        "selected": [
            {
                "id": need_id,
                "start_year": start,
                "value": plain(result.value_of(need_id), digits=None),
                "started": need_id in started,
                "previous_start_year": previous.get(need_id),
            }
            for need_id, start in sorted(result.selected.items())
        ],
        "spending": _year_pool_records(result.spending()),
        "unspent": _year_pool_records(result.unspent()),
        "excluded": excluded,
        "explain_time_s": plain(result.explain_time_s),
    } | ({"pl_aar": int(price_year)} if price_year is not None else {})


def followup_dict(result: Followup) -> dict:
    """The ``followup --json`` object."""
    hours = result.hours.rename(columns={"administration": "forvaltning"})  # the JSON key, a contract
    hours["forvaltning"] = hours["forvaltning"].astype(object).fillna(vocabulary.NOT_STATED)
    indicators = result.indicators.assign(status=[JSON_BENEFIT_STATUS[s] for s in result.indicators["status"]])
    rules = result.rules
    return {
        "year": result.year,
        "rules": rules.as_dict(),
        "pools": records(
            result.pools,
            [
                "year",
                "pool",
                "frame",
                "transfer_in",
                "funded",
                "spent",
                "unspent",
                "transfer_out",
                "bound",
                "free",
                "free_disposition",
                "returned",
                "pool_transfer_in",
                "not_granted",
                "decision",
                "transfer_bound",
                "given_back",
                "merforbrug",
                "merforbrug_carried",
                "merforbrug_pool",
                "covered",
            ],
        ),
        "investments": records(
            result.investments,
            [
                "id",
                "year",
                "funded",
                "transferred_in",
                "available",
                "spent",
                "spent_share",
                "spent_share_cumulative",
                "spent_assumed",
                "overspent",
                "overspent_cumulative",
                "deviation",
                "bound",
                "transferred_out",
                "merforbrug",
                "merforbrug_to",
                "covered",
                "anlaeg_overrun",
            ],
        ),
        "indicators": records(
            indicators, ["id", "indicator", "year", "progress", "expected_progress", "status", "shortfall"]
        ),
        "coverage": plain(result.coverage, digits=None),
        "coverage_detail": records(result.coverage_detail, ["id", "baseline", "target", "measurement", "covered"]),
        "hours": records(hours, ["forvaltning", "expected", "realised"]),
    }


def robustness_dict(analysis: Analysis) -> dict:
    """The ``robustness --json`` object."""
    cost_core = analysis.cost_core()
    weight_core = analysis.weight_core()
    levels = analysis.entry_scales()
    weight_pairs = list(zip(weight_core["id"], weight_core["core_index"], strict=True))
    options, sampling = analysis.options, analysis.sampling
    phases = (("costs", analysis.costs), ("weights", analysis.weights), ("frontier", analysis.frontier))
    return {
        "settings": {
            "strategy": options.strategy,
            "samples": sampling.samples,
            "seed": sampling.seed,
            "time_preference": options.time_preference,
            "carry_over": options.carry_over,
            "distribution": "PERT",
            "adaptive": sampling.adaptive,
            "plan_year": analysis.plan_year,
            "force_in": list(options.force_in),
            "force_out": list(options.force_out),
            "gap": sampling.gap,
            "time_limit": sampling.time_limit,
            "weights": list(options.weights),
            "min_samples": sampling.min_samples,
            "margin": sampling.margin,
            "release": list(options.release),
            "discount_rate": options.discount_rate,
            "max_running_cost": options.max_running_cost,
        },
        "started": analysis.started,
        "samples_drawn": analysis.draws,
        # needs whose class the draws did not settle: their core index is known within the margin
        "at_class_boundary": analysis.at_boundary(),
        # the cost draws drew each need's benefit too (its gevinst_min–gevinst_max range)
        "benefits_drawn": analysis.benefits,
        "core_index_margin": {i: plain(m) for i, m in zip(cost_core["id"], cost_core["margin"], strict=True)},
        "core_index": {i: plain(v) for i, v in zip(cost_core["id"], cost_core["core_index"], strict=True)},
        "core_class": {i: JSON_CORE_CLASS[c] for i, c in zip(cost_core["id"], cost_core["class"], strict=True)},
        "weight_core_index": {i: plain(v) for i, v in weight_pairs},
        "funded_under_every_weighting": [i for i, v in weight_pairs if v == 1],
        "funded_under_no_weighting": [i for i, v in weight_pairs if v == 0],
        "frontier": [
            {"scale": float(s), "objective": plain(o)}
            for s, o in zip(sampling.scales, analysis.frontier.objective, strict=True)
        ],
        "entry_scale": {i: plain(v) for i, v in levels.items()},
        "value_distribution": {k: plain(v) for k, v in analysis.value_distribution().items()},
        "unspent_distribution": {
            pool: {k: plain(v) for k, v in q.items()} for pool, q in analysis.unspent_distribution().items()
        },
        "statuses": {kind: sorted({s.value for s in o.statuses}) for kind, o in phases},
        # the largest proven gap of the runs with a plan per phase (null: none had one), and the runs
        # the clock stopped (their answers depend on the machine's speed)
        "worst_gap": {kind: o.worst_gap() for kind, o in phases},
        "runs_at_time_limit": {kind: o.at_time_limit() for kind, o in phases},
    }
