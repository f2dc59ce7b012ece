"""The front page in KK's format: the resumé and indstilling (what is asked, what is decided
now and later, and who decides), the frame as the note's Tabel 2 and 3, the corrected
aftaletekst where the note disagrees with itself, the main finding in plain words, and the
risks. Built from the validated data and the figures the pages computed; it never solves."""

from __future__ import annotations

import pandas as pd

from analysis.inputs.contracts import ANLAEG, POOLS, SERVICE
from analysis.inputs.dataset import Dataset
from analysis.inputs.financing_frame import ClaimStatus, amounts
from analysis.model import cycle as calendar
from analysis.report import formats as fmt
from analysis.report.blocks import Table, Text
from analysis.report.register_page import counted_once
from analysis.report.vocabulary import TOTAL_ROWS, transfer_case

POOL_ROWS = {SERVICE: "Pulje til investeringer på servicerammen", ANLAEG: "Pulje til investeringer på anlægsrammen"}


def _years(years: list[int]) -> str:
    years = [str(y) for y in years]
    return years[0] if len(years) == 1 else ", ".join(years[:-1]) + " og " + years[-1]


def resume(data: Dataset, event: str, year: int, option: dict | None) -> Text:
    """Resumé and indstilling: what is asked, what is decided now and what later, who decides."""
    years = data.years
    totals = amounts(data.frame).sum(axis=1)
    frame_words = ", ".join(f"{fmt.mio(totals[y])} i {y}" for y in years)
    planned = calendar.plan_year(event, year, years)
    plan_year = option["plan_year"] if option else planned
    # the OFS after the frame's last year has no allocation page: nothing is left to allocate
    closing = option is None and planned is None
    cycle = (
        "Hvad besluttes nu: udmøntningen for planåret. Investeringer, der allerede er sat i gang, står fast; kun "
        "de åbne behov besluttes. Hvad besluttes senere: planen opdateres hvert år. Første udmøntning var ved "
        "overførselssagen 25/26 (OFS); derefter udmøntes rammen årligt ved budgettet, og uforbrugte midler "
        "overføres i overførselssagen."
    )
    if closing:
        asked = (
            f"Økonomiforvaltningen (ØKF) indstiller, at Økonomiudvalget (ØU) i {transfer_case(year)} tager "
            f"stilling til overførslen af rammens uforbrugte midler fra {year} til {year + 1} pr. styringsområde. "
            f"Rammen løber til og med {years[-1]}, så der er ikke flere rammeår at udmønte."
        )
        cycle = (
            "Hvad besluttes nu: overførslen af rammens uforbrugte midler. Der udmøntes ikke mere af rammen; "
            "investeringerne følges op, som afsnittet om effektopfølgning viser. Første udmøntning var ved "
            "overførselssagen 25/26 (OFS); derefter blev rammen udmøntet årligt ved budgettet."
        )
    elif event == "OFS":
        asked = (
            f"Økonomiforvaltningen (ØKF) indstiller, at Økonomiudvalget (ØU) i {transfer_case(year)} tager "
            f"stilling til overførslen af rammens uforbrugte midler fra {year} til {year + 1} pr. styringsområde, "
            f"og at ØU udmønter rammen for {plan_year} efter forslaget til udmøntning."
        )
    else:
        asked = (
            f"Økonomiforvaltningen (ØKF) indstiller, at Økonomiudvalget (ØU) ved Budget {year} udmønter "
            f"finansieringsrammen for {plan_year} til konkrete digitale investeringer efter forslaget til udmøntning."
        )
    return Text(
        [
            asked,
            f"Rammen er afsat i budgetnotatet ØK74: {frame_words} (2026 p/l), på bevilling 1112 Fælles rammepuljer "
            "(service) og 3123 Fælles anlægspuljer (anlæg) under ØU.",
            cycle,
            "Hvem beslutter: ØKF indhenter forvaltningernes behov; kommunens kreds af it-ansvarlige direktører "
            "foretager den indledende prioritering; ØU udmønter.",
        ],
        heading="Resumé og indstilling",
    )


def frame_tables(data: Dataset) -> Table:
    """The frame as in the note's Tabel 2 (service) and Tabel 3 (anlæg), with their totals."""
    wide = amounts(data.frame)
    years = [str(y) for y in wide.index]
    rows = []
    for pool in POOLS:
        sub = data.frame[data.frame["styringsomraade"] == pool]
        bevilling = "; ".join(sorted(set(sub["bevilling"].dropna()))) or fmt.DASH
        udvalg = "; ".join(sorted(set(sub["udvalg"].dropna()))) or fmt.DASH
        values = [float(wide.loc[int(y), pool]) for y in years]
        rows.append([POOL_ROWS[pool], udvalg, bevilling, "U", *values, sum(values)])
        rows.append([TOTAL_ROWS[pool], "", "", "", *values, sum(values)])
    totals = [float(wide.loc[int(y)].sum()) for y in years]
    rows.append([TOTAL_ROWS["i alt"], "", "", "", *totals, sum(totals)])
    columns = [f"1.000 kr., {data.price_year} p/l", "Udvalg", "Bevilling", "Indtægt/udgift", *years, "I alt"]
    return Table(
        pd.DataFrame(rows, columns=columns),
        caption="Finansieringsrammen som i notatets Tabel 2 (service) og Tabel 3 (anlæg)",
        unit=f"1.000 kr., {data.price_year} p/l",
        formats={c: "tkr" for c in [*years, "I alt"]},
        row_classes=["" if k % 2 == 0 and k < 4 else "total" for k in range(len(rows))],
    )


def _amount_phrase(by_year: dict[int, float], pool: str) -> str:
    """``5 mio. kr. i 2026, 10 mio. kr. i 2027 og 15 mio. kr. i 2028 og 2029 på anlæg``."""
    groups: list[tuple[float, list[int]]] = []
    for y, value in by_year.items():
        if groups and groups[-1][0] == value:
            groups[-1][1].append(y)
        else:
            groups.append((value, [y]))
    parts = [f"{fmt.mio(value)} i {_years(ys)}" for value, ys in groups]
    joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " og " + parts[-1]
    return f"{joined} på {pool}"


def aftaletekst(data: Dataset) -> Text | None:
    """Where the agreement text disagrees with the tables: the text as it should read."""
    if data.claims is None:
        return None
    off = data.claims[
        (data.claims["afsnit"] == "Forslag til aftaletekst") & (data.claims["status"] != ClaimStatus.AGREES)
    ]
    if off.empty:
        return None
    wide = amounts(data.frame)
    lines = []
    for pool in [p for p in POOLS if p in set(off["styringsomraade"])]:
        quote = off[off["styringsomraade"] == pool]["citat"].iloc[0]
        corrected = _amount_phrase({int(y): float(wide.loc[y, pool]) for y in wide.index}, pool)
        lines.append(f'I stedet for "{quote}" foreslås: "{corrected}." (som notatets tabeller).')
    return Text(lines, heading="Forslag til rettelse af aftaleteksten", kind="warning")


def main_finding(data: Dataset) -> Text:
    """Needs against the frame, in plain words, with the caveats."""
    once = counted_once(data.register)
    frame_total = float(data.frame["beloeb"].sum())
    missing = data.register[~data.register["har_estimat"]]
    low, mid, high = (float(once[c].sum()) for c in ("omkostning_min", "omkostning_forventet", "omkostning_max"))
    lines = [
        f"De behov, der har et estimat, koster {fmt.mio_range(low, high)} (forventet {fmt.mio(mid)}), mod en ramme "
        f"på {fmt.mio(frame_total)} over årene {data.years[0]}–{data.years[-1]}. En variantgruppe tæller én gang, "
        "med spændet fra den billigste til den dyreste variant.",
        f"Forbehold: {fmt.count(len(missing), 'behov', 'behov')} har endnu intet estimat ("
        + ", ".join(missing["titel"])
        + "). Notatet nævner også mulige investeringer i Styrket Borgerservice og ændringer, når de kommunale "
        "it-servicecentre etableres; de er ikke prissat. Omkostningerne er foreløbige og skal kvalificeres.",
    ]
    return Text(lines)


def risks(data: Dataset) -> Text:
    """A short risk section, from the data where it can be."""
    reg = data.register
    lines = []
    for _group, members in reg[reg["variantgruppe"].notna()].groupby("variantgruppe"):
        costs = sorted(members["omkostning_forventet"].dropna())
        name = members["titel"].iloc[0].split(" – ")[0]
        if costs:
            lines.append(
                f"Omfanget af {name}: varianterne koster fra {fmt.mio(costs[0])} til "
                f"{fmt.mio(costs[-1])}; valget binder en stor del af anlægsrammen."
            )
    if data.ranges is not None:
        for claim in data.ranges[data.ranges["status"] != ClaimStatus.AGREES].itertuples(index=False):
            lines.append(
                f"{claim.citat.split('(')[0].strip()}: notatets overskrift siger "
                f"{fmt.mio_range(claim.omkostning_min, claim.omkostning_max)}, delposterne "
                f"{fmt.mio_range(claim.register_min, claim.register_max)}; spændet er bredt."
            )
    missing = reg[~reg["har_estimat"]]
    if len(missing):
        lines.append(f"Behov uden estimat ({', '.join(missing['id'])}) kan ikke finansieres, før de er prissat.")
    lines += [
        "De kommunale it-servicecentre (Økonomiaftalen for 2026) kan ændre investeringsbehovene.",
        "Dobbeltdrift: i en overgang kan rammen skulle betale både gamle og nye systemer.",
        "Automatiseringsplatformen: udgiften afhænger af omfanget af anvendelsesbaseret afregning med "
        "forvaltningerne (2,5–10 mio. kr. i notatet).",
    ]
    service_share = float(data.frame.loc[data.frame["styringsomraade"] == SERVICE, "beloeb"].sum())
    service_share /= float(data.frame["beloeb"].sum())
    lines.append(
        f"Serviceramme: {fmt.percent(service_share)} af rammen er service; en overførsel af service belaster næste "
        "års serviceramme."
    )
    return Text(lines, bullets=True)
