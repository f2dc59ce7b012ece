"""Allocation options side by side: the same register under several strategies, cost
levels and weightings, measured on common yardsticks."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pandas as pd

from analysis import allocation
from analysis.allocation import COST_LEVELS, Options, Result
from analysis.frame import POOLS
from analysis.register import POTENTIALS


def option_grid(
    strategies: list[str],
    cost_levels: list[str],
    weightings: list[list[float]],
    time_preference: float = allocation.DEFAULT_TIME_PREFERENCE,
    carry_over: bool = True,
    force_in: list[str] = (),
    force_out: list[str] = (),
) -> list[Options]:
    """Every combination, once. Only max-potential chooses by the weights; max-benefit and
    the priority walk do not, so they appear once per cost level (with the first weights)."""
    base = Options(
        time_preference=float(time_preference),
        carry_over=bool(carry_over),
        force_in=tuple(force_in),
        force_out=tuple(force_out),
    )
    seen, grid = set(), []
    for strategy, level, weights in itertools.product(strategies, cost_levels, weightings):
        weights = tuple(float(w) for w in weights)
        key = (strategy, level, weights if strategy == "max-potential" else None)
        if key in seen:
            continue
        seen.add(key)
        grid.append(replace(base, strategy=strategy, cost_level=level, weights=weights))
    return grid


def option_names(options: list[Options]) -> list[str]:
    """Short column names: A, B, C … (the summary table says what each is)."""
    return [chr(ord("A") + i) if i < 26 else f"O{i + 1}" for i in range(len(options))]


def describe(option: Options) -> str:
    text = option.label
    if option.strategy == "max-potential":
        text += ", vægte " + "/".join(f"{w:g}".replace(".", ",") for w in option.weights)
    return text


def run_all(register: pd.DataFrame, frame: pd.DataFrame, options: list[Options]) -> list[Result]:
    return [allocation.allocate(register, frame, option) for option in options]


def main_result(results: list[Result]) -> Result:
    """The option the report explains in detail: the first optimised one that has a
    solution, else the first."""
    for result in results:
        if result.method == "milp" and result.status in ("optimal", "time_limit"):
            return result
    return results[0]


def summary(register: pd.DataFrame, results: list[Result], names: list[str]) -> pd.DataFrame:
    """Common yardsticks per option: each option's own objective, and the same measures
    for all (equal-weight potential, benefit, hours freed, cost funded, unspent money)."""
    reg = register.set_index("id")
    equal_potential = reg[list(POTENTIALS)].fillna(0).sum(axis=1)
    rows = {}
    for name, result in zip(names, results, strict=True):
        chosen = list(result.selected)
        cost_column = COST_LEVELS[result.options.cost_level]
        unspent = result.unspent().iloc[-1] if result.status in ("optimal", "time_limit") else None
        rows[name] = {
            "Forslag": describe(result.options),
            "Status": "gennemført (ikke optimeret)"
            if result.method == "priority" and result.status == "optimal"
            else result.status,
            "Egen målværdi": result.objective,
            "MIP-gap": result.mip_gap,
            "Antal behov finansieret": len(chosen),
            "Potentiale (lige vægte)": float(equal_potential[chosen].sum()),
            "Gevinst (1.000 kr.)": float(reg.loc[chosen, "gevinst"].fillna(0).sum()),
            "Frigjorte timer pr. år": float(reg.loc[chosen, "timer_frigjort"].fillna(0).sum()),
            "Finansieret i alt (1.000 kr.)": float(reg.loc[chosen, cost_column].sum()),
            "Uforbrugt service til sidst (1.000 kr.)": None if unspent is None else float(unspent["service"]),
            "Uforbrugt anlæg til sidst (1.000 kr.)": None if unspent is None else float(unspent["anlæg"]),
        }
    return pd.DataFrame(rows)


def in_and_out(register: pd.DataFrame, results: list[Result], names: list[str]) -> pd.DataFrame:
    """One row per need: its start year in each option (None when not funded), and whether
    the options disagree about it."""
    table = register[["id", "omraade", "titel"]].copy()
    for name, result in zip(names, results, strict=True):
        table[name] = pd.Series([result.selected.get(i) for i in table["id"]], index=table.index, dtype=object)
    funded = table[names].notna()
    table["forskel"] = funded.nunique(axis=1) > 1
    starts = table[names].apply(lambda row: len({v for v in row if v is not None}) > 1, axis=1)
    table["forskel_start"] = starts & ~table["forskel"]
    return table


def by_group(register: pd.DataFrame, results: list[Result], names: list[str], column: str) -> pd.DataFrame:
    """Funded cost per area (``omraade``) or per ``forvaltning`` in each option (1.000 kr.)."""
    reg = register.assign(**{column: register[column].fillna("(ikke angivet)")}).set_index("id")
    out = {}
    for name, result in zip(names, results, strict=True):
        chosen = list(result.selected)
        cost = reg.loc[chosen, COST_LEVELS[result.options.cost_level]]
        out[name] = cost.groupby(reg.loc[chosen, column]).sum()
    table = pd.DataFrame(out).reindex(sorted(reg[column].unique())).fillna(0.0)
    table.loc["I alt"] = table.sum()
    return table


def spending(results: list[Result], names: list[str]) -> pd.DataFrame:
    """Spending per year and pool for each option (long format)."""
    rows = []
    for name, result in zip(names, results, strict=True):
        table = result.spending()
        for year in table.index:
            for pool in POOLS:
                rows.append({"forslag": name, "aar": year, "pool": pool, "forbrug": float(table.loc[year, pool])})
    return pd.DataFrame(rows)


def start_year_fit(register: pd.DataFrame, frame: pd.DataFrame, options: Options, need_id: str) -> pd.DataFrame:
    """For one need and every start year in the frame: is the start allowed, does the need
    fit the frame on its own, and how much is missing where it does not (1.000 kr.)."""
    problem = allocation.build_problem(register, frame, replace(options, force_in=(), force_out=()))
    row = register.set_index("id").loc[need_id]
    cost = float(row[COST_LEVELS[options.cost_level]])
    earliest = problem.years[0] if pd.isna(row["tidligste_start"]) else int(row["tidligste_start"])
    latest = problem.years[-1] if pd.isna(row["seneste_start"]) else int(row["seneste_start"])
    rows = []
    for start in problem.years:
        profile = allocation.cost_profile(row, cost, start, problem.years)
        gap = None if profile is None else problem.shortfall(profile)
        rows.append(
            {
                "startaar": start,
                "tilladt": earliest <= start <= latest,
                "passer_alene": gap is not None and gap.sum() <= allocation.TOLERANCE,
                "mangler": np.nan if gap is None else float(gap.sum()),
                "mangler_hvor": {}
                if gap is None
                else {
                    (POOLS[p], problem.years[t]): float(gap[p, t])
                    for p in range(len(POOLS))
                    for t in range(len(problem.years))
                    if gap[p, t] > allocation.TOLERANCE
                },
                "efter_rammen": profile is None,
            }
        )
    return pd.DataFrame(rows)


def _years(years: list[int]) -> str:
    years = [str(y) for y in years]
    return years[0] if len(years) == 1 else ", ".join(years[:-1]) + " og " + years[-1]


def variant_answers(register: pd.DataFrame, frame: pd.DataFrame, result: Result, group: str) -> list[str]:
    """Plain Danish answers to: does each variant of ``group`` fit the frame, and when?"""
    from analysis import fmt

    members = register[register["variantgruppe"] == group].sort_values("omkostning_forventet")
    lines = []
    for member in members.itertuples(index=False):
        need_id = member.id
        cost = getattr(member, COST_LEVELS[result.options.cost_level])
        head = f"{member.titel} ({need_id}, {fmt.mio(cost)})"
        if not member.har_estimat:
            lines.append(f"{head}: har intet estimat.")
            continue
        fit = start_year_fit(register, frame, result.options, need_id)
        allowed = fit[fit["tilladt"]]
        alone = allowed[allowed["passer_alene"]]["startaar"].tolist()
        strict = start_year_fit(register, frame, replace(result.options, carry_over=False), need_id)
        strict_alone = strict[strict["tilladt"] & strict["passer_alene"]]["startaar"].tolist()
        if not alone:
            best = allowed.dropna(subset=["mangler"]).sort_values("mangler").head(1)
            if best.empty:
                lines.append(
                    f"{head}: kan ikke starte i rammens år, fordi udgiften ville falde efter rammens sidste år."
                )
            else:
                b = best.iloc[0]
                where = ", ".join(
                    f"{pool} {year} {fmt.mio(v)}" for (pool, year), v in sorted(b["mangler_hvor"].items())
                )
                lines.append(
                    f"{head}: passer ikke i rammen i noget tilladt startår, heller ikke alene. "
                    f"Med start {b['startaar']} mangler der {fmt.mio(b['mangler'])} ({where})."
                )
            continue
        text = f"{head}: passer alene i rammen med start {_years(alone)}"
        if result.options.carry_over and set(strict_alone) != set(alone):
            text += " – men kun fordi uforbrugte midler overføres; uden overførsel " + (
                f"kun med start {_years(strict_alone)}" if strict_alone else "i intet startår"
            )
        text += "."
        if need_id in result.selected:
            text += f" Den er valgt i forslaget med start {result.selected[need_id]}."
        elif need_id in result.explanations:
            why = result.explanations[need_id]
            if why.get("value_lost") is not None:
                lost = set(result.selected) - set(why.get("forced_option", {}))
                replaced = sorted(i for i in lost if i in set(members["id"]))
                dropped = sorted(lost - set(replaced))
                text += " Tvinges den ind" + (f" i stedet for {', '.join(replaced)}" if replaced else "")
                text += f", falder værdien med {fmt.number(why['value_lost'], 2)}"
                text += f", og {', '.join(dropped)} må ud." if dropped else "."
            else:
                text += f" Den er ikke valgt: {allocation.REASON_LABELS[why['reason']]}."
        lines.append(text)
    return lines
