"""The money side of the transfer case (OFS): per investment and pool, what it had in each
year and what it spent; per pool, what is left, what is bound to investments and what is
free; and what the OFS proposes to do with it.

Per investment, pool and year t (1.000 kr., the frame's price level):

- *available* = its net grant for t (udmøntet less tilbageført) + what an OFS moved to it
  into t (``overført``; negative: a merforbrug it carried in);
- *rest* = available − spent. Positive rest is *bound money*: the OFS proposes it
  transferred, whole, to the same investment into t+1 (never cut to cover someone else). A
  stopped investment binds nothing: its rest is given back to the pool.
- Negative rest is *merforbrug*. It stays with its investment: the OFS carries it into t+1
  as a negative ``overført`` row on the investment, to be absorbed there. Where the
  investment has no t+1 (its profile has ended, it is stopped, or t is the frame's last
  year) it stays on the pool's own row, and the indstilling asks ØU how it is to be covered.
  ØU may instead cover an investment's merforbrug from the pool's money never udmøntet
  (``Rules.cover_overspend``): an ``udmøntet`` row for t, never more than that money.

Per pool and year: *never udmøntet* = frame + the pool's own money moved in − the net
grants; *given back* = the rest of the investments stopped; the pool's side, *free* = never
udmøntet + given back + the residue of whole thousands − the merforbrug ØU covers − the
merforbrug left on the pool. By
default the free money *tilbageføres kassen*; negative, it is deducted from next year (at the
frame's last year ØU must say how it is covered). With ``Rules.fund_from_free`` ØU keeps the
free money in the pool for open needs starting next year (the OFS's alternative). At the
frame's last year bound money moves on only if ``Rules.beyond_frame`` asks for it.

Whole thousands: what moves to an investment is whole 1.000 kr.: its bound money is its rest
rounded down (the residue, under 1.000 kr., stays with the pool), a merforbrug carried is
rounded up, and one ØU covers is rounded up within the money never udmøntet.

Spending is what the event knows (:func:`known_spending`); where it knows nothing, the
investment is taken to have spent what it had. Where the ledger holds no decision of an
earlier OFS, that OFS is taken to have done what it would have proposed by default, and the
rows say so (``assumed``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.inputs.contracts import ANLAEG, GRANT, POOLS
from analysis.inputs.financing_frame import frame_array
from analysis.inputs.parameters import Rules
from analysis.model.cycle import OFS, Event
from analysis.model.ledger import RETURN, TRANSFER, Ledger

TOLERANCE = 1e-6
ASSUMED_AS_GRANTED = "bevilget"  # the source of a spending figure taken from what the investment had
RETURN_TO_KASSEN, FUND_OPEN_NEEDS, DEDUCT_NEXT_YEAR = "return_to_kassen", "fund_open_needs", "deduct_next_year"
ASK_OU = "ask_ou"  # a merforbrug the frame's last year cannot carry on: ØU decides how it is covered
# where an investment's merforbrug goes (column ``merforbrug_to``)
TO_INVESTMENT, TO_POOL, COVERED = "investment", "pool", "covered"
# an anlæg merforbrug: within the investment's anlægsbevilling, or beyond it
ADVANCE, SUPPLEMENTARY = "fremrykning", "tillaegsbevilling"


def down(amount: float) -> float:
    """``amount`` (≥ 0) rounded down to whole 1.000 kr. (a hair under a whole counts as it)."""
    return float(math.floor(amount + TOLERANCE))


def up(amount: float) -> float:
    """``amount`` (≥ 0) rounded up to whole 1.000 kr. (a hair over a whole counts as it)."""
    return float(math.ceil(amount - TOLERANCE))


def known_spending(forbrug: pd.DataFrame | None, event: Event) -> pd.DataFrame:
    """The spending ``event`` knows, per id, year and pool (``spent``, ``source``): for
    the year a budget is negotiated in, the forecast (``forventet``); for every other year
    the accounts (``regnskab``), else a forecast. Years after the event's last known year
    are left out."""
    columns = ["id", "year", "pool", "spent", "source"]
    if forbrug is None or forbrug.empty:
        return pd.DataFrame(columns=columns)
    table = forbrug[forbrug["aar"] <= event.last_known_year()]
    forecast_year = event.forecast_year()
    ranked = table.assign(
        _rank=[
            (0 if kind == "forventet" else 1) if year == forecast_year else (0 if kind == "regnskab" else 1)
            for kind, year in zip(table["type"], table["aar"], strict=True)
        ]
    )
    best = ranked.sort_values("_rank", kind="stable").groupby(["id", "aar", "styringsomraade"], as_index=False).first()
    out = best.rename(columns={"aar": "year", "styringsomraade": "pool", "forbrug": "spent", "type": "source"})
    out["year"] = out["year"].astype(int)
    return out[columns].reset_index(drop=True)


@dataclass(frozen=True)
class Position:
    """The OFS money of every year up to ``through``: ``investments`` per (id, pool, year)
    and ``pools`` per (pool, year), see the module docstring for the columns."""

    through: int
    investments: pd.DataFrame
    pools: pd.DataFrame

    def pool_row(self, pool: str, year: int) -> pd.Series:
        rows = self.pools
        return rows[(rows["pool"] == pool) & (rows["year"] == year)].iloc[0]

    def bound(self, year: int) -> dict[tuple[str, str], float]:
        """(id, pool) → the bound money at the end of ``year`` (what the OFS would move on)."""
        if self.investments.empty:
            return {}
        rows = self.investments[(self.investments["year"] == year) & (self.investments["bound"] > TOLERANCE)]
        return {(r.id, r.pool): float(r.bound) for r in rows.itertuples(index=False)}

    def moved_on(self, year: int) -> dict[tuple[str, str], float]:
        """(id, pool) → what the OFS of ``year`` moves on to the investment's next year: its
        bound money, less a merforbrug it carries (negative when the merforbrug is larger)."""
        if self.investments.empty:
            return {}
        rows = self.investments
        rows = rows[(rows["year"] == year) & (rows["transferred_out"].abs() > TOLERANCE)]
        return {(r.id, r.pool): float(r.transferred_out) for r in rows.itertuples(index=False)}

    def merforbrug(self, year: int) -> pd.DataFrame:
        """The investments' merforbrug in ``year``, with where it goes."""
        rows = self.investments
        if rows.empty:
            return rows
        return rows[(rows["year"] == year) & (rows["merforbrug"] > TOLERANCE)]


@dataclass
class _Book:
    """What ``position`` reads from the ledger and the spending, once."""

    years: list[int]
    frames: np.ndarray
    ids: list[str]
    spent_of: dict
    grants: dict
    recorded_in: dict
    released: dict
    pool_recorded: np.ndarray
    anlaeg_granted: dict  # id → its whole anlægsbevilling (all years' anlæg grants)
    own: dict  # (pool, year) → the factor to the year's own p/l, where whole thousands are counted

    def down(self, amount: float, pool: str, year: int) -> float:
        """``amount`` rounded down to whole 1.000 kr. of the year's own p/l."""
        f = self.own.get((pool, year), 1.0)
        return down(amount * f) / f

    def up(self, amount: float, pool: str, year: int) -> float:
        """``amount`` rounded up to whole 1.000 kr. of the year's own p/l."""
        f = self.own.get((pool, year), 1.0)
        return up(amount * f) / f


def _book(frame: pd.DataFrame, ledger: Ledger, spending: pd.DataFrame, own: dict | None = None) -> _Book:
    ids = sorted(set(ledger.investments()) | set(spending["id"]))
    grants = {i: ledger.net_grants(i) for i in ids}
    return _Book(
        years=list(ledger.years),
        frames=frame_array(frame),
        ids=ids,
        spent_of={(r.id, r.year, r.pool): (float(r.spent), r.source) for r in spending.itertuples(index=False)},
        grants=grants,
        recorded_in={i: ledger.transfers_in(i) for i in ids},
        released={i: ledger.released_from(i) for i in ids},
        pool_recorded=ledger.pool_transfers(),
        anlaeg_granted={i: float(grants[i][POOLS.index(ANLAEG)].sum()) for i in ids},
        own=dict(own or {}),
    )


def position(
    frame: pd.DataFrame,
    ledger: Ledger,
    spending: pd.DataFrame,
    through: int,
    rules: Rules | None = None,
    own: dict | None = None,
) -> Position:
    """The money of every frame year up to ``through`` (see the module docstring): the
    ledger's decisions where it has them, the default proposal for the rest, and for
    ``through`` itself the proposal under ``rules``. ``own``: (pool, year) → the factor from
    the amounts' p/l to the year's own, in which an OFS counts whole thousands (default 1)."""
    rules = rules or Rules()
    book = _book(frame, ledger, spending, own)
    carried = {i: np.zeros(len(POOLS)) for i in book.ids}  # what an assumed OFS moved into the current year
    pool_carried = np.zeros(len(POOLS))
    cumulative = {i: np.zeros((2, len(POOLS))) for i in book.ids}  # net grants, spent
    inv_rows, pool_rows = [], []
    for t, year in enumerate(book.years):
        if year > through:
            break
        decided_before = t == 0 or ledger.decided_by(Event(OFS, year - 1))
        outs = _investment_year(book, t, carried if not decided_before else None, cumulative, not decided_before)
        inv_rows += outs.values()
        decided = ledger.decided_by(Event(OFS, year)) and year < through
        for p, pool in enumerate(POOLS):
            mine = [row for (i, q), row in outs.items() if q == pool]
            pool_in = float(book.pool_recorded[p, t] if decided_before else pool_carried[p])
            row = _pool_year(book, t, p, pool_in, mine, rules, proposed=year == through)
            if decided:
                _recorded(ledger, row, mine, book, t)
            else:
                _propose(book, row, mine, rules, last=year == book.years[-1])
            pool_rows.append(row)
            if t + 1 < len(book.years):
                pool_carried[p] = row["pool_transfer_out"]
                for i in book.ids:
                    carried[i][p] = outs[(i, pool)]["transferred_out"] if (i, pool) in outs else 0.0
    return Position(through, pd.DataFrame(inv_rows), pd.DataFrame(pool_rows))


def _investment_year(book: _Book, t: int, carried, cumulative, assumed: bool) -> dict:
    """Each investment's money in year ``t``, per pool (see the module docstring)."""
    year, last = book.years[t], book.years[-1]
    outs = {}
    for i in book.ids:
        transferred = book.recorded_in[i][:, t] if carried is None else carried[i]
        released = book.released[i]
        continuing = released is None or released > year + 1
        for p, pool in enumerate(POOLS):
            granted, moved_in = float(book.grants[i][p, t]), float(transferred[p])
            known = (i, year, pool) in book.spent_of
            if abs(granted) < TOLERANCE and abs(moved_in) < TOLERANCE and not known:
                continue
            available = granted + moved_in
            spent, source = book.spent_of.get((i, year, pool), (max(available, 0.0), ASSUMED_AS_GRANTED))
            cumulative[i][:, p] += (granted, spent)
            rest = available - spent
            has_next = continuing and year < last and float(book.grants[i][p, t + 1]) > TOLERANCE
            overrun = max(-rest, 0.0)
            outs[(i, pool)] = {
                "id": i,
                "pool": pool,
                "year": year,
                "granted": granted,
                "transferred_in": moved_in,
                "transferred_in_assumed": assumed and abs(moved_in) > TOLERANCE,
                "available": available,
                "spent": spent,
                "source": source,
                "rest": rest,
                # bound money in whole thousands; the fraction under 1.000 kr. stays with the pool
                "bound": book.down(rest, pool, year) if continuing and rest > 0 else 0.0,
                "residue": rest - book.down(rest, pool, year) if continuing and rest > 0 else 0.0,
                "given_back": max(rest, 0.0) if not continuing else 0.0,
                "merforbrug": overrun,
                "merforbrug_to": (TO_INVESTMENT if has_next else TO_POOL) if overrun > TOLERANCE else "",
                "covered": 0.0,
                "has_next": has_next,
                "overspent": bool(overrun > TOLERANCE),
                "anlaeg_overrun": _anlaeg_overrun(book, i, pool, cumulative[i][1, p], overrun),
                "granted_cumulative": float(cumulative[i][0, p]),
                "spent_cumulative": float(cumulative[i][1, p]),
                "overspent_cumulative": bool(cumulative[i][1, p] > cumulative[i][0, p] + TOLERANCE),
                "released_from": released,
                "transferred_out": 0.0,
            }
    return outs


def _anlaeg_overrun(book: _Book, need_id: str, pool: str, spent_so_far: float, overrun: float) -> str:
    """An anlæg merforbrug inside the investment's anlægsbevilling is a fremrykning of a later
    year's rådighedsbeløb; one beyond it needs a tillægsbevilling."""
    if pool != ANLAEG or overrun <= TOLERANCE:
        return ""
    return ADVANCE if spent_so_far <= book.anlaeg_granted.get(need_id, 0.0) + TOLERANCE else SUPPLEMENTARY


def _pool_year(book: _Book, t: int, p: int, pool_in: float, mine: list[dict], rules: Rules, proposed: bool) -> dict:
    """One pool's year before what is proposed or decided: never udmøntet, given back,
    merforbrug (covered by ØU where it says so), and the pool's side (``free``)."""
    frame = float(book.frames[p, t])
    granted = sum(r["granted"] for r in mine)
    never = frame + pool_in - granted
    covering = max(never, 0.0)
    for r in sorted(mine, key=lambda r: r["id"]):
        if r["merforbrug"] > TOLERANCE and r["id"] in rules.cover_overspend and proposed:
            pool, year = r["pool"], r["year"]
            r["covered"] = min(book.up(r["merforbrug"], pool, year), book.down(covering, pool, year))
            covering -= r["covered"]
            if r["covered"] >= r["merforbrug"] - TOLERANCE:
                r["merforbrug_to"] = COVERED
    on_pool = sum(r["merforbrug"] - r["covered"] for r in mine if r["merforbrug_to"] == TO_POOL)
    inv_in = sum(r["transferred_in"] for r in mine)
    spent = sum(r["spent"] for r in mine)
    covered = sum(r["covered"] for r in mine)
    given_back = sum(r["given_back"] for r in mine)
    residue = sum(r["residue"] for r in mine)
    return {
        "year": book.years[t],
        "pool": POOLS[p],
        "frame": frame,
        "pool_transfer_in": pool_in,
        "transfer_in": pool_in + inv_in,
        "funded": granted,
        "not_granted": never,
        "spent": spent,
        "unspent": frame + pool_in + inv_in - spent,
        "bound": sum(r["bound"] for r in mine),
        "given_back": given_back,
        "merforbrug": sum(r["merforbrug"] for r in mine),
        "merforbrug_pool": on_pool,
        "covered": covered,
        "residue": residue,
        "free": never + given_back + residue - covered - on_pool,
        "decision": "proposed" if proposed else "assumed",
    }


def _recorded(ledger: Ledger, row: dict, mine: list[dict], book: _Book, t: int) -> None:
    """What the OFS of the year decided, as the ledger records it."""
    year, pool = row["year"], row["pool"]
    rows = ledger.rows
    for r in mine:
        moved = rows[(rows["id"] == r["id"]) & (rows["art"] == TRANSFER) & (rows["year"] == year + 1)]
        r["transferred_out"] = float(moved.loc[moved["pool"] == pool, "amount"].sum())
    pool_out = float(book.pool_recorded[POOLS.index(pool), t + 1]) if year < book.years[-1] else 0.0
    _settle(row, mine, pool_out, _disposition_of(pool_out), "recorded")


def _disposition_of(pool_out: float) -> str:
    if pool_out < -TOLERANCE:
        return DEDUCT_NEXT_YEAR
    if pool_out > TOLERANCE:
        return FUND_OPEN_NEEDS
    return RETURN_TO_KASSEN


def _propose(book: _Book, row: dict, mine: list[dict], rules: Rules, last: bool) -> None:
    """The default proposal for one pool's year: each investment's bound money moved on in
    whole thousands (a cap scales every investment alike), each merforbrug carried by its
    investment where it has a next year, and what becomes of the pool's side."""
    moves = rules.carry_over and (not last or rules.beyond_frame) and row["bound"] > TOLERANCE
    scale = 1.0
    if moves and rules.cap is not None and row["bound"] > rules.cap * row["frame"]:
        scale = rules.cap * row["frame"] / row["bound"]
    for r in mine:
        pool, year = r["pool"], r["year"]
        out = book.down(r["bound"] * scale, pool, year) if moves and r["bound"] > TOLERANCE else 0.0
        if r["merforbrug_to"] == TO_INVESTMENT:
            out -= book.up(max(r["merforbrug"] - r["covered"], 0.0), pool, year)
        r["transferred_out"] = out
    free = row["free"]
    if free < -TOLERANCE:
        pool_out, disposition = free, (ASK_OU if last else DEDUCT_NEXT_YEAR)
    elif free > TOLERANCE and rules.fund_from_free and not last:
        pool_out, disposition = free, FUND_OPEN_NEEDS
    else:
        pool_out, disposition = 0.0, RETURN_TO_KASSEN
    _settle(row, mine, pool_out, disposition, row["decision"])


def _settle(row: dict, mine: list[dict], pool_out: float, disposition: str, decision: str) -> None:
    """The pool's year after what moves on: what goes to the investments, the pool's own
    transfer, and what is left for the kassen (the residue of whole thousands included)."""
    moved = sum(r["transferred_out"] for r in mine)
    row |= {
        "transfer_bound": sum(max(r["transferred_out"], 0.0) for r in mine),
        "merforbrug_carried": -sum(min(r["transferred_out"], 0.0) for r in mine),
        "pool_transfer_out": pool_out,
        "transfer_out": moved + pool_out,
        # the merforbrug ØU covers was paid from this money already: it is in the spending
        "returned": max(row["unspent"] - moved - pool_out, 0.0),
        "free_disposition": disposition,
        "decision": decision,
    }


def decision_rows(position_: Position, year: int, last_year: int, starts: dict[str, int] | None = None) -> list[tuple]:
    """The OFS's decisions for ``year`` as ledger entries ``(id, year, pool, amount, art,
    start)``: each investment's transfer into the next year (negative: a merforbrug it
    carries), a merforbrug ØU covers (an udmøntning for the year), the pool's money kept or
    deducted, and the money returned to the kassen."""
    entries = []
    starts = starts or {}
    for r in position_.investments[position_.investments["year"] == year].itertuples(index=False):
        if r.covered > TOLERANCE:
            entries.append((r.id, year, r.pool, float(r.covered), GRANT, starts.get(r.id)))
        if abs(r.transferred_out) > TOLERANCE:
            entries.append((r.id, year + 1, r.pool, float(r.transferred_out), TRANSFER, starts.get(r.id)))
    for r in position_.pools[position_.pools["year"] == year].itertuples(index=False):
        if abs(r.pool_transfer_out) > TOLERANCE and (year < last_year or r.pool_transfer_out < 0):
            entries.append((None, year + 1, r.pool, float(r.pool_transfer_out), TRANSFER, None))
        if r.returned > TOLERANCE:
            entries.append((None, year, r.pool, float(r.returned), RETURN, None))
    return entries
