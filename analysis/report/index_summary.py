"""The summary that opens a report's index page: the frame, what the main option funds and
leaves out, unspent money per pool, and follow-up status counts.

The option's figures are the ones the allocation page computed (handed over as
:class:`~analysis.report.blocks.KeyFigures`); this module never solves.
"""

from __future__ import annotations

import pandas as pd

from analysis.inputs.contracts import POOLS
from analysis.inputs.dataset import Dataset
from analysis.model.followup import BenefitStatus, Followup, is_illustrative
from analysis.report import formats as fmt
from analysis.report.blocks import Table
from analysis.report.vocabulary import (
    BENEFIT_STATUS,
    OPTIMAL_STATUS,
    POOL_LABELS,
    STRATEGY_LABELS,
    TIME_LIMIT_STATUS,
    unit,
)


def _per_pool(amounts: dict) -> str:
    return ", ".join(f"{POOL_LABELS[p].lower()} {fmt.tkr(amounts[p])}" for p in POOLS)


def option_rows(option: dict) -> list[tuple[str, str]]:
    """The main option's rows, from the allocation page's key figures."""
    if not option["has_option"]:
        return [("Forslag", f"ingen løsning: {option['message']}", None)]
    solved = OPTIMAL_STATUS if option["status"] == "optimal" else TIME_LIMIT_STATUS
    funded, no_estimate = option["funded"], option["no_estimate_once"]
    other = option["needs_once"] - funded - no_estimate
    counted = f"{funded} behov finansieret, {no_estimate} uden estimat"
    if other > 0:
        counted += f", {other} ikke finansieret af andre grunde"
    if option["variant_choices"]:
        counted += "; " + "; ".join(option["variant_choices"])
    label = {
        "udmoentning": f"Forslag til udmøntning for {option['plan_year']}",
        "indicative": f"Vejledende plan for {option['plan_year']}",
        "alternative": f"Alternativ: de frie midler til behov med start {option['plan_year']}",
    }[option.get("mode", "udmoentning")]
    rows = [(f"{label}: " + STRATEGY_LABELS[option["strategy"]].lower(), f"{counted}; {solved}", None)]
    if option.get("mode") != "indicative":
        now = option["decided_now"]
        rows.append((f"Udmøntes nu ({option['event']})", f"{fmt.tkr(sum(now.values()))} ({_per_pool(now)})", now))
    rows.append(
        (
            "I planen i alt, alle år (udmøntet og vejledende)",
            f"{fmt.tkr(sum(option['spent'].values()))} ({_per_pool(option['spent'])})",
            option["spent"],
        )
    )
    later = option.get("indicative")
    if later and sum(later.values()) > 0.5:
        rows.append(
            (
                f"Heraf vejledende: behov med start efter {option['plan_year']}, besluttes ved budgettet for startåret",
                f"{fmt.tkr(sum(later.values()))} ({_per_pool(later)})",
                later,
            )
        )
    rows.append(
        ("Ikke planlagt af rammen (hverken udmøntet eller vejledende)", _per_pool(option["unspent"]), option["unspent"])
    )
    case = option.get("business_case")
    if case:
        pays = f"tjent hjem i {case['payback_year']}" if case["payback_year"] else "tjener sig ikke hjem i levetiden"
        rows.append(
            (
                "Business case" + (" (antaget)" if case["assumed"] else ""),
                f"nutidsværdi {fmt.tkr(case['npv'])} (diskonteret til {case['npv_base_year']}), {pays}; afledt drift, "
                "som rammen ikke finansierer: "
                + fmt.and_list(
                    [f"{fmt.tkr(v)} i {y}" for y, v in case.get("running_inside", {}).items()]
                    + [f"{fmt.tkr(case['running_after'])} i {case['running_from']}"]
                )
                + (
                    f"; dobbeltdrift {fmt.tkr(case['dobbeltdrift'])} i alt, ikke udmøntet"
                    if case["dobbeltdrift"] > 0.5
                    else ""
                ),
                None,
            )
        )
    return rows


def report_summary(data: Dataset, event: str, year: int, option: dict | None, followed: Followup | None) -> Table:
    """Key figures in words and Danish numbers (1.000 kr.). ``option`` is the allocation
    page's key figures, or None when the report has no allocation page; ``followed`` the
    follow-up of the year (the OFS)."""
    rows: list[tuple[str, str, dict | None]] = []  # label, the page's text, the amounts per pool
    frame = data.frame.groupby("styringsomraade")["beloeb"].sum()
    years = f"{data.years[0]}–{data.years[-1]}"
    shown = f"{fmt.tkr(frame.sum())} ({_per_pool({p: frame.get(p, 0) for p in POOLS})})"
    if data.noted_price_year != data.price_year:
        noted = data.noted_frame.groupby("styringsomraade")["beloeb"].sum()
        shown += f" i {data.price_year} p/l; notatets {fmt.tkr(noted.sum())} i {data.noted_price_year} p/l"
    rows.append((f"Ramme {years}", shown, {p: float(frame.get(p, 0)) for p in POOLS}))
    if option is not None:
        rows += option_rows(option)
    if event == "OFS" and followed is not None:
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
        merforbrug = followed.investments_by_pool
        merforbrug = merforbrug[(merforbrug["year"] == year) & merforbrug["overspent"]]
        over = {
            p: float(
                (
                    merforbrug.loc[merforbrug["pool"] == p, "spent"]
                    - merforbrug.loc[merforbrug["pool"] == p, "available"]
                ).sum()
            )
            for p in POOLS
        }
        for label, amounts in (
            (f"Merforbrug {year} (investeringer, der brugte mere end rådigheden)", over),
            (f"Bundne midler, foreslået overført til {year + 1}", this_year["transfer_bound"]),
            (f"Frie midler {year}", this_year["free"]),
            (f"Foreslået tilbageført kassen fra {year}", this_year["returned"]),
        ):
            rows.append((label, _per_pool(amounts), {p: float(amounts[p]) for p in POOLS}))
        status = followed.indicators["status"].value_counts()
        counts = ", ".join(f"{BENEFIT_STATUS[s]} {int(status.get(s, 0))}" for s in BenefitStatus)
        rows.append(("Gevinstindikatorer", counts, None))
        rows.append(
            (
                "Dækning af gevinstopfølgning",
                f"{fmt.percent(followed.coverage)} af de finansierede investeringer",
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

    # the page shows each row in words; the Excel appendix holds the amounts as numbers
    def numbers(amounts: dict | None) -> list:
        if amounts is None:
            return [None] * (len(POOLS) + 1)
        return [sum(float(amounts[p]) for p in POOLS), *(float(amounts[p]) for p in POOLS)]

    appendix = pd.DataFrame(
        [[label, *numbers(amounts), text] for label, text, amounts in rows],
        columns=["", "I alt", *(POOL_LABELS[p] for p in POOLS), "På siden"],
    )
    return Table(
        pd.DataFrame([(label, text) for label, text, _amounts in rows], columns=["", "Værdi"]),
        caption="Sammenfatning",
        unit=unit(data.price_year),
        appendix=appendix,
        appendix_formats={c: "tkr" for c in ["I alt", *(POOL_LABELS[p] for p in POOLS)]},
    )
