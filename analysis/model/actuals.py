"""The investments on their accounts, for the business case: a started investment at what it
has spent to date (regnskab, else the forecast, as the event knows it) plus the rest of its
grants; a stopped one at what it spent, with the share of it built. In the business case's
fixed price level (the frame's), so the accounts of different years are comparable and the
payback year does not move with the price index.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.inputs.contracts import POOLS
from analysis.model import transfers
from analysis.model.business_case import Actual
from analysis.model.cycle import Event
from analysis.model.ledger import Ledger


def on_accounts(
    book: Ledger, forbrug: pd.DataFrame | None, view: Event, factors: dict[str, float], stopped: set[str]
) -> dict[str, Actual]:
    """Each investment with a grant in ``book`` on its accounts as ``view`` knows them
    (``factors``: per pool, from the amounts' p/l to the business case's): its spending by
    year up to ``view``'s last known year (a year it knows no spending of: as granted), then
    the rest of its net grants (what it has not spent, in the years its grants still run,
    else the year after). An investment in
    ``stopped`` is taken at what it spent; ``built`` is that share of its grants."""
    spending = transfers.known_spending(forbrug, view) if forbrug is not None else pd.DataFrame()
    last = view.last_known_year()
    years = list(book.years)
    scale = np.array([[factors.get(p, 1.0)] for p in POOLS])
    out = {}
    for need_id in book.investments():
        mine = spending[spending["id"] == need_id] if len(spending) else spending
        spent = (
            (mine["spent"] * mine["pool"].map(factors).fillna(1.0)).groupby(mine["year"]).sum()
            if len(mine)
            else pd.Series(dtype=float)
        )
        spent = spent[spent.index <= last].astype(float)
        spent.index = spent.index.astype(int)
        if need_id in stopped:
            granted = float((book.grants(need_id) * scale).sum())
            built = min(float(spent.sum()) / granted, 1.0) if granted > 1e-9 else 0.0
            out[need_id] = Actual(spent, built=built, stopped=True)
            continue
        grants = pd.Series((book.net_grants(need_id) * scale).sum(axis=0), index=years, dtype=float)
        # a year the view knows no spending of is taken as granted (the plan)
        planned = grants[(grants.index <= last) & ~grants.index.isin(spent.index) & (grants.abs() > 1e-9)]
        spent = pd.concat([spent, planned]).sort_index()
        rest = max(float(grants.sum()) - float(spent.sum()), 0.0)
        future = grants[grants.index > last]
        if future.sum() > 1e-9:
            remaining = future / future.sum() * rest
        else:
            remaining = pd.Series({last + 1: rest} if rest > 1e-9 else {}, dtype=float)
        invested = pd.concat([spent, remaining]).groupby(level=0).sum()
        out[need_id] = Actual(invested[invested.abs() > 1e-9])
    return out
