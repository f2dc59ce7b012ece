"""The summary that opens a report's index page: the frame, what is funded, unspent money
per pool, needs funded and left out, and follow-up status counts."""

from __future__ import annotations

import pandas as pd

from analysis import allocation, fmt, followup
from analysis.dataset import Dataset
from analysis.display import Table
from analysis.frame import POOL_LABELS, POOLS


def report_summary(data: Dataset, event: str, year: int) -> Table:
    """Key figures in words and Danish numbers (1.000 kr.)."""
    rows: list[tuple[str, str]] = []
    frame = data.frame.groupby("styringsomraade")["beloeb"].sum()
    years = f"{data.years[0]}–{data.years[-1]}"
    rows.append(
        (
            f"Ramme {years}",
            f"{fmt.tkr(frame.sum())} ("
            + ", ".join(f"{POOL_LABELS[p].lower()} {fmt.tkr(frame.get(p, 0))}" for p in POOLS)
            + ")",
        )
    )
    option = allocation.allocate(data.register, data.frame, allocation.Options(explain=False))
    if option.status in ("optimal", "time_limit"):
        left_out = len(data.register) - len(option.selected)
        no_estimate = int((~data.register["har_estimat"]).sum())
        solved = (
            "og bevist optimalt"
            if option.status == "optimal"
            else "til tidsgrænsen, gap " + fmt.percent(option.mip_gap or 0, 2)
        )
        rows.append(
            (
                "Forslag: " + allocation.STRATEGY_LABELS[option.options.strategy].lower(),
                f"{len(option.selected)} behov finansieret, {left_out} ikke "
                f"(heraf {no_estimate} uden estimat); løst {solved}",
            )
        )
        spent = option.spending().sum()
        unspent = option.unspent().iloc[-1]
        rows.append(
            (
                "Forslagets forbrug i alt",
                f"{fmt.tkr(spent.sum())} ({', '.join(f'{POOL_LABELS[p].lower()} {fmt.tkr(spent[p])}' for p in POOLS)})",
            )
        )
        rows.append(
            (
                "Uforbrugt i forslaget ved rammens udløb",
                ", ".join(f"{POOL_LABELS[p].lower()} {fmt.tkr(unspent[p])}" for p in POOLS),
            )
        )
    else:
        rows.append(("Forslag", f"ingen løsning: {option.message}"))
    if event == "OFS" and data.followup is not None:
        pools = followup.pools(data.frame, data.followup, year)
        this_year = pools[pools["year"] == year].set_index("pool")
        rows.append(
            (
                f"Forbrug {year}",
                ", ".join(
                    f"{POOL_LABELS[p].lower()} {fmt.tkr(this_year.loc[p, 'spent'])} af "
                    f"{fmt.tkr(this_year.loc[p, 'frame'] + this_year.loc[p, 'transfer_in'])}"
                    for p in POOLS
                ),
            )
        )
        rows.append(
            (
                f"Foreslået overført til {year + 1}",
                ", ".join(f"{POOL_LABELS[p].lower()} {fmt.tkr(this_year.loc[p, 'transfer_out'])}" for p in POOLS),
            )
        )
        status = followup.indicators(data.followup, year)["status"].value_counts()
        rows.append(
            (
                "Gevinstindikatorer",
                ", ".join(
                    f"{s} {int(status.get(s, 0))}"
                    for s in (followup.ON_TRACK, followup.AT_RISK, followup.OFF_TRACK, followup.NO_MEASUREMENT)
                ),
            )
        )
        share, _ = followup.coverage(data.followup, year)
        rows.append(("Dækning af gevinstopfølgning", f"{fmt.percent(share)} af de finansierede investeringer"))
    assumed = int((data.register["antagelser"].map(len) > 0).sum())
    if assumed:
        rows.append(
            (
                "Antagelser",
                f"{assumed} af {len(data.register)} behov har felter, der er antagelser og ikke notatets tal "
                "(se afsnittet om behovsregisteret)",
            )
        )
    if data.followup is not None:
        sources = pd.concat(
            [
                t.get("kilde", pd.Series(dtype=object))
                for t in (data.followup.bevillinger, data.followup.forbrug, data.followup.gevinster)
            ]
        )
        if sources.fillna("").str.contains("illustrativ", case=False).any():
            rows.append(("Opfølgningsdata", "illustrative eksempler, ikke kommunens tal"))
    return Table(
        pd.DataFrame(rows, columns=["", "Værdi"]), caption="Sammenfatning", unit=f"1.000 kr., {data.price_year} p/l"
    )
