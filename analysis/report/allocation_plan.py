"""Page 02, the plan: what the event decides and what it takes as fixed from earlier
decisions (the investments started or udmøntet before, the money moved with them), and what
changed since the last plan, as :mod:`analysis.report.blocks` objects."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.inputs.contracts import GRANT, POOLS, RETURN
from analysis.inputs.register import need_titles
from analysis.model import runs
from analysis.model.allocation.result import Result
from analysis.model.followup import in_own_years
from analysis.report import formats as fmt
from analysis.report import vocabulary as words
from analysis.report.blocks import Table, Text
from analysis.report.ledger_page import AS_DECIDED, DECIDED_PL


def _per_pool(amounts) -> str:
    return ", ".join(f"{words.POOL_LABELS[p].lower()} {fmt.mio(v)}" for p, v in zip(POOLS, amounts, strict=True))


def plan_summary(state) -> Text:
    """What the event decides now, what it takes as fixed and what later, in plain words."""
    run, data = state.allocation, state.data
    event, year = run.event, run.plan_year
    commitments = run.commitments
    fixed = sorted(commitments.investments) if commitments is not None else []
    lines = []
    if run.mode == runs.INDICATIVE:
        lines.append(
            f"{words.event_title(event)} afsætter rammen. Den udmøntes første gang ved "
            f"{words.event_title(words.first_udmoentning(data.years))} i foråret {year}: planen her er "
            f"{words.indicative(data.years)}, og intet besluttes nu."
        )
    elif run.mode == runs.ALTERNATIVE:
        lines.append(
            f"{words.event_title(event)} genåbner ikke budget {year}s udmøntning: de investeringer, der er udmøntet "
            f"før, står fast ({', '.join(fixed) or 'ingen'}). Forslaget er, at de frie midler fra {event.year} "
            f"({_per_pool(run.free)}) tilbageføres kassen."
        )
        lines.append(
            f"Som alternativ kan ØU bruge de frie midler til åbne behov, der kan starte i {year}. Forslagene nedenfor "
            f"viser, hvad de kunne finansiere inden for de frie midler fra {event.year} og det, der ikke er udmøntet "
            f"af rammen i {year} og de følgende år."
        )
        return Text(lines + _earlier_stops(state))
    else:
        what = "udmønter rammen første gang" if event.kind == "OFS" else "udmønter rammen for sit år"
        lines.append(
            f"{words.event_title(event)} {what}: de behov, der starter i {year}, udmøntes nu med hele deres forløb "
            "over årene. Behov, som forslaget lader starte senere, er vejledende og besluttes ved budgettet for "
            "deres startår."
        )
    if fixed:
        lines.append(
            f"{fmt.count(len(fixed), 'investering', 'investeringer')} er udmøntet ved tidligere beslutninger "
            f"({', '.join(fixed)}); de står fast med deres udmøntninger og besluttes ikke igen."
        )
    if commitments is not None and commitments.known is not None and event.kind == "budget":
        expected = commitments.expected_transfers()
        lines.append(
            f"Budgettet lægges på prognosen for {year - 1} (forventet forbrug). Det, de påbegyndte investeringer "
            f"forventes ikke at bruge i {year - 1} ({_per_pool(expected)}), forventes overført til dem ved "
            f"{words.transfer_case(year - 1)} og indgår ikke i rammen for {year}."
        )
        over = commitments.expected_merforbrug()
        if over:
            named = "; ".join(f"{i} {fmt.tkr(float(amounts.sum()))}" for i, amounts in sorted(over.items()))
            lines.append(
                f"Forventet merforbrug i {year - 1} (1.000 kr.): {named}. Det forventes at følge investeringen ind i "
                f"{year} ved {words.transfer_case(year - 1)} og afholdes af dens udmøntning dér; det belaster "
                f"ikke andre investeringer eller rammen for {year}."
            )
    if run.mode != runs.INDICATIVE:
        lines.append(
            "Udmøntningen passer år for år i hvert styringsområde: der planlægges ikke med overførsel mellem årene, "
            "fordi en overførsel besluttes af ØU i overførselssagen og belaster næste års serviceramme."
        )
    stopped_now = [s.id for s in state.stops if s.now]
    if stopped_now:
        lines.append(
            f"Stoppet ved {words.event_title(event)}: {', '.join(stopped_now)}; deres udmøntninger fra "
            f"{year} gives tilbage til puljerne, og det, de har brugt, står (se resuméet)."
        )
    return Text(lines + _earlier_stops(state))


def _earlier_stops(state) -> list[str]:
    earlier = [f"{s.id} (stoppet ved {s.event.name})" for s in state.stops if not s.now]
    if not earlier:
        return []
    return [f"Stoppet tidligere: {', '.join(earlier)}; de indgår ikke i planen og binder ingen midler."]


SPENT_OWN = "Forbrug før planåret, hvert år i sin egen p/l"


def _as_decided(decided: pd.DataFrame | None, need_id: str, pool: str, before: int | None):
    """The investment's net grants in ``pool`` as ØU decided them (all years, or those before
    ``before``) and the one p/l they were decided in (None: more than one, or none known)."""
    if decided is None or decided.empty:
        return float("nan"), None
    mine = decided[(decided["id"] == need_id) & (decided["pool"] == pool)]
    if before is not None:
        mine = mine[mine["year"] < before]
    mine = mine[mine["decided"].abs() > 1e-9]
    levels = set(mine["pl"])
    if len(mine) == 0:
        return 0.0, None
    return float(mine["decided"].sum()), (int(levels.pop()) if len(levels) == 1 and None not in levels else None)


def fixed_investments(state) -> Table:
    """The investments the event's main option takes as fixed (:func:`started_investments`),
    their spending also in each year's own p/l."""
    return started_investments(state.data.register, state.main, state.price_year, runs.own_year_levels(state.data))


def started_investments(register: pd.DataFrame, result: Result, price_year: int, levels: dict | None = None) -> Table:
    """The fixed investments (and any released), per styringsområde: what they were
    udmøntet, what they spent before the plan year (as the event knows it), what is expected
    moved to them into the plan year, and what is udmøntet to them from it."""
    commitments = result.problem.commitments
    columns = [
        "Id",
        "Behov",
        "Styringsområde",
        "Startår",
        AS_DECIDED,
        DECIDED_PL,
        "Udmøntet i alt",
        SPENT_OWN,
        "Forbrug før planåret",
        "Forventes overført til planåret",
        "Udmøntet fra planåret",
        "Status",
    ]
    if commitments is None:
        return Table(pd.DataFrame(columns=columns), caption="Investeringer udmøntet før", unit=words.unit(price_year))
    titles = need_titles(register)
    known = commitments.known.investments if commitments.known is not None else pd.DataFrame()
    nominal = in_own_years(known, levels, ["spent"]) if len(known) and levels else known
    decided = commitments.ledger.grants_as_decided(price_year) if commitments.ledger is not None else None
    rows = []
    for investment in [*commitments.investments.values(), *commitments.released.values()]:
        for p, pool in enumerate(POOLS):
            # one stopped by this plan keeps what it was udmøntet before the plan year
            now = investment.released and investment.stopped_by == commitments.event
            kept = investment.granted[p, : commitments.start_index] if now else investment.granted[p]
            granted = float(kept.sum())
            mine = known[(known["id"] == investment.id) & (known["pool"] == pool)] if len(known) else known
            spent = float(mine["spent"].sum()) if len(mine) else 0.0
            if granted == 0 and spent == 0:
                continue
            as_decided, level = _as_decided(decided, investment.id, pool, commitments.plan_year if now else None)
            ours = nominal[(nominal["id"] == investment.id) & (nominal["pool"] == pool)] if len(nominal) else nominal
            rows.append(
                {
                    "Id": investment.id,
                    "Behov": titles[investment.id],
                    "Styringsområde": words.POOL_LABELS[pool],
                    "Startår": int(investment.start),
                    AS_DECIDED: as_decided,
                    DECIDED_PL: level,
                    "Udmøntet i alt": granted,
                    SPENT_OWN: float(ours["spent"].sum()) if len(ours) else 0.0,
                    "Forbrug før planåret": spent,
                    "Forventes overført til planåret": float(investment.expected_transfer[p]),
                    "Udmøntet fra planåret": float(np.sum(investment.committed[p])),
                    "Status": f"stoppet ved {investment.stopped_by.name}"
                    if investment.released and investment.stopped_by is not None
                    else "stoppet"
                    if investment.released
                    else "påbegyndt"
                    if investment.start < commitments.plan_year
                    else f"udmøntet med start {investment.start}",
                }
            )
    sources = set(known["source"]) if len(known) else set()
    return Table(
        pd.DataFrame(rows, columns=columns),
        caption=f"Investeringer udmøntet før {commitments.plan_year}, der står fast",
        unit=words.unit(price_year) + ", hvor ikke andet er angivet",
        formats={"Startår": "year", DECIDED_PL: "year"} | {c: "tkr" for c in columns[4:11] if c != DECIDED_PL},
        note=(
            f"Udmøntet som besluttet: det, ØU udmøntede til investeringen over alle år, i den p/l, det blev "
            f"besluttet i (Besluttet i p/l). Udmøntet i alt: det samme i {price_year} p/l, med det tilbageførte "
            "trukket fra (for en investering, der stoppes nu: det, den beholder, udmøntet før planåret). Forbrug før "
            "planåret: "
            + words.spending_sources(sources)
            + f"; hvert år i sin egen p/l, som det er regnskabsført og forventet, og omregnet til {price_year} p/l. "
            "Forventes overført: det udmøntede og det overførte, investeringen forventes ikke at bruge, pr. "
            "investering og styringsområde; negativt: et merforbrug, der forventes at følge investeringen ind i "
            "planåret (det modregnes aldrig i andre investeringers midler). Det besluttes ved overførselssagen og "
            "belaster ikke planårets ramme. En stoppet investering binder intet: det, den ikke har brugt, går "
            "tilbage til puljen."
        ),
    )


def plan_changes(state) -> Table:
    """What changed since the last plan (as the state computed it)."""
    register, previous_register = state.data.register, state.data.previous_register
    table = state.plan_changes
    titles = need_titles(register)
    if previous_register is not None:
        titles = need_titles(previous_register) | titles

    def shown(value) -> str:
        if value is None:
            return fmt.DASH
        if isinstance(value, tuple):
            return fmt.mio_range(*value)
        return str(int(value))

    data = pd.DataFrame(
        {
            "Id": table["id"],
            "Behov": [titles.get(i, i) for i in table["id"]],
            "Ændring": [words.CHANGE_LABELS[c] for c in table["change"]],
            "Før": [shown(v) for v in table["before"]],
            "Nu": [shown(v) for v in table["after"]],
        }
    )
    compared = "det forrige behovsregister og " if previous_register is not None else ""
    return Table(
        data,
        caption="Ændringer siden sidste plan",
        note=(
            f"Sammenholdt med {compared}de tidligere udmøntninger (startår). Før og nu er startår eller "
            "omkostningsspænd. "
            + (
                ""
                if previous_register is not None
                else "Nye, fjernede og omkostningsændrede behov vises, når rapporten får sidste års behovsregister med."
            )
        ),
    )


def appropriations(state):
    """The bevillingsteknik of what the event udmønter with the main option: per
    investment, year and styringsområde from the pool to the receiving udvalg."""
    from analysis.report import appropriations as bevillingsteknik

    run, data = state.allocation, state.data
    if run.mode == runs.INDICATIVE:
        first = words.event_title(words.first_udmoentning(data.years))
        return Text(
            [
                f"Planen er {words.indicative(data.years)}: intet udmøntes ved {words.event_title(run.event)}. "
                f"Bevillingsteknikken følger med udmøntningen ved {first}."
            ]
        )
    entries = run.main.decisions(only_start=run.plan_year) if run.main.has_option else []
    if run.mode == runs.ALTERNATIVE:
        entries = [e for e in entries if e[4] == "udmøntet"]
    else:
        entries = state.decisions
    if not any(e[4] == GRANT for e in entries):
        return bevillingsteknik.no_decision(run.plan_year)
    table = bevillingsteknik.udmoentning_table(
        data.register, entries, run.plan_year, data.years, words.unit(data.price_year)
    )
    if run.mode == runs.ALTERNATIVE:
        table.caption = "Alternativet: " + table.caption[0].lower() + table.caption[1:] + " (hvis ØU vælger det)"
    return table


def stops(state) -> Table | None:
    """The bevillingsteknik of the investments this event stops (nothing when it stops none)."""
    from analysis.report import appropriations as bevillingsteknik

    run, data = state.allocation, state.data
    if run is None or run.mode != runs.UDMOENTNING or not any(s.now for s in state.stops):
        return None
    entries = [e for e in state.decisions if e[4] == RETURN]
    unit = words.unit(data.price_year)
    return bevillingsteknik.release_table(data.register, entries, run.plan_year, data.years, unit)


def capital(state):
    """For anlæg: the anlægsbevilling and the rådighedsbeløb the udmøntning releases."""
    from analysis.report import appropriations as bevillingsteknik

    run, data = state.allocation, state.data
    if run.mode == runs.INDICATIVE or not run.main.has_option:
        return Text(["Ingen anlægsbevillinger: intet udmøntes."])
    entries = run.main.decisions(only_start=run.plan_year)
    if not any(e[2] == "anlæg" for e in entries):
        return Text(["Udmøntningen har intet på anlæg."])
    return bevillingsteknik.anlaeg_table(data.register, entries, run.plan_year, data.years, words.unit(data.price_year))


def ledger(state) -> Table:
    """The ledger of the investments the event takes as fixed, up to the year before the
    plan year (as the event knows it: a budget on the forecast)."""
    from analysis.report.ledger_page import ledger_table

    run = state.allocation
    known = run.commitments.known if run.commitments is not None else None
    book = run.commitments.ledger if run.commitments is not None else None
    decided = book.grants_as_decided(state.price_year) if book is not None else None
    return ledger_table(
        state.data.register, known, state.price_year, levels=runs.own_year_levels(state.data), decided=decided
    )
