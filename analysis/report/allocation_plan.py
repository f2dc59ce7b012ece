"""Page 02, the plan: what the plan year inherits from earlier decisions (the started
investments and the money moved with them) and what changed since the last plan, as
:mod:`analysis.report.blocks` objects."""

from __future__ import annotations

import pandas as pd

from analysis.inputs.contracts import POOLS
from analysis.inputs.register import need_titles
from analysis.model.allocation.result import Result
from analysis.report import formats as fmt
from analysis.report import vocabulary as words
from analysis.report.blocks import Table, Text


def plan_summary(result: Result, data) -> Text:
    """What the plan year inherits, in plain words: started investments stay, the money
    transferred into the plan year, and what is decided now."""
    commitments = result.problem.commitments
    year = result.problem.plan_year
    if commitments is None:
        return Text(
            [f"Planen gælder {year}, rammens første år: ingen investeringer er påbegyndt, så alle behov besluttes nu."]
        )
    transfer = ", ".join(
        f"{words.POOL_LABELS[p].lower()} {fmt.tkr(v)}" for p, v in zip(POOLS, commitments.transfer_in, strict=True)
    )
    lines = [
        f"Planen gælder {year}. "
        f"{fmt.count(len(commitments.investments), 'investering', 'investeringer')} er påbegyndt før {year}; "
        "de står fast "
        "med deres bevillinger og besluttes ikke igen. Kun de åbne behov besluttes nu, med start tidligst "
        f"{year}.",
        f"Overført ind i {year} (rammen før {year} minus det faktiske forbrug, som "
        f"{words.transfer_case(year - 1)} foreslår): {transfer} (1.000 kr.). Midler, som en påbegyndt investering "
        f"ikke brugte før {year}, flyttes med den til {year}.",
        "Planen passer år for år i hvert styringsområde: der planlægges ikke med overførsel mellem de kommende år, "
        "fordi en overførsel besluttes af ØU i overførselssagen og belaster næste års serviceramme.",
    ]
    if commitments.released:
        lines.append("Stoppet i denne plan: " + ", ".join(sorted(commitments.released)) + ".")
    return Text(lines)


def started_investments(register: pd.DataFrame, result: Result, price_year: int) -> Table:
    """The started investments (and any released), per styringsområde: granted, spent before
    the plan year, bound money moved to it, and what the plan gives from it."""
    commitments = result.problem.commitments
    columns = [
        "Id",
        "Behov",
        "Styringsområde",
        "Startår",
        "Udmøntet i alt",
        "Forbrug før planåret",
        "Heraf bundet, flyttes til planåret",
        "Tilbage fra planåret",
        "Status",
    ]
    if commitments is None:
        return Table(pd.DataFrame(columns=columns), caption="Påbegyndte investeringer", unit=words.unit(price_year))
    titles = need_titles(register)
    s = commitments.start_index
    rows = []
    for investment in [*commitments.investments.values(), *commitments.released.values()]:
        for p, pool in enumerate(POOLS):
            granted = float(investment.granted[p].sum())
            spent = float(investment.spent[p].sum())
            if granted == 0 and spent == 0:
                continue
            rows.append(
                {
                    "Id": investment.id,
                    "Behov": titles[investment.id],
                    "Styringsområde": words.POOL_LABELS[pool],
                    "Startår": str(investment.start),
                    "Udmøntet i alt": granted,
                    "Forbrug før planåret": spent,
                    "Heraf bundet, flyttes til planåret": float(investment.bound[p]),
                    "Tilbage fra planåret": float(investment.committed[p, s:].sum()),
                    "Status": "stoppet" if investment.released else "påbegyndt",
                }
            )
    return Table(
        pd.DataFrame(rows, columns=columns),
        caption=f"Påbegyndte investeringer før {commitments.plan_year}",
        unit=words.unit(price_year),
        formats={c: "tkr" for c in columns[4:8]},
        note=(
            "Forbrug før planåret er regnskab, ellers forventet forbrug, ellers det udmøntede beløb. "
            "Bundne midler: udmøntet og ikke brugt før planåret, pr. investering og styringsområde (et merforbrug "
            "modregnes ikke i andre investeringers midler). Tilbage fra planåret: de bundne midler plus "
            "udmøntningen fra planåret."
        ),
    )


def plan_changes(register: pd.DataFrame, previous_register, result: Result) -> Table:
    """What changed since the last plan."""
    from analysis.model import plan

    table = plan.changes(register, previous_register, result)
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
                else "Nye, fjernede og omkostningsændrede behov vises, når det "
                "forrige register gives (--previous-register)."
            )
        ),
    )
