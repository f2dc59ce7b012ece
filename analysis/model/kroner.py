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
    spend in the year and is proposed moved on) and ``net_total`` (on the facts alone:
    realised benefit, counted as none where nothing was measured, minus spending; the business
    case's assumed dobbeltdrift and afledt drift are ``running_total``). The realised benefit
    and what was taken home are in the follow-up's p/l, like the spending. ``reductions``:
    per forvaltning the year's reductions ``promised`` and
    ``taken`` (NaN: not reported), or None when neither is given. ``measured``: whether the
    follow-up gives benefits in kroner at all."""

    year: int
    measured: bool
    benefits: pd.DataFrame
    reductions: pd.DataFrame | None


def view(
    register: pd.DataFrame,
    gevinster: pd.DataFrame,
    starts: dict[str, int],
    result: Followup,
    stopped: frozenset[str] = frozenset(),
) -> KronerView:
    """The kroner view of the follow-up ``result``, for the investments started by its year
    (``starts``: each investment's start, as the OFS knows it); an investment in ``stopped``
    is marked (``stopped``): its plan no longer holds, so its assumptions are not compared."""
    year = result.year
    measured = "gevinst_kr" in gevinster.columns and not gevinster["gevinst_kr"].isna().all()
    gevinster = in_view_prices(gevinster, result.own_years)
    table = economics.benefits_followed(register, starts, gevinster, year) if measured else pd.DataFrame()
    if not table.empty:
        investments = result.investments[result.investments["year"] <= year]
        spent = investments.groupby("id")["spent"].sum()
        bound = investments[investments["year"] == year].groupby("id")["bound"].sum()
        table = table.assign(
            spent_total=[float(spent.get(i, 0.0)) for i in table["id"]],
            bound=[float(bound.get(i, 0.0)) for i in table["id"]],
            stopped=[i in stopped for i in table["id"]],
        )
        # on the facts alone: the benefit realised less the spending (the assumed dobbeltdrift
        # and afledt drift stand apart, in running_total)
        table["net_total"] = [
            (realised if any_measured else 0.0) - spent_total
            for realised, spent_total, any_measured in zip(
                table["realised_total"], table["spent_total"], table["measured_any"], strict=True
            )
        ]
    return KronerView(year, measured, table, _reductions(register, gevinster, starts, year))


def in_view_prices(gevinster: pd.DataFrame, own_years: dict) -> pd.DataFrame:
    """The benefits and taken-home amounts, stated in current prices (the p/l of their
    measurement year, like the accounts), in the follow-up's p/l, by the service index
    (``own_years``: (pool, year) → (factor to the year's own p/l, p/l), see
    :attr:`~analysis.model.followup.Followup.own_years`; a year it lacks stays as stated)."""
    if not own_years or "maaleaar" not in gevinster.columns:
        return gevinster
    factors = pd.Series(
        [own_years.get(("service", int(y)), (1.0, None))[0] if not pd.isna(y) else 1.0 for y in gevinster["maaleaar"]],
        index=gevinster.index,
        dtype=float,
    )
    columns = [c for c in ("gevinst_kr", "hjemtaget") if c in gevinster.columns]
    return gevinster.assign(**{c: gevinster[c] / factors for c in columns})


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
