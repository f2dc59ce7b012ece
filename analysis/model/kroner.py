"""The business case followed in kroner at an OFS: per started investment the benefit and
the budget reductions its business case expects against what the forvaltninger realised and
took home, the net so far on the accounts; and the year's budget reductions per forvaltning.
Computed once per event state from the follow-up (:class:`~analysis.model.followup.Followup`)
and the ledger the event knows; the OFS page and the Excel appendix format it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.model import economics
from analysis.model.followup import Followup


@dataclass(frozen=True)
class KronerView:
    """``benefits``: per started investment (see :func:`economics.benefits_followed` for the
    columns) with ``spent_total`` (its spending up to the year), ``bound`` (what it did not
    spend in the year and is proposed moved on) and ``net_total`` (realised benefit, counted
    as none where nothing was measured, minus spending and the business case's dobbeltdrift
    and afledt drift). ``reductions``: per forvaltning the year's reductions ``promised`` and
    ``taken`` (NaN: not reported), or None when neither is given. ``measured``: whether the
    follow-up gives benefits in kroner at all."""

    year: int
    measured: bool
    benefits: pd.DataFrame
    reductions: pd.DataFrame | None


def view(register: pd.DataFrame, gevinster: pd.DataFrame, starts: dict[str, int], result: Followup) -> KronerView:
    """The kroner view of the follow-up ``result``, for the investments started by its year
    (``starts``: each investment's start, as the OFS knows it)."""
    year = result.year
    measured = "gevinst_kr" in gevinster.columns and not gevinster["gevinst_kr"].isna().all()
    table = economics.benefits_followed(register, starts, gevinster, year) if measured else pd.DataFrame()
    if not table.empty:
        investments = result.investments[result.investments["year"] <= year]
        spent = investments.groupby("id")["spent"].sum()
        bound = investments[investments["year"] == year].groupby("id")["bound"].sum()
        table = table.assign(
            spent_total=[float(spent.get(i, 0.0)) for i in table["id"]],
            bound=[float(bound.get(i, 0.0)) for i in table["id"]],
        )
        table["net_total"] = [
            (realised if any_measured else 0.0) - spent_total - running
            for realised, spent_total, running, any_measured in zip(
                table["realised_total"],
                table["spent_total"],
                table["running_total"],
                table["measured_any"],
                strict=True,
            )
        ]
    return KronerView(year, measured, table, _reductions(register, gevinster, starts, year))


def _reductions(register: pd.DataFrame, gevinster: pd.DataFrame, starts: dict[str, int], year: int):
    if "hjemtaget" not in gevinster.columns:
        return None
    promised = economics.reductions_in_year(register, starts, year, "omkostning_forventet")
    rows = gevinster[(gevinster["maaleaar"] == year) & gevinster["hjemtaget"].notna()]
    who = (
        rows["hjemtaget_forvaltning"].fillna(economics.NOT_GIVEN)
        if "hjemtaget_forvaltning" in rows.columns
        else pd.Series(economics.NOT_GIVEN, index=rows.index)
    )
    taken = rows.groupby(who)["hjemtaget"].sum().to_dict()
    if not taken and not any(v > 0.5 for v in promised.values()):
        return None
    # a forvaltning with nothing expected and nothing reported has nothing to show
    names = sorted(
        {n for n, v in promised.items() if v > 0.5} | set(taken), key=lambda n: (n == economics.NOT_GIVEN, n)
    )
    return pd.DataFrame(
        {
            "forvaltning": names,
            "promised": [float(promised.get(n, 0.0)) for n in names],
            "taken": [float(taken[n]) if n in taken else float("nan") for n in names],
        }
    )
