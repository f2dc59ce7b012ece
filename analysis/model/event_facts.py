"""What an event's state reports besides its runs, as plain typed facts: the main option's key
figures, the investments stopped, and the money not yet udmøntet from one event to the next.
:mod:`analysis.model.state` computes them once; the report words them."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from analysis.inputs.contracts import GRANT, POOLS, RETURN, TRANSFER
from analysis.inputs.dataset import Dataset
from analysis.model import ledger, runs
from analysis.model.allocation import Result
from analysis.model.cycle import Event


@dataclass(frozen=True)
class OptionFigures:
    """The main option's key figures, for the index, the front page and the appendix: what
    the event decides (its ledger entries per pool) and what the option funds. Codes and
    amounts only; the report words them."""

    mode: str
    event: Event
    plan_year: int
    recommended: str  # the name of the row the main option is on ("A")
    result: Result
    needs_once: int  # the register's needs, a variant group counted once
    no_estimate_once: int  # of them, without an estimate
    variant_choices: tuple[tuple[str, str, tuple[str, ...]], ...]  # (group, chosen id, the others' ids)
    spent: dict[str, float]  # udmøntet, all years (earlier decisions, this one and indicative)
    unspent: dict[str, float] | None  # not planned (neither udmøntet nor indicative)
    decided: tuple[tuple, ...]  # the event's ledger entries (id, year, pool, amount, art, start)
    decided_now: dict[str, float]  # udmøntet by the event, per pool
    indicative: dict[str, float]  # needs starting after the plan year, per pool
    free: dict[str, float] | None  # an OFS's free money, per pool
    # per pool, all years: the money besides the frame the plan may udmønte (the pool's own
    # money moved in, less what an OFS returned to the kassen; an OFS's free money); with the
    # frame and what is planned it makes "ikke planlagt" add up
    besides_frame: dict[str, float] | None = None
    # per pool: what the option plans in its plan year (udmøntet now, the alternative, or
    # indicative when the event does not udmønte), and what earlier decisions udmøntede, all
    # years, net of what stopped investments gave back
    planned_now: dict[str, float] = field(default_factory=dict)
    earlier: dict[str, float] = field(default_factory=dict)
    # the earlier decisions' grants as ØU decided them: (p/l, {pool: amount}) per p/l decided in
    earlier_as_decided: tuple[tuple[int | None, dict[str, float]], ...] = ()


@dataclass(frozen=True)
class Reconciliation:
    """What is not yet udmøntet (pools × years) as the event before knew it and as this
    event knows it, and each decision in between that changed it: (event, what, pools)."""

    previous: Event
    before: np.ndarray
    after: np.ndarray
    changes: tuple[tuple[Event, str, np.ndarray], ...]
    # per change, in its order: the amounts as the decision made them, per p/l decided in
    # ({p/l: signed sum}; a row the package added counts in ``price_year``)
    as_decided: tuple[dict[int, float], ...] = ()


@dataclass(frozen=True)
class CaseChanges:
    """What moved the business case's nutidsværdi of the udmøntede investments since the
    event before (``previous``): ``at_previous`` (the investments udmøntet before this event,
    on the accounts ``previous`` knew), ``accounts`` (the accounts and forecasts learnt
    since), ``stops`` (this event's stops of ``stopped``), ``udmoentet`` (what this event
    udmønter); ``indicative`` is the vejledende part (or the OFS's alternative), recomputed at
    every event. The decided nutidsværdi is the sum of the first four."""

    previous: Event
    at_previous: float
    accounts: float
    stopped: tuple[str, ...]
    stops: float
    udmoentet: float
    indicative: float

    @property
    def decided(self) -> float:
        return self.at_previous + self.accounts + self.stops + self.udmoentet


# what a decision did to the money not yet udmøntet, by the row's art and whether it names an investment
CHANGE_KINDS = {
    (GRANT, True): "udmøntet",
    (RETURN, True): "givet tilbage af en stoppet investering",
    (TRANSFER, False): "puljens egne midler overført",
    (RETURN, False): "tilbageført kassen",
}


@dataclass(frozen=True)
class Stop:
    """A stopped investment: the event that stopped it, the first year its grants were given
    back, what was given back per (pool, year), what it had spent by then as the state's
    event knows it, and whether this event stops it (``now``)."""

    id: str
    event: Event
    first_year: int
    given_back: dict[tuple[str, int], float]
    spent: float
    now: bool
    kept: dict[str, float] = field(default_factory=dict)  # pool -> udmøntet before the stop, kept
    # pool -> what it is expected not to use in the year before the stop (a stop now): given
    # back to the pool at that year's OFS, not transferred
    left: dict[str, float] = field(default_factory=dict)


def _earlier_as_decided(run: runs.AllocationRun, decided: list[tuple], price_year: int) -> tuple:
    """The earlier decisions' net grants (less what a stop, this event's too, gives back) as
    ØU decided them: per p/l decided in, per pool."""
    book = run.commitments.ledger if run.commitments is not None else None
    if book is None:
        return ()
    releases = [e for e in decided if e[4] == RETURN]
    if releases:
        book = book.with_rows(ledger.rows(releases, run.event))
    table = book.grants_as_decided(price_year)
    out = []
    for level in sorted({lv for lv in table["pl"] if lv is not None}):
        mine = table[table["pl"] == level]
        out.append((int(level), {pool: float(mine.loc[mine["pool"] == pool, "decided"].sum()) for pool in POOLS}))
    mixed = table[table["pl"].isna()]
    if len(mixed):
        out.append((None, {pool: float(mixed.loc[mixed["pool"] == pool, "decided"].sum()) for pool in POOLS}))
    return tuple(out)


def option_figures(data: Dataset, run: runs.AllocationRun) -> OptionFigures:
    """The key figures of ``run``'s main option (see :class:`OptionFigures`)."""
    result = run.main
    recommended = next(g for g in run.alternatives() if any(r is result for r in g.results))
    decided = run.decisions()
    unspent = result.unspent_total() if result.has_option else None
    spent = result.spending().sum()
    register = data.register
    selected = set(result.selected)
    grouped = register[register["variantgruppe"].notna()].groupby("variantgruppe")
    singles = register[register["variantgruppe"].isna()]
    choices = []
    for group, members in grouped:
        chosen = members[members["id"].isin(selected)]
        if len(chosen):
            first = chosen["id"].iloc[0]
            choices.append((str(group), first, tuple(i for i in members["id"] if i != first)))
    later = [
        e
        for y in result.problem.years
        if y > run.plan_year
        for e in (result.decisions(only_start=y) if result.has_option else [])
    ]
    planned = result.decisions(only_start=run.plan_year) if result.has_option else []
    planned_now = {pool: float(sum(e[3] for e in planned if e[2] == pool and e[4] == GRANT)) for pool in POOLS}
    indicative = {pool: float(sum(e[3] for e in later if e[2] == pool)) for pool in POOLS}
    return OptionFigures(
        mode=run.mode,
        event=run.event,
        plan_year=run.plan_year,
        recommended=recommended.name,
        result=result,
        needs_once=len(singles) + grouped.ngroups,
        no_estimate_once=int((~singles["har_estimat"]).sum())
        + sum(1 for _g, m in grouped if not m["har_estimat"].any()),
        variant_choices=tuple(choices),
        spent={pool: float(spent[pool]) for pool in POOLS},
        unspent=None if unspent is None else {pool: float(unspent[pool]) for pool in POOLS},
        decided=tuple(tuple(e) for e in decided),
        decided_now={pool: float(sum(e[3] for e in decided if e[2] == pool and e[4] == "udmøntet")) for pool in POOLS},
        indicative=indicative,
        planned_now=planned_now,
        earlier={pool: float(spent[pool]) - planned_now[pool] - indicative[pool] for pool in POOLS},
        earlier_as_decided=_earlier_as_decided(run, decided, data.price_year),
        free=None if run.free is None else {p: float(v) for p, v in zip(POOLS, np.asarray(run.free), strict=True)},
        besides_frame={
            pool: float(v) for pool, v in zip(POOLS, (result.limit() - result.problem.frame).sum(axis=1), strict=True)
        },
    )
