"""The front page in KK's format: the resumé and indstilling (what is asked, what is decided
now and later, and who decides), the frame as the note's Tabel 2 and 3, the corrected
aftaletekst where the note disagrees with itself, the main finding in plain words, and the
risks. Built from the validated data and the figures the pages computed; it never solves."""

from __future__ import annotations

import pandas as pd

from analysis.inputs.contracts import ANLAEG, POOLS, SERVICE
from analysis.inputs.dataset import Dataset
from analysis.inputs.financing_frame import ClaimStatus, amounts
from analysis.inputs.register import counted_once
from analysis.model import cycle as calendar
from analysis.report import formats as fmt
from analysis.report.blocks import Table, Text
from analysis.report.vocabulary import TOTAL_ROWS, event_title, first_udmoentning, transfer_case

POOL_ROWS = {SERVICE: "Pulje til investeringer på servicerammen", ANLAEG: "Pulje til investeringer på anlægsrammen"}


def _years(years: list[int]) -> str:
    years = [str(y) for y in years]
    return years[0] if len(years) == 1 else ", ".join(years[:-1]) + " og " + years[-1]


def _pools(amounts) -> str:
    return ", ".join(f"{pool} {fmt.mio(v)}" for pool, v in amounts.items())


def stop_lines(state) -> list[str]:
    """The investments the event stops, each with what is given back per pool and what it
    had spent, said in the indstilling of the event that decides it."""
    from analysis.inputs.register import need_titles

    titles = need_titles(state.data.register)
    lines = []
    for stop in (s for s in state.stops if s.now):
        by_pool = {p: sum(v for (q, _y), v in stop.given_back.items() if q == p) for p in POOLS}
        years = sorted({y for _p, y in stop.given_back})
        span = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
        parts = fmt.mio_each({p: v for p, v in by_pool.items() if v > 0.5})
        lines.append(
            f"ØU stopper samtidig {stop.id} ({titles.get(stop.id, stop.id)}) fra {stop.first_year}: "
            f"{fmt.mio(sum(by_pool.values()))} ({parts}) i {span} gives tilbage til puljerne. Investeringen har "
            f"brugt {fmt.mio(stop.spent)} til og med {state.event.last_known_year()}; det brugte står, og det, der "
            "er bygget, beholder sin afledte drift og de gevinster, det giver."
        )
        left = sum(stop.left.values())
        if left > 0.5:
            before = stop.first_year - 1
            lines[-1] += (
                f" Det, den forventes ikke at bruge i {before} ({fmt.mio(left)}), overføres ikke til den, men går "
                f"tilbage til puljen ved {transfer_case(before)}."
            )
        lines[-1] += (
            " Det, der gives tilbage, står herefter i puljen som ikke udmøntet; det, der ikke udmøntes, "
            "tilbageføres kassen ved overførselssagen, medmindre ØU beslutter andet."
        )
    return lines


_EARLIER_YEARS = "; tidligere år på opfølgningssiden står i deres egen p/l."


def _has_earlier_years(state) -> bool:
    """Whether the follow-up page shows years before the event's own (each in its own p/l)."""
    return state.followup is not None and state.event.year > state.data.years[0]


def _ofs_request(state, figures, asked_by: str, where: str) -> tuple[str, list[str]]:
    """An OFS's indstilling: what ØU is asked to decide on the year's money (transfers, the
    free money, the closing's bound money) and the merforbrug it names."""
    from analysis.report.appropriations import request_text

    followed, the_event, years = state.followup, state.event, state.data.years
    year = the_event.year
    extra: list[str] = []
    this_year = followed.pools[followed.pools["year"] == year].set_index("pool") if followed is not None else None
    if this_year is not None:
        bound = {p: float(this_year.loc[p, "transfer_bound"]) for p in this_year.index}
        returned = {p: float(this_year.loc[p, "returned"]) for p in this_year.index}
        free = {p: float(this_year.loc[p, "free"]) for p in this_year.index}
        # an overførselssag goes to Borgerrepræsentationen on ØU's recommendation
        recommends = f"{asked_by} over for Borgerrepræsentationen (BR) anbefaler, at"
        if the_event.closing(years):
            held = {p: float(this_year.loc[p, "bound"]) for p in this_year.index}
            asked = (
                f"{recommends} der {where} tages stilling til de bundne midler ved rammens afslutning "
                f"({_pools(held)}): de kan kun overføres til {year + 1}, uden for rammen, ved en særskilt "
                f"beslutning, og at {fmt.mio(sum(returned.values()))} ({_pools(returned)}) tilbageføres kassen."
            )
        elif followed.rules.fund_from_free:
            decided = list(figures.decided) if figures is not None else []
            request = (
                request_text(decided, figures.plan_year, years) if figures is not None else ""
            ) or "udmønter intet"
            asked = (
                f"{recommends} de bundne midler, {fmt.mio(sum(bound.values()))} ({_pools(bound)}), {where} "
                f"overføres til de samme investeringer i {year + 1}, og at de frie midler, "
                f"{fmt.mio(sum(max(v, 0) for v in free.values()))}, bliver i puljen, hvoraf ØU {request}."
            )
        else:
            asked = (
                f"{recommends} de bundne midler, {fmt.mio(sum(bound.values()))} ({_pools(bound)}), {where} "
                f"overføres til de samme investeringer i {year + 1}, og at de frie midler, "
                f"{fmt.mio(sum(returned.values()))}, tilbageføres kassen"
                + (
                    " (puljens merforbrug ud over dens frie midler trækkes fra næste år)"
                    if any(v < 0 for v in free.values())
                    else ""
                )
                + ". Som alternativ viser afsnittet om forslaget til udmøntning, hvad de frie midler kunne "
                f"finansiere af åbne behov med start i {year + 1}."
            )
        from analysis.report.followup_page import merforbrug_lines

        extra = merforbrug_lines(followed)
        asks = [p for p in this_year.index if this_year.loc[p, "free_disposition"] == "ask_ou"]
        extra += [
            f"ØU bedes tage stilling til, hvordan merforbruget på {p} i {year} dækkes: "
            f"{fmt.mio(-float(this_year.loc[p, 'free']))}, som rammen ikke har et næste år at bære."
            for p in asks
        ]
    else:
        asked = (
            f"{asked_by} over for Borgerrepræsentationen (BR) anbefaler, at der {where} tages stilling til "
            "overførslen af rammens uforbrugte midler."
        )
    return asked, extra


def _new_investment_lines(state) -> list[str]:
    """What ØU decides on besides the amounts: each investment udmøntet now, with its
    nutidsværdi and the afledt drift it leaves after the frame (the register's assumptions
    where it says so)."""
    case = state.business_case
    if case is None:
        return []
    from analysis.model.business_case import Standing
    from analysis.report.business_case_page import assumes_economics

    now = [i for i in case.investments if i.standing == Standing.NOW]
    if not now:
        return []
    after = case.last_frame_year + 1
    parts = [
        f"{i.id} nutidsværdi {fmt.mio(i.npv)}"
        + (
            f" og afledt drift {fmt.mio(i.running)} om året, når den er gennemført, også efter rammen (fra {after})"
            if i.running > 0.5
            else ", ingen afledt drift"
        )
        for i in now
    ]
    assumed = " (antaget)" if assumes_economics(state.data.register) else ""
    return [
        f"Efter business casen{assumed}, i faste priser ({case.price_year or state.price_year} p/l) og diskonteret til "
        f"{case.base_year} med {fmt.percent(case.rate, 1)} om året: "
        + "; ".join(parts)
        + ". Den afledte drift finansieres ikke af rammen."
    ]


def resume(state, option: bool = True) -> Text:
    """Resumé and indstilling: what ØU is asked to approve, with its amounts; what is
    decided now and what later; who decides (from the event state's key figures and
    follow-up)."""
    from analysis.report.appropriations import request_text
    from analysis.report.vocabulary import describe_option

    data, the_event = state.data, state.event
    figures = state.key_figures if option else None
    event, year, years = the_event.kind, the_event.year, data.years
    note = data.note_frame if data.note_frame is not None else data.frame
    totals = amounts(note).sum(axis=1)
    frame_words = ", ".join(f"{fmt.mio(totals[y])} i {y}" for y in years)
    first = first_udmoentning(years)
    asked_by = "Økonomiforvaltningen (ØKF) indstiller, at Økonomiudvalget (ØU)"
    where = f"i {event_title(the_event)}" if event == "OFS" else f"ved {event_title(the_event)}"
    lines: list[str] = []
    extra: list[str] = []  # what the indstilling names besides its amounts: stops, merforbrug
    if the_event.indicative(years):
        asked = (
            f"{asked_by} ved {event_title(the_event)} afsætter finansieringsrammen og tager den vejledende plan til "
            f"efterretning. Rammen udmøntes første gang ved {event_title(first)} i foråret {years[0]}."
        )
        cycle = (
            "Hvad besluttes nu: rammen. Hvad besluttes senere: udmøntningen, første gang ved overførselssagen "
            f"{first.name[4:]}, derefter ved hvert budget; uforbrugte midler håndteres i overførselssagerne."
        )
    elif figures is not None and figures.mode == "udmoentning":
        request = request_text(list(figures.decided), figures.plan_year, years) or "udmønter intet af rammen"
        named = f" efter forslag {figures.recommended} ({describe_option(figures.result.options).lower()})"
        asked = (
            f"{asked_by} {where}{named} {request}, som bevillingsteknikken i afsnittet om forslaget til udmøntning "
            "viser."
        )
        extra = stop_lines(state) + _new_investment_lines(state)
        cycle = (
            f"Hvad besluttes nu: udmøntningen af de behov, der starter i {figures.plan_year}, med hele deres forløb. "
            "Investeringer, der allerede er udmøntet, står fast; behov med senere start er vejledende og besluttes "
            "ved budgettet for deres startår. Uforbrugte midler håndteres i overførselssagen, der ikke genåbner "
            "budgettets udmøntning."
        )
    else:
        asked, extra = _ofs_request(state, figures, asked_by, where)
        cycle = (
            f"Hvad besluttes nu: overførslen fra {year} til {year + 1}: hver investerings bundne midler overføres "
            f"til den; de frie midler tilbageføres kassen, medmindre ØU beslutter andet. Budget {year + 1}'s "
            "udmøntning genåbnes ikke."
            if not the_event.closing(years)
            else f"Hvad besluttes nu: rammens afslutning. Rammen løber til og med {years[-1]}; der udmøntes ikke mere."
        )
    lines += [
        asked,
        *extra,
        f"Rammen er afsat i budgetnotatet ØK74: {frame_words} ({data.note_price_year or data.price_year} p/l), på "
        "bevilling 1112 Fælles rammepuljer (service) og 3123 Fælles anlægspuljer (anlæg) under ØU. Rapportens "
        f"øvrige beløb er i {data.price_year} p/l" + (_EARLIER_YEARS if _has_earlier_years(state) else "."),
        cycle,
        "Hvem beslutter: ØKF indhenter forvaltningernes behov; kommunens kreds af it-ansvarlige direktører "
        "foretager den indledende prioritering; ØU udmønter."
        + (" Overførselssagen går fra ØU til Borgerrepræsentationen." if event == "OFS" else ""),
    ]
    return Text(lines, heading="Resumé og indstilling")


def frame_tables(data: Dataset) -> Table:
    """The frame as in the note's Tabel 2 (service) and Tabel 3 (anlæg), with their totals,
    in the note's own price level."""
    note = data.note_frame if data.note_frame is not None else data.frame
    price_year = data.note_price_year or data.price_year
    wide = amounts(note)
    years = [str(y) for y in wide.index]
    rows = []
    for pool in POOLS:
        sub = note[note["styringsomraade"] == pool]
        bevilling = "; ".join(sorted(set(sub["bevilling"].dropna()))) or fmt.DASH
        udvalg = "; ".join(sorted(set(sub["udvalg"].dropna()))) or fmt.DASH
        values = [float(wide.loc[int(y), pool]) for y in years]
        rows.append([POOL_ROWS[pool], udvalg, bevilling, "U", *values, sum(values)])
        rows.append([TOTAL_ROWS[pool], "", "", "", *values, sum(values)])
    totals = [float(wide.loc[int(y)].sum()) for y in years]
    rows.append([TOTAL_ROWS["i alt"], "", "", "", *totals, sum(totals)])
    columns = [f"1.000 kr., {price_year} p/l", "Udvalg", "Bevilling", "Indtægt/udgift", *years, "I alt"]
    return Table(
        pd.DataFrame(rows, columns=columns),
        caption="Finansieringsrammen som i notatets Tabel 2 (service) og Tabel 3 (anlæg)",
        unit=f"1.000 kr., {price_year} p/l",
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


def aftaletekst(data: Dataset, event: calendar.Event | None = None) -> Text | None:
    """Where the agreement text disagrees with the tables. Before the budget agreement (no
    ``event``, or the budget of the frame's first year) the text as it should read; once it is
    agreed (the first udmøntning, OFS 25/26) the agreed text is not reworded: the page says
    that the appropriation tables govern. A later ``event`` does not repeat it."""
    if data.claims is None:
        return None
    if event is not None and event.when > first_udmoentning(data.years).when:
        return None
    off = data.claims[
        (data.claims["afsnit"] == "Forslag til aftaletekst") & (data.claims["status"] != ClaimStatus.AGREES)
    ]
    if off.empty:
        return None
    wide = amounts(data.note_frame if data.note_frame is not None else data.frame)
    agreed = event is not None and event.when > calendar.Event(calendar.BUDGET, data.years[0]).when
    lines = []
    for pool in [p for p in POOLS if p in set(off["styringsomraade"])]:
        quote = off[off["styringsomraade"] == pool]["citat"].iloc[0]
        corrected = _amount_phrase({int(y): float(wide.loc[y, pool]) for y in wide.index}, pool)
        if agreed:
            lines.append(
                f'Den aftalte tekst siger "{quote}", notatets tabeller "{corrected}." Bevillingen følger '
                "tabellerne (Tabel 2 og 3 med bevilling 1112 og 3123), og rapporten regner med dem; den aftalte "
                "tekst ændres ikke."
            )
        else:
            lines.append(f'I stedet for "{quote}" foreslås: "{corrected}." (som notatets tabeller).')
    if agreed:
        return Text(lines, heading="Aftaleteksten og bevillingstabellerne", kind="warning")
    return Text(lines, heading="Forslag til rettelse af aftaleteksten", kind="warning")


def main_finding(data: Dataset) -> Text:
    """Needs against the frame, in plain words, with the caveats."""
    once = counted_once(data.register)
    frame_total = float(data.frame["beloeb"].sum())
    missing = data.register[~data.register["har_estimat"]]
    low, mid, high = (float(once[c].sum()) for c in ("omkostning_min", "omkostning_forventet", "omkostning_max"))
    share, share_high = mid / frame_total, high / frame_total
    used = (
        "knap halvdelen af rammen"
        if 0.4 <= share < 0.5
        else "under halvdelen af rammen"
        if share < 0.5
        else "over halvdelen af rammen"
        if share < 1
        else "mere end hele rammen"
    )
    rest = " Resten af rammen er endnu ikke bundet til et kendt behov." if share < 1 else ""
    lines = [
        f"De behov, der har et estimat, koster {fmt.mio_range(low, high)} (forventet {fmt.mio(mid)}), mod en ramme "
        f"på {fmt.mio(frame_total)} over årene {data.years[0]}–{data.years[-1]}. En variantgruppe tæller én gang, "
        "med spændet fra den billigste til den dyreste variant.",
        f"De kendte behov bruger dermed {used} ved den forventede omkostning ({fmt.percent(share)}) og "
        f"{fmt.percent(share_high)} ved den højeste (hvert behov til sit maksimum, den dyreste variant).{rest}",
        f"Forbehold: {fmt.count(len(missing), 'behov', 'behov')} har endnu intet estimat ("
        + ", ".join(missing["titel"])
        + "). Notatet nævner også mulige investeringer i Styrket Borgerservice og ændringer, når de kommunale "
        "it-servicecentre etableres; de er ikke prissat. Omkostningerne er foreløbige og skal kvalificeres.",
        *missing_from_register(data.register),
    ]
    return Text(lines)


# Investments the note says are expected but lists no need for: (its words, what to look
# for in the register's titles and descriptions)
NOTED_WITHOUT_NEED = (
    (
        "styrkelse af de digitale redskaber, som medarbejdere bruger (PC, mobiltelefon, tablet, print mv.)",
        ("digitale redskaber", "pc", "mobiltelefon", "tablet"),
    ),
)


def missing_from_register(register: pd.DataFrame) -> list[str]:
    """Lines for what the note expects to invest in that no need in the register covers."""
    text = " ".join(register["titel"].fillna("") + " " + register["beskrivelse"].fillna("")).lower()
    lines = []
    for words_in_note, keys in NOTED_WITHOUT_NEED:
        if not any(f" {key}" in f" {text}" for key in keys):
            lines.append(
                f"Notatet forventer også investeringer i {words_in_note}, men nævner intet konkret behov, og "
                "registeret har ingen række for det; det er hverken prissat eller med i forslagene."
            )
    return lines


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
                f"{fmt.mio(costs[-1])}; valget binder en stor del af anlægsrammen"
                + (
                    f" (med den antagne andel anlæg på {fmt.percent(members['andel_anlaeg'].max())})."
                    if "andel_anlaeg" in {f for fs in members["antagelser"] for f in fs}
                    else "."
                )
            )
    if data.ranges is not None:
        for claim in data.ranges[data.ranges["status"] != ClaimStatus.AGREES].itertuples(index=False):
            if claim.status == ClaimStatus.TWO_READINGS:
                lines.append(
                    f"{claim.citat.split('(')[0].strip()}: {fmt.mio_range(claim.register_min, claim.register_max)} "
                    f"for alle {len(claim.behov)} delposter; overskriftens "
                    f"{fmt.mio_range(claim.omkostning_min, claim.omkostning_max)} går fra {claim.alone} alene til "
                    "dem alle. Spændet er bredt."
                )
                continue
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
