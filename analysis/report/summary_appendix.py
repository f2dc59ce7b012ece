"""The index summary as the Excel appendix holds it (sheet 0.1): every amount in a number
cell of its own, and the amounts a row's words hold besides in rows of their own under it.
The words are :mod:`analysis.report.index_summary`'s; this module only lays the numbers out."""

from __future__ import annotations

import pandas as pd

from analysis.inputs.contracts import POOLS
from analysis.report.vocabulary import POOL_LABELS

Amounts = dict | float | None  # per pool, a total alone, or none


def appendix(rows: list[tuple[str, str, dict | None]], extras: dict[str, list[tuple[str, Amounts]]]) -> pd.DataFrame:
    """The summary as the Excel appendix holds it: every amount in a number cell of its own
    (per pool and in total), the amounts a row's words hold besides in rows of their own under
    it; the words only where a row has no amounts ("På siden")."""

    def numbers(amounts: Amounts) -> list:
        if amounts is None:
            return [None] * (len(POOLS) + 1)
        if isinstance(amounts, dict):
            return [sum(float(amounts[p]) for p in POOLS), *(float(amounts[p]) for p in POOLS)]
        return [float(amounts), *([None] * len(POOLS))]

    out = []
    for label, text, amounts in rows:
        words_only = amounts is None and label not in extras
        out.append([label, *numbers(amounts), text if words_only else None])
        out += [[f"  {sub}", *numbers(value), None] for sub, value in extras.get(label, [])]
    return pd.DataFrame(out, columns=["", "I alt", *(POOL_LABELS[p] for p in POOLS), "På siden"])


def extras(state, labels: list[str]) -> dict[str, list[tuple[str, Amounts]]]:
    """Per summary row (by its label), the amounts its words hold besides its own: the note's
    frame, the earlier grants as decided, what the year had, the business case's figures, the
    reconciliation's steps and each stop's money given back."""
    out: dict[str, list[tuple[str, Amounts]]] = {}

    def row(start: str) -> str | None:
        return next((label for label in labels if label.startswith(start)), None)

    data = state.data
    label = row("Ramme ")
    if label and data.noted_price_year != data.price_year:
        noted = data.noted_frame.groupby("styringsomraade")["beloeb"].sum()
        out[label] = [
            (f"Rammen som i notatet ({data.noted_price_year} p/l)", {p: float(noted.get(p, 0)) for p in POOLS})
        ]
    figures = state.key_figures
    label = row("Udmøntet ved tidligere beslutninger")
    if label and figures is not None:
        out[label] = [
            (
                f"Det samme, som ØU besluttede det ({level} p/l)" if level else "Det samme, som ØU besluttede det",
                amounts,
            )
            for level, amounts in figures.earlier_as_decided
        ]
    followed = state.followup
    label = row(f"Forbrug {state.event.year}")
    if label and followed is not None:
        this_year = followed.pools[followed.pools["year"] == state.event.year].set_index("pool")
        out[label] = [
            (
                f"Til rådighed {state.event.year} (ramme + overført ind)",
                {p: float(this_year.loc[p, "frame"] + this_year.loc[p, "transfer_in"]) for p in POOLS},
            )
        ]
    label = row("Business case")
    case = state.business_case
    if label and case is not None:
        level = f"{case.price_year or state.price_year} p/l"
        steps: list[tuple[str, Amounts]] = [
            (f"Nutidsværdi ({level}, diskonteret til {case.base_year})", float(case.npv))
        ]
        inside = case.running_inside[case.running_inside > 0.5]
        steps += [(f"Afledt drift {int(y)} ({level})", float(v)) for y, v in inside.items()]
        if len(case.running_after):
            steps.append((f"Afledt drift {case.last_frame_year + 1} ({level})", float(case.running_after.iloc[0])))
        if case.dobbeltdrift > 0.5:
            steps.append((f"Dobbeltdrift i alt, ikke udmøntet ({level})", float(case.dobbeltdrift)))
        out[label] = steps
    label = row("Endnu ikke udmøntet")
    reconciled = state.reconciliation
    if label and reconciled is not None:
        before = reconciled.before.sum(axis=1)
        steps = [
            (f"Endnu ikke udmøntet ved {reconciled.previous.name}", dict(zip(POOLS, map(float, before), strict=True)))
        ]
        decided = reconciled.as_decided or tuple({} for _ in reconciled.changes)
        for (event, kind, amounts), levels in zip(reconciled.changes, decided, strict=True):
            if abs(float(amounts.sum())) <= 0.5:
                continue
            steps.append(
                (f"Ændret: {kind} ved {event.name}", dict(zip(POOLS, map(float, amounts.sum(axis=1)), strict=True)))
            )
            if levels and set(levels) != {state.price_year}:
                steps += [(f"Det samme, som besluttet ({y} p/l)", float(v)) for y, v in sorted(levels.items())]
        back = sum(sum(s.given_back.values()) for s in state.stops if s.now)
        if back > 0.5:
            steps.append((f"Efter stoppet ved {state.event.name}", float(reconciled.after.sum()) + back))
        out[label] = steps
    label = row("Rammens afslutning")
    if label and state.closing is not None:
        whole = state.closing.reconciliation
        out[label] = [
            (word, {p: float(whole.loc[whole["pool"] == p, c].sum()) for p in POOLS})
            for c, word in (
                ("frame", "Ramme"),
                ("funded", "Udmøntet"),
                ("released", "Givet tilbage ved stop"),
                ("spent", "Brugt"),
                ("returned", "Tilbageført kassen"),
            )
        ]
    label = row("Stoppede investeringer")
    if label:
        out[label] = [
            (
                f"{stop.id} stoppet ved {stop.event.name}: givet tilbage fra {stop.first_year}",
                {p: float(sum(v for (pool, _y), v in stop.given_back.items() if pool == p)) for p in POOLS},
            )
            for stop in state.stops
        ]
    return out
