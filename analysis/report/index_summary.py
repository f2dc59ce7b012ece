"""The summary that opens a report's index page: the frame, what the main option funds and
leaves out, unspent money per pool, and follow-up status counts.

Every figure is the event state's (:class:`~analysis.model.state.EventState`): the main
option's key figures, its business case and the follow-up, computed once for every page;
this module only words them.
"""

from __future__ import annotations

import pandas as pd

from analysis.inputs.contracts import POOLS
from analysis.inputs.register import need_titles
from analysis.model.allocation.types import Status
from analysis.model.followup import is_illustrative, status_counts
from analysis.report import formats as fmt
from analysis.report import summary_appendix
from analysis.report.blocks import Table
from analysis.report.vocabulary import (
    BENEFIT_STATUS,
    OPTIMAL_STATUS,
    POOL_LABELS,
    STRATEGY_LABELS,
    TIME_LIMIT_STATUS,
    result_message,
    unit,
)


def _per_pool(amounts: dict) -> str:
    return ", ".join(f"{POOL_LABELS[p].lower()} {fmt.tkr(amounts[p])}" for p in POOLS)


def variant_choice_texts(state) -> list[str]:
    """Each variant group's chosen variant against the others, in the register's titles:
    ``Privat 5G-netværk: delvis udrulning valgt frem for begrænset og fuld udrulning``."""
    titles = need_titles(state.data.register)
    out = []
    for _group, chosen, others in state.key_figures.variant_choices:
        names = [titles[chosen], *(titles[i] for i in others)]
        prefix = names[0].split(" – ")[0]
        short = {t: t.split(" – ", 1)[1] if " – " in t and t.startswith(prefix) else t for t in names}
        rest = [short[titles[i]] for i in others]
        out.append(
            f"{prefix}: {short[titles[chosen]]} valgt frem for "
            + (", ".join(rest[:-1]) + " og " + rest[-1] if len(rest) > 1 else rest[0] if rest else "")
        )
    return out


MODE_LABELS = {
    "udmoentning": "Forslag til udmøntning for {year}",
    "indicative": "Vejledende plan for {year}",
    "alternative": "Alternativ: de frie midler til behov med start {year}",
}


def option_rows(state) -> list[tuple[str, str, dict | None]]:
    """The main option's rows, from the state's key figures and business case."""
    figures = state.key_figures
    result = figures.result
    if not result.has_option:
        return [("Forslag", f"ingen løsning: {result_message(result)}", None)]
    solved = OPTIMAL_STATUS if result.status == Status.OPTIMAL else TIME_LIMIT_STATUS
    funded, no_estimate = len(result.selected), figures.no_estimate_once
    other = figures.needs_once - funded - no_estimate
    counted = f"{funded} behov finansieret, {no_estimate} uden estimat"
    if other > 0:
        counted += f", {other} ikke finansieret af andre grunde"
    choices = variant_choice_texts(state)
    if choices:
        counted += "; " + "; ".join(choices)
    label = MODE_LABELS[figures.mode].format(year=figures.plan_year)
    rows = [(f"{label}: " + STRATEGY_LABELS[result.options.strategy].lower(), f"{counted}; {solved}", None)]
    now = figures.decided_now
    if figures.mode != "indicative":
        said = (
            f"Alternativet udmønter, hvis ØU vælger det ({figures.event.name})"
            if figures.mode == "alternative"
            else f"Udmøntes nu ({figures.event.name})"
        )
        rows.append((said, f"{fmt.tkr(sum(now.values()))} ({_per_pool(now)})", now))
    earlier = figures.earlier
    if sum(earlier.values()) > 0.5:
        rows.append(
            (
                f"Udmøntet ved tidligere beslutninger, alle år (før {figures.event.name})",
                f"{fmt.tkr(sum(earlier.values()))} ({_per_pool(earlier)}) i {state.price_year} p/l"
                + _as_decided_text(figures.earlier_as_decided, state.price_year),
                earlier,
            )
        )
    kept = {p: sum(stop.kept.get(p, 0.0) for stop in state.stops) for p in POOLS}
    if sum(kept.values()) > 0.5:
        rows.append(
            (
                "Heraf udmøntet til stoppede investeringer, før de blev stoppet (ikke blandt de finansierede behov)",
                f"{fmt.tkr(sum(kept.values()))} ({_per_pool(kept)})",
                kept,
            )
        )
    if figures.mode != "indicative":
        total = {p: earlier[p] + figures.planned_now[p] for p in POOLS}
        rows.append(
            (
                "Udmøntet i alt, alle år ("
                + ("tidligere beslutninger og alternativet" if figures.mode == "alternative" else "tidligere og nu")
                + ")",
                f"{fmt.tkr(sum(total.values()))} ({_per_pool(total)})",
                total,
            )
        )
    later = dict(figures.indicative)
    if figures.mode == "indicative":
        later = {p: later[p] + figures.planned_now[p] for p in POOLS}
    if sum(later.values()) > 0.5:
        start = "fra" if figures.mode == "indicative" else "efter"
        rows.append(
            (
                f"Vejledende, ikke udmøntet: behov med start {start} {figures.plan_year}, besluttes ved budgettet "
                "for startåret",
                f"{fmt.tkr(sum(later.values()))} ({_per_pool(later)})",
                later,
            )
        )
    besides = figures.besides_frame or {}
    if any(abs(v) > 0.5 for v in besides.values()):
        rows.append(
            (
                "Puljens midler ud over rammen, alle år (overført ind, minus tilbageført kassen)",
                f"{fmt.tkr(sum(besides.values()))} ({_per_pool(besides)})",
                besides,
            )
        )
    rows.append(
        (
            "Ikke planlagt (rammen og puljens midler, minus det udmøntede og det vejledende)",
            _per_pool(figures.unspent),
            figures.unspent,
        )
    )
    rows += _business_case_rows(state)
    return rows


def _business_case_rows(state) -> list[tuple[str, str, dict | None]]:
    """The business case's row: its nutidsværdi, payback, afledt drift and dobbeltdrift."""
    rows: list[tuple[str, str, dict | None]] = []
    case = state.business_case
    if case is None:
        return []
    from analysis.report.business_case_page import assumes_economics

    pays = f"tjent hjem i {case.payback_year}" if case.payback_year else "tjener sig ikke hjem i levetiden"
    inside = case.running_inside[case.running_inside > 0.5]
    after = case.running_after
    rows.append(
        (
            "Business case" + (" (antaget)" if assumes_economics(state.data.register) else ""),
            f"i faste priser ({case.price_year or state.price_year} p/l): nutidsværdi {fmt.tkr(case.npv)} "
            f"(diskonteret til {case.base_year}), {pays}; afledt drift, "
            "som rammen ikke finansierer: "
            + fmt.and_list(
                [f"{fmt.tkr(v)} i {int(y)}" for y, v in inside.items()]
                + [f"{fmt.tkr(float(after.iloc[0]) if len(after) else 0.0)} i {case.last_frame_year + 1}"]
            )
            + (f"; dobbeltdrift {fmt.tkr(case.dobbeltdrift)} i alt, ikke udmøntet" if case.dobbeltdrift > 0.5 else ""),
            None,
        )
    )
    return rows


def _as_decided_text(levels: tuple, price_year: int) -> str:
    """ "; som besluttet: 48.250 i 2026 p/l" (each p/l the amounts were decided in), or nothing
    where they were all decided in the report's p/l."""
    parts = [
        f"{fmt.tkr(sum(amounts.values()))} i {level} p/l"
        if level is not None
        else f"{fmt.tkr(sum(amounts.values()))} i flere p/l"
        for level, amounts in levels
        if abs(sum(amounts.values())) > 0.5
    ]
    if not parts or (len(levels) == 1 and levels[0][0] == price_year):
        return ""
    return "; som ØU besluttede det: " + fmt.and_list(parts)


def _decided_beside(levels: dict[int, float], price_year: int) -> str:
    """ " (besluttet: −13.742 i 2027 p/l)" beside a converted amount, where it was decided in
    another p/l."""
    if not levels or set(levels) == {price_year}:
        return ""
    return " (besluttet: " + fmt.and_list([f"{fmt.tkr(v)} i {y} p/l" for y, v in sorted(levels.items())]) + ")"


def _after_stops(state, left: float) -> str:
    """What the money not yet udmøntet becomes when this event's stops give money back."""
    back = sum(sum(s.given_back.values()) for s in state.stops if s.now)
    if back <= 0.5:
        return ""
    return f"; efter stoppet ved {state.event.name}: {fmt.tkr(left + back)} ({fmt.tkr(back)} givet tilbage)"


def _followup_rows(followed, year: int) -> list[tuple[str, str, dict | None]]:
    """An OFS's rows: the year's spending, merforbrug, bound and free money, the kassen, the
    benefits and the coverage."""
    rows: list[tuple[str, str, dict | None]] = []
    pools = followed.pools
    this_year = pools[pools["year"] == year].set_index("pool")
    rows.append(
        (
            f"Forbrug {year}",
            ", ".join(
                f"{POOL_LABELS[p].lower()} {fmt.tkr(this_year.loc[p, 'spent'])} af "
                f"{fmt.tkr(this_year.loc[p, 'frame'] + this_year.loc[p, 'transfer_in'])}"
                for p in POOLS
            ),
            {p: float(this_year.loc[p, "spent"]) for p in POOLS},
        )
    )
    for label, amounts in (
        (f"Merforbrug {year} (investeringer, der brugte mere end rådigheden)", this_year["merforbrug"]),
        (f"Heraf følger investeringerne ind i {year + 1}", this_year["merforbrug_carried"]),
        (f"Bundne midler, foreslået overført til {year + 1}", this_year["transfer_bound"]),
        (f"Frie midler {year}", this_year["free"]),
        (f"Foreslået tilbageført kassen fra {year}", this_year["returned"]),
    ):
        rows.append((label, _per_pool(amounts), {p: float(amounts[p]) for p in POOLS}))
    counts = ", ".join(f"{BENEFIT_STATUS[s]} {n}" for s, n in status_counts(followed.indicators).items())
    rows.append(("Gevinstindikatorer", counts, None))
    rows.append(
        (
            "Dækning af gevinstopfølgning",
            f"{fmt.percent(followed.coverage)} af de finansierede investeringer",
            None,
        )
    )
    return rows


def _money_left_rows(state) -> list[tuple[str, str, dict | None]]:
    """The money not yet udmøntet, reconciled from the event before (with a ledger)."""
    rows: list[tuple[str, str, dict | None]] = []
    reconciled = state.reconciliation
    if reconciled is not None and state.data.followup is not None:
        after = reconciled.after.sum(axis=1)
        decided = reconciled.as_decided or tuple({} for _ in reconciled.changes)
        changes = "; ".join(
            f"{kind} ved {event.name} {fmt.tkr(float(amounts.sum()))}" + _decided_beside(levels, state.price_year)
            for (event, kind, amounts), levels in zip(reconciled.changes, decided, strict=True)
            if abs(float(amounts.sum())) > 0.5
        )
        rows.append(
            (
                "Endnu ikke udmøntet, alle år (ramme + puljens overførte − udmøntet − tilbageført kassen)",
                f"{fmt.tkr(after.sum())} ({_per_pool(dict(zip(POOLS, after, strict=True)))}); ved "
                f"{reconciled.previous.name} {fmt.tkr(reconciled.before.sum())}"
                + (f"; ændret: {changes}" if changes else "; intet ændret siden")
                + _after_stops(state, after.sum()),
                {p: float(v) for p, v in zip(POOLS, after, strict=True)},
            )
        )
    return rows


def report_summary(state, option: bool = True) -> Table:
    """Key figures in words and Danish numbers (1.000 kr.): the frame, the main option (when
    the event allocates and ``option``: the report shows its allocation page), and for an
    OFS the follow-up of the year."""
    data, event, year, followed = state.data, state.event.kind, state.event.year, state.followup
    rows: list[tuple[str, str, dict | None]] = []  # label, the page's text, the amounts per pool
    frame = data.frame.groupby("styringsomraade")["beloeb"].sum()
    years = f"{data.years[0]}–{data.years[-1]}"
    shown = f"{fmt.tkr(frame.sum())} ({_per_pool({p: frame.get(p, 0) for p in POOLS})})"
    if data.noted_price_year != data.price_year:
        noted = data.noted_frame.groupby("styringsomraade")["beloeb"].sum()
        shown += f" i {data.price_year} p/l; notatets {fmt.tkr(noted.sum())} i {data.noted_price_year} p/l"
    rows.append((f"Ramme {years}", shown, {p: float(frame.get(p, 0)) for p in POOLS}))
    if option and state.key_figures is not None:
        rows += option_rows(state)
    if event == "OFS" and followed is not None:
        rows += _followup_rows(followed, year)
    rows += _money_left_rows(state)
    closing = getattr(state, "closing", None)
    if closing is not None:
        whole = closing.reconciliation
        said = {
            "frame": "ramme",
            "funded": "udmøntet",
            "released": "givet tilbage ved stop",
            "spent": "brugt",
            "returned": "tilbageført kassen",
        }
        rows.append(
            (
                f"Rammens afslutning, {data.years[0]}–{data.years[-1]} ({closing.price_year} p/l)",
                "; ".join(f"{word} {fmt.tkr(float(whole[c].sum()))}" for c, word in said.items())
                + " (se afsnittet Rammens afslutning)",
                None,
            )
        )
    if state.stops:
        rows.append(
            (
                "Stoppede investeringer",
                "; ".join(
                    f"{s.id} stoppet ved {s.event.name} (fra {s.first_year}, "
                    f"{fmt.tkr(sum(s.given_back.values()))} givet tilbage)"
                    for s in state.stops
                ),
                None,
            )
        )
    assumed = int((data.register["antagelser"].map(len) > 0).sum())
    if assumed:
        rows.append(
            (
                "Antagelser",
                f"{assumed} af {len(data.register)} behov har felter, der er antagelser og ikke notatets tal "
                "(se afsnittet om behovsregisteret)",
                None,
            )
        )
    if data.followup is not None and is_illustrative(data.followup):
        rows.append(("Opfølgningsdata", "illustrative eksempler, ikke kommunens tal", None))

    appendix = summary_appendix.appendix(rows, summary_appendix.extras(state, [label for label, _t, _a in rows]))
    return Table(
        pd.DataFrame([(label, text) for label, text, _amounts in rows], columns=["", "Værdi"]),
        caption="Sammenfatning",
        unit=unit(data.price_year),
        appendix=appendix,
        appendix_formats={c: "tkr" for c in ["I alt", *(POOL_LABELS[p] for p in POOLS)]},
    )
