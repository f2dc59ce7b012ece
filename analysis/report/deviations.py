"""What a scenario changed, in Danish lines, and what would make an infeasible one feasible.

One function, :func:`deviations`, says every way a scenario departs from the main option:
its settings (strategy, cost level, weights, time preference, carry-over, plan year, …),
the needs it forces in or out (by title), its frame per styringsområde and year (in mio.
kr., signed against the standard frame) and its per-need overrides of cost and start year.
The workbench shows its lines live and the report lists them under the options table
(the scenario's row says how many), so a reviewer reads the same summary the analyst saw.
:func:`smallest_change` says, for a scenario without a solution, the least it would take
to get one.
"""

from __future__ import annotations

import pandas as pd

from analysis.inputs.contracts import POOLS
from analysis.inputs.financing_frame import frame_years
from analysis.inputs.parameters import Options
from analysis.inputs.register import need_titles
from analysis.model.allocation.result import Result
from analysis.model.allocation.types import ConflictKind, Reason
from analysis.report import formats as fmt
from analysis.report import vocabulary as words

MAIN = "hovedforslaget"


def _weights(weights) -> str:
    return ", ".join(
        f"{label.lower()} {fmt.number(w, 1).replace(',0', '')}"
        for label, w in zip(words.POTENTIAL_LABELS.values(), weights, strict=True)
    )


def _needs(ids, titles: dict[str, str]) -> str:
    return "; ".join(f"{titles.get(i, i)} ({i})" for i in ids)


def setting_lines(main: Options, options: Options, titles: dict[str, str]) -> list[str]:
    """How ``options`` differs from ``main`` in its settings and decisions, one line each."""
    lines = []
    if options.strategy != main.strategy:
        lines.append(
            f"Strategi: {words.STRATEGY_LABELS[options.strategy]} ({MAIN}: {words.STRATEGY_LABELS[main.strategy]})"
        )
    if options.cost_level != main.cost_level:
        lines.append(
            f"Omkostningsniveau: {words.COST_LEVEL_LABELS[options.cost_level]} "
            f"({MAIN}: {words.COST_LEVEL_LABELS[main.cost_level]})"
        )
    if options.uses_weights and tuple(map(float, options.weights)) != tuple(map(float, main.weights)):
        before = "lige vægte" if len(set(map(float, main.weights))) == 1 else _weights(main.weights)
        lines.append(f"Vægte: {_weights(options.weights)} ({MAIN}: {before})")
    if abs(options.time_preference - main.time_preference) > 1e-12:
        lines.append(
            f"Tidspræference: {fmt.percent(options.time_preference, 1)} pr. år "
            f"({MAIN}: {fmt.percent(main.time_preference, 1)})"
        )
    if options.carry_over != main.carry_over:
        lines.append(
            "Planlagt overførsel af uforbrugte midler (følsomhed)"
            if options.carry_over
            else "Ingen planlagt overførsel (år for år)"
        )
    if options.plan_year != main.plan_year and options.plan_year is not None:
        lines.append(f"Planår: {options.plan_year} ({MAIN}: {main.plan_year or 'rammens første år'})")
    for key, label in (("force_in", "Skal med"), ("force_out", "Må ikke med"), ("release", "Stoppes")):
        added = [i for i in getattr(options, key) if i not in getattr(main, key)]
        removed = [i for i in getattr(main, key) if i not in getattr(options, key)]
        if added:
            lines.append(f"{label}: {_needs(added, titles)}")
        if removed:
            lines.append(f"{label} i {MAIN}, ikke her: {_needs(removed, titles)}")
    if options.max_running_cost != main.max_running_cost:
        ceiling = "intet loft" if options.max_running_cost is None else fmt.mio(options.max_running_cost)
        before = "intet loft" if main.max_running_cost is None else fmt.mio(main.max_running_cost)
        lines.append(f"Loft over afledt drift pr. år: {ceiling} ({MAIN}: {before})")
    if abs(options.discount_rate - main.discount_rate) > 1e-12:
        rate, before = fmt.percent(options.discount_rate, 1), fmt.percent(main.discount_rate, 1)
        lines.append(f"Diskonteringsrente: {rate} ({MAIN}: {before})")
    return lines


def factor(frame_scale: dict | None, pool: str, year: int) -> float:
    """A scenario's factor on one pool and year of the frame (1 where it names none)."""
    value = (frame_scale or {}).get(pool, 1.0)
    return float(value.get(str(year), 1.0)) if isinstance(value, dict) else float(value)


def frame_lines(frame: pd.DataFrame, frame_scale: dict | None) -> list[str]:
    """The scenario's frame where it differs from the standard frame, per styringsområde
    and year: ``Ramme, anlæg 2027: 15 mio. kr. (+5 mio. kr.; 150 % af 10 mio. kr.)``."""
    lines = []
    amounts = frame.set_index(["styringsomraade", "aar"])["beloeb"]
    for pool in POOLS:
        for year in frame_years(frame):
            f = factor(frame_scale, pool, year)
            if abs(f - 1.0) < 1e-9:
                continue
            standard = float(amounts.get((pool, year), 0.0))
            lines.append(
                f"Ramme, {words.POOL_LABELS[pool].lower()} {year}: {fmt.mio(standard * f)} "
                f"({fmt.signed_mio(standard * (f - 1))}; {fmt.percent(f)} af {fmt.mio(standard)})"
            )
    return lines


def override_lines(register: pd.DataFrame, overrides: dict | None) -> list[str]:
    """A scenario's per-need overrides against the register: cost and start year."""
    if not overrides:
        return []
    reg = register.set_index("id")
    titles = need_titles(register)
    lines = []
    for need_id, change in sorted(overrides.items()):
        row = reg.loc[need_id]
        name = f"{titles[need_id]} ({need_id})"
        if "cost" in change:
            low, high = row["omkostning_min"], row["omkostning_max"]
            registered = fmt.mio_range(low, high)
            beyond = ""
            if not pd.isna(high) and change["cost"] > high:
                beyond = ", over registerets højeste"
            elif not pd.isna(low) and change["cost"] < low:
                beyond = ", under registerets laveste"
            lines.append(f"Omkostning, {name}: {fmt.mio(change['cost'])} (registeret: {registered}{beyond})")
        if "start_year" in change:
            first, last = row["tidligste_start"], row["seneste_start"]
            window = fmt.DASH if pd.isna(first) else str(int(first))
            if not pd.isna(last) and last != first:
                window += f"–{int(last)}"
            lines.append(f"Startår, {name}: {change['start_year']} (registeret: {window})")
    return lines


def deviations(main: Options, scenario, frame: pd.DataFrame, register: pd.DataFrame, base: Options | None = None):
    """Every deviation of ``scenario`` (:class:`~analysis.inputs.scenario.Scenario`, its
    settings over ``base``, by default ``main``) from the main option ``main``, as Danish
    lines: settings, forced needs by title, frame changes in mio. kr. per styringsområde
    and year, per-need overrides. Empty when it changes nothing."""
    titles = need_titles(register)
    options = scenario.options(base or main)
    return (
        setting_lines(main, options, titles)
        + frame_lines(frame, scenario.frame_scale)
        + override_lines(register, getattr(scenario, "overrides", None))
    )


def smallest_change(result: Result, register: pd.DataFrame) -> str:
    """For an option without a solution: the least change of its demands that gives it one,
    in one Danish sentence ("" when it has a solution or nothing can be said)."""
    if result.has_option:
        return ""
    titles = need_titles(register)

    def name(need_id: str) -> str:
        return f"{titles.get(need_id, need_id)} ({need_id})"

    fixes = []
    for conflict in result.conflicts:
        ids = conflict.ids
        if conflict.kind == ConflictKind.FORCED_BOTH_WAYS:
            fixes.append(f"fjern {name(ids[0])} fra enten Skal med eller Må ikke med")
        elif conflict.kind == ConflictKind.FORCED_OUT_STARTED:
            fixes.append(f"fjern {name(ids[0])} fra Må ikke med (en påbegyndt investering stoppes, ikke fravælges)")
        elif conflict.kind == ConflictKind.FORCED_VARIANTS:
            fixes.append("behold kun én af " + " og ".join(name(i) for i in ids) + " i Skal med")
        elif conflict.kind == ConflictKind.FORCED_PREREQUISITE:
            fixes.append(f"fjern {name(ids[0])} fra Skal med, eller gør {name(ids[1])} mulig at finansiere")
        elif conflict.kind == ConflictKind.FORCED_UNFUNDABLE:
            why = conflict.why
            fits = [s for s in why.shortfalls if not s.after_frame] if why and why.reason == Reason.NO_FIT else []
            if fits:
                best = min(fits, key=lambda s: s.missing)
                fixes.append(
                    f"fjern {name(ids[0])} fra Skal med, eller hæv rammen med i alt {fmt.mio(best.missing)} "
                    f"med start {best.start} (mest på {best.worst_pool} i {best.worst_year}: "
                    f"{fmt.mio(best.worst_amount)})"
                )
            else:
                fixes.append(f"fjern {name(ids[0])} fra Skal med")
        elif conflict.kind == ConflictKind.COMMITMENTS_EXCEED:
            fixes.append(f"hæv rammen for {conflict.pool} i {conflict.year} med {fmt.mio(conflict.amount)}")
        elif conflict.kind == ConflictKind.RUNNING_COST_EXCEEDED:
            fixes.append(f"hæv loftet over afledt drift med {fmt.mio(conflict.amount)}")
        elif conflict.kind == ConflictKind.UNKNOWN_ID:
            fixes.append(f'fjern "{ids[0]}", som ikke er et id i registeret')
    if not result.conflicts and result.shortage is not None and result.shortage.forced:
        forced = " eller ".join(name(i) for i in result.shortage.forced)
        if result.shortage.extra:
            extra = sorted(result.shortage.extra.items())
            where = " og ".join(f"{fmt.mio(amount)} på {pool} i {year}" for (pool, year), amount in extra)
            fixes.append(f"hæv rammen med {where}, eller fjern et af de tvungne behov ({forced}) fra Skal med")
        else:
            fixes.append(f"fjern et af de tvungne behov ({forced}) fra Skal med")
    if not fixes:
        return ""
    return "Mindste ændring, der giver en løsning: " + "; eller ".join(fixes) + "."
