"""The ledger of decisions (the ``bevillinger`` file): every krone ØU gives out, moves on or
takes back, with the event that decided it. Each step of the cycle reads the ledger the
step before wrote, and adds its own decisions.

A row is one amount for one investment (or, with no id, for a pool), year and pool:

- ``udmøntet``: a grant from that year's frame by an udmøntning;
- ``overført``: money an OFS moved into that year: an investment's bound money, or (no
  id) a pool's free money that ØU chose to keep, or a pool's merforbrug deducted (negative);
- ``tilbageført``: given back: an investment's later grants when it is stopped (released),
  or (no id) a pool's free money returned to the kassen.

An investment's *net grant* in a year is udmøntet less tilbageført. ``amount`` is in the
state's price level (1.000 kr.); a row read from the file keeps what was decided, ``decided``
at ``pl`` (the file's ``beloeb`` at ``pl_aar``), so a ledger written again keeps its value. A
row added by the package (``pl`` None) was decided in the price level of the state adding it.

What an event knows is the rows decided before it (:meth:`Ledger.known_at`); rows without a
``beslutning`` are taken to be decided by the event that udmønter their start year (an
overført row: by the OFS just before its year).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.inputs.contracts import GRANT, POOLS, RETURN, TRANSFER
from analysis.model.cycle import Event, deciding, parse

ARTS = (GRANT, TRANSFER, RETURN)
COLUMNS = ["id", "year", "pool", "amount", "art", "decision", "start", "pl", "decided"]


@dataclass(frozen=True)
class Ledger:
    """The ledger's rows (``COLUMNS``; ``id`` None for a pool's row, ``decision`` an
    :class:`~analysis.model.cycle.Event`) over the frame's ``years``."""

    rows: pd.DataFrame
    years: tuple[int, ...]

    @classmethod
    def from_table(cls, bevillinger: pd.DataFrame | None, years: list[int]) -> Ledger:
        """The ledger from a validated ``bevillinger`` table (None or empty: nothing decided)."""
        if bevillinger is None or bevillinger.empty:
            return cls(pd.DataFrame(columns=COLUMNS), tuple(years))
        table = bevillinger
        art = table["art"] if "art" in table else pd.Series(GRANT, index=table.index)
        art = art.fillna(GRANT).astype(str)
        ids = table["id"].where(table["id"].notna(), None)
        stated = table["startaar"] if "startaar" in table else pd.Series(pd.NA, index=table.index)
        grants = table[art == GRANT]
        earliest = grants.groupby("id")["aar"].min() if len(grants) else pd.Series(dtype=int)
        first_stated = stated[art == GRANT].groupby(table["id"]).min() if len(grants) else pd.Series(dtype=float)
        start_of = {
            i: int(first_stated[i]) if i in first_stated and not pd.isna(first_stated[i]) else int(y)
            for i, y in earliest.items()
        }
        named = table["beslutning"] if "beslutning" in table else pd.Series(None, index=table.index)
        # what was decided, at the p/l it was decided in (the loader keeps both beside the
        # converted amount); a table without them was decided in the amounts' own p/l
        levels = table["pl_aar"] if "pl_aar" in table else pd.Series(pd.NA, index=table.index)
        decided = table["beloeb_besluttet"] if "beloeb_besluttet" in table else table["beloeb"]
        rows = []
        for k in table.index:
            need, year, kind = ids[k], int(table.at[k, "aar"]), art[k]
            start = start_of.get(need) if need is not None else None
            decision = parse(named[k]) if isinstance(named[k], str) else None
            if decision is None:
                if kind == TRANSFER:
                    decision = Event("OFS", year - 1)
                elif kind == RETURN and need is None:
                    decision = Event("OFS", year)
                else:
                    decision = deciding(start if kind == GRANT and start is not None else year, list(years))
            level = None if pd.isna(levels[k]) else int(levels[k])
            amount, as_decided = float(table.at[k, "beloeb"]), float(decided[k])
            rows.append((need, year, table.at[k, "styringsomraade"], amount, kind, decision, start, level, as_decided))
        return cls(pd.DataFrame(rows, columns=COLUMNS), tuple(years))

    # --- what is known when ----------------------------------------------------------------

    def known_at(self, event: Event) -> Ledger:
        """The rows decided before ``event`` (what it reads as fixed)."""
        keep = [d.before(event) for d in self.rows["decision"]]
        return Ledger(self.rows[np.array(keep, dtype=bool)].reset_index(drop=True), self.years)

    def decided_at_or_after(self, event: Event) -> Ledger:
        """The rows ``event`` decides again, or does not know yet."""
        keep = [not d.before(event) for d in self.rows["decision"]]
        return Ledger(self.rows[np.array(keep, dtype=bool)].reset_index(drop=True), self.years)

    def decided_by(self, event: Event) -> bool:
        return any(d == event for d in self.rows["decision"])

    # --- per investment ----------------------------------------------------------------------

    def investments(self) -> list[str]:
        """Every investment with a grant, in id order."""
        grants = self.rows[(self.rows["art"] == GRANT) & self.rows["id"].notna()]
        return sorted(set(grants["id"]))

    def starts(self) -> dict[str, int]:
        """Each investment's start year (stated, else its earliest grant)."""
        grants = self.rows[(self.rows["art"] == GRANT) & self.rows["id"].notna()]
        return {i: int(s) for i, s in grants.groupby("id")["start"].min().items()}

    def array(self, rows: pd.DataFrame) -> np.ndarray:
        """Pools × frame years of ``rows``' amounts (years outside the frame left out)."""
        out = np.zeros((len(POOLS), len(self.years)))
        for year, pool, amount in zip(rows["year"], rows["pool"], rows["amount"], strict=True):
            if year in self.years:
                out[POOLS.index(pool), self.years.index(year)] += amount
        return out

    def _of(self, need_id: str | None, art: str) -> pd.DataFrame:
        rows = self.rows
        mine = rows["id"].isna() if need_id is None else rows["id"] == need_id
        return rows[mine & (rows["art"] == art)]

    def net_grants(self, need_id: str) -> np.ndarray:
        """Pools × years: what the investment was udmøntet, less what was taken back."""
        return self.array(self._of(need_id, GRANT)) - self.array(self._of(need_id, RETURN))

    def grants(self, need_id: str) -> np.ndarray:
        return self.array(self._of(need_id, GRANT))

    def grants_as_decided(self, price_year: int) -> pd.DataFrame:
        """Per investment, pool and year (``id``, ``pool``, ``year``): its net grant as it was
        decided (``decided``), in the p/l it was decided in (``pl``; a row the package added:
        ``price_year``, the state's). A later release is counted in the grant's p/l (by the
        grant's own conversion), so an investment stopped from a year reads 0 there. ``pl`` is
        None where the year's grants were decided in more than one p/l."""
        columns = ["id", "pool", "year", "decided", "pl"]
        rows = self.rows[self.rows["id"].notna() & self.rows["art"].isin([GRANT, RETURN])]
        out = []
        for (need, pool, year), mine in rows.groupby(["id", "pool", "year"], sort=True):
            grants = mine[mine["art"] == GRANT]
            if grants.empty:
                continue
            levels = {int(v) if v is not None and not pd.isna(v) else int(price_year) for v in grants["pl"]}
            amount = float(grants["amount"].sum())
            decided = float(
                sum(
                    d if lv is not None and not pd.isna(lv) else a
                    for a, d, lv in zip(grants["amount"], grants["decided"], grants["pl"], strict=True)
                )
            )
            # the release in the grant's p/l: its amount (in the state's) by the grant's conversion
            back = float(mine.loc[mine["art"] == RETURN, "amount"].sum())
            net = decided - (back * decided / amount if abs(amount) > 1e-12 else back)
            out.append((need, pool, int(year), net + 0.0, levels.pop() if len(levels) == 1 else None))
        return pd.DataFrame(out, columns=columns)

    def transfers_in(self, need_id: str) -> np.ndarray:
        """Pools × years: the bound money OFS decisions moved to the investment into each year."""
        return self.array(self._of(need_id, TRANSFER))

    def released_from(self, need_id: str) -> int | None:
        """The first year the investment's grants were taken back (it was stopped), if any."""
        taken = self._of(need_id, RETURN)
        return int(taken["year"].min()) if len(taken) else None

    def stopped_by(self, need_id: str) -> Event | None:
        """The event that stopped the investment (gave its later grants back), if any."""
        taken = self._of(need_id, RETURN)
        return min(taken["decision"], key=lambda e: e.when) if len(taken) else None

    def stopped(self) -> dict[str, tuple[Event, int]]:
        """Each stopped investment: the event that stopped it and the first year given back."""
        out = {}
        for need_id in sorted(set(self.rows.loc[self.rows["id"].notna() & (self.rows["art"] == RETURN), "id"])):
            out[need_id] = (self.stopped_by(need_id), self.released_from(need_id))
        return out

    # --- per pool ----------------------------------------------------------------------------

    def pool_transfers(self) -> np.ndarray:
        """Pools × years: a pool's own money moved into each year (free money kept, or a
        merforbrug deducted, negative)."""
        return self.array(self._of(None, TRANSFER))

    def pool_returns(self) -> np.ndarray:
        """Pools × years: a pool's free money returned to the kassen by the OFS of that year."""
        return self.array(self._of(None, RETURN))

    def beyond_frame(self) -> np.ndarray:
        """Pools: money moved into the year after the frame's last (a closing decision)."""
        rows = self.rows[(self.rows["art"] == TRANSFER) & (self.rows["year"] > self.years[-1])]
        return np.array([rows.loc[rows["pool"] == p, "amount"].sum() for p in POOLS], dtype=float)

    def with_rows(self, rows: pd.DataFrame) -> Ledger:
        """This ledger with ``rows`` (``COLUMNS``) added."""
        return Ledger(pd.concat([self.rows, rows[COLUMNS]], ignore_index=True), self.years)

    def without(self, event: Event) -> Ledger:
        """This ledger without the rows ``event`` decided (it is about to decide them again)."""
        keep = [d != event for d in self.rows["decision"]]
        return Ledger(self.rows[np.array(keep, dtype=bool)].reset_index(drop=True), self.years)


FILE_COLUMNS = ["id", "titel", "startaar", "aar", "styringsomraade", "beloeb", "art", "beslutning", "pl_aar"]


def to_table(ledger: Ledger, titles: dict[str, str], price_year: int) -> pd.DataFrame:
    """The ledger as the ``bevillinger`` file holds it (its contract's columns), amounts
    rounded to whole kroner (three decimals of 1.000 kr.), in a stable order. A row read from
    a file is written as it was decided (its amount at its ``pl_aar``); a row the package
    added, at ``price_year``, the p/l of the state that decided it."""
    rows = ledger.rows
    read = rows["pl"].notna()
    amounts = rows["decided"].where(read, rows["amount"])
    levels = [int(v) if ok else int(price_year) for v, ok in zip(rows["pl"], read, strict=True)]
    table = pd.DataFrame(
        {
            "id": rows["id"].where(rows["id"].notna(), ""),
            "titel": [titles.get(i, "") if isinstance(i, str) else "" for i in rows["id"]],
            "startaar": [int(s) if s is not None and not pd.isna(s) else pd.NA for s in rows["start"]],
            "aar": rows["year"].astype(int),
            "styringsomraade": rows["pool"],
            "beloeb": [round(float(a), 3) + 0.0 for a in amounts],
            "art": rows["art"],
            "beslutning": [d.name for d in rows["decision"]],
            "pl_aar": levels,
        },
        columns=FILE_COLUMNS,
    )
    order = [
        (d.when, i or "", y, POOLS.index(p), a)
        for d, i, y, p, a in zip(
            rows["decision"], table["id"], table["aar"], table["styringsomraade"], table["art"], strict=True
        )
    ]
    return table.iloc[sorted(range(len(table)), key=lambda k: order[k])].reset_index(drop=True)


def rows(entries: list[tuple], decision: Event) -> pd.DataFrame:
    """Ledger rows from ``(id, year, pool, amount, art, start)`` tuples decided by ``decision``."""
    return pd.DataFrame([(i, y, p, a, art, decision, s, None, a) for i, y, p, a, art, s in entries], columns=COLUMNS)


def decided_rows(book: Ledger, entries: list[tuple], decision: Event) -> pd.DataFrame:
    """:func:`rows`, with a stop's release (``tilbageført`` with an id) keeping the grant it
    gives back as ØU decided it: the same amount in the same p/l, where it gives back the
    whole of grants decided in one p/l. So the release cancels the grant to the krone in every
    later price level, and the ledger holds whole 1.000 kr."""
    out = rows(entries, decision)
    have = book.rows
    for k in out.index[(out["art"] == RETURN) & out["id"].notna()]:
        need, year, pool = out.at[k, "id"], out.at[k, "year"], out.at[k, "pool"]
        mine = have[(have["id"] == need) & (have["year"] == year) & (have["pool"] == pool)]
        grants = mine[mine["art"] == GRANT]
        levels = set(grants["pl"])
        if grants.empty or len(levels) != 1 or None in levels or (mine["art"] == RETURN).any():
            continue
        if abs(float(grants["amount"].sum()) - float(out.at[k, "amount"])) > 1e-6:
            continue  # a part given back: kept in the deciding event's p/l
        out.at[k, "pl"] = int(levels.pop())
        out.at[k, "decided"] = float(grants["decided"].sum())
    return out

