"""Page 01, the register and the frame: its tables and texts, as :mod:`analysis.report.blocks` objects.

Each function takes validated tables (see :mod:`analysis.inputs.dataset`) and returns what a
reader sees; none reads files or computes a result of its own.
"""

from __future__ import annotations

import pandas as pd

from analysis.inputs.contracts import ANLAEG, POOLS, REGISTER_COLUMNS, TOTAL
from analysis.inputs.financing_frame import ClaimStatus, amounts
from analysis.inputs.findings import Finding
from analysis.inputs.register import counted_once
from analysis.report import formats as fmt
from analysis.report import vocabulary as words
from analysis.report.blocks import Table, Text
from analysis.report.vocabulary import CLAIM_STATUS, FIELD_LABELS, POOL_LABELS, TOTAL_ROWS, assumed_fields, mark, unit


def frame_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame laid out as in the note: one row per pool plus I alt, one column per year
    plus I alt. Numbers in 1.000 kr."""
    wide = amounts(frame).T
    wide.loc[TOTAL] = wide.sum()
    wide["I alt"] = wide.sum(axis=1)
    wide.index = [POOL_LABELS[p] if p != TOTAL else TOTAL_ROWS[TOTAL] for p in wide.index]
    wide.columns = [str(c) for c in wide.columns]
    return wide


def appropriations(frame: pd.DataFrame) -> pd.DataFrame:
    """Bevilling and udvalg per pool, as stated in the frame file."""
    rows = []
    for pool in POOLS:
        sub = frame[frame["styringsomraade"] == pool]
        rows.append(
            {
                "Styringsområde": POOL_LABELS[pool],
                "Bevilling": "; ".join(sorted(set(sub["bevilling"].dropna()))) or "–",
                "Udvalg": "; ".join(sorted(set(sub["udvalg"].dropna()))) or "–",
            }
        )
    return pd.DataFrame(rows)


def frame_overview(frame: pd.DataFrame, price_year: int) -> Table:
    """The frame as in the note's Tabel 1: pools and I alt by year."""
    wide = frame_table(frame)
    return Table(
        wide,
        caption="Finansieringsramme pr. styringsområde",
        unit=unit(price_year),
        formats={c: "tkr" for c in wide.columns},
        index=True,
    )


def frame_appropriations(frame: pd.DataFrame) -> Table:
    return Table(appropriations(frame), caption="Bevilling og udvalg pr. styringsområde")


def prose_check(claims: pd.DataFrame | None, price_year: int) -> Table:
    """Every amount stated in the note's prose next to the tables' amount."""
    if claims is None:
        claims = pd.DataFrame(columns=["afsnit", "aar", "styringsomraade", "beloeb", "tabel", "status"])
    data = pd.DataFrame(
        {
            "Afsnit": claims["afsnit"],
            "År": claims["aar"].astype(int),
            "Styringsområde": [POOL_LABELS.get(p, p) for p in claims["styringsomraade"]],
            "Teksten siger": claims["beloeb"],
            "Tabellerne siger": claims["tabel"],
            "Status": [CLAIM_STATUS[ClaimStatus(s)] for s in claims["status"]],
        }
    )
    return Table(
        data,
        caption="Beløb i notatets tekst sammenholdt med notatets tabeller",
        unit=unit(price_year),
        formats={"År": "year", "Teksten siger": "tkr", "Tabellerne siger": "tkr"},
        note="Tabellerne er autoritative; rammen i rapporten følger dem.",
    )


def prose_summary(claims: pd.DataFrame | None, ranges: pd.DataFrame | None = None, remarks=None) -> Text:
    """Plain words on where the note disagrees with itself: amounts in its prose against its
    tables, cost ranges it states against the needs it lists, and remarks read off it."""
    if claims is None:
        return Text(["Notatets tekst er ikke tjekket: der er ingen fil med tekstens beløb."], kind="warning")
    off = claims[claims["status"] != ClaimStatus.AGREES]
    lines, two_ways = [], []
    for (section, quote), group in off.groupby(["afsnit", "citat"], sort=False, dropna=False):
        details = []
        for claim in group.itertuples(index=False):
            pool = POOL_LABELS.get(claim.styringsomraade, claim.styringsomraade).lower()
            if claim.status == ClaimStatus.DISAGREES:
                details.append(
                    f"{pool} {claim.aar}: teksten {fmt.mio(claim.beloeb)}, tabellerne {fmt.mio(claim.tabel)}"
                )
            else:
                details.append(
                    f"{pool} {claim.aar}: {fmt.mio(claim.beloeb)} i teksten, men {claim.aar} findes ikke i tabellerne"
                )
        quoted = f' ("{quote}")' if isinstance(quote, str) else ""
        sentence = f"{section}{quoted}: " + "; ".join(details)
        lines.append(sentence if sentence.endswith(".") else sentence + ".")
    if ranges is not None:
        for claim in ranges[ranges["status"] != ClaimStatus.AGREES].itertuples(index=False):
            stated = fmt.mio_range(claim.omkostning_min, claim.omkostning_max)
            found = fmt.mio_range(claim.register_min, claim.register_max)
            if claim.status == ClaimStatus.TWO_READINGS:
                two_ways.append(f'{claim.afsnit} ("{claim.citat}"): {words.two_readings_text(claim)}.')
                continue
            lines.append(
                f'{claim.afsnit} ("{claim.citat}"): overskriften siger {stated}, men delposterne '
                f"{', '.join(claim.behov)} giver tilsammen {found}"
            )
    if remarks is not None:
        lines += [f"{r.afsnit}: {r.bemaerkning}" for r in remarks.itertuples(index=False)]
    if not lines and not two_ways:
        return Text(["Alle beløb i notatets tekst stemmer med tabellerne."], kind="ok")
    if not lines:
        return Text(two_ways, bullets=True, heading="Notatet kan læses på to måder:")
    heading = "Notatet afviger fra sig selv" + (" eller kan læses på to måder:" if two_ways else ":")
    return Text(lines + two_ways, bullets=True, heading=heading, kind="warning")


def _range_text(row) -> str:
    """A cost range in 1.000 kr., like the table's other amounts."""
    if pd.isna(row.omkostning_min) and pd.isna(row.omkostning_max):
        return "intet estimat"
    if row.omkostning_min == row.omkostning_max:
        return fmt.tkr(row.omkostning_min)
    return f"{fmt.tkr(row.omkostning_min)}–{fmt.tkr(row.omkostning_max)}"


def needs(register: pd.DataFrame, price_year: int) -> Table:
    """Every need, by area, with its cost range."""
    ordered = register.sort_values(["omraade", "id"], kind="stable")
    data = pd.DataFrame(
        {
            "Område": ordered["omraade"],
            "Id": ordered["id"],
            "Behov": ordered["titel"],
            "Omkostning": [_range_text(r) for r in ordered.itertuples(index=False)],
            "Forventet": ordered["omkostning_forventet"],
            "Andel anlæg": ordered["andel_anlaeg"],
            "Variantgruppe": ordered["variantgruppe"].fillna(fmt.DASH),
            "Forudsætter": [", ".join(d) or fmt.DASH for d in ordered["forudsaetter"]],
            "Prioritet": ordered["prioritet"],
        }
    )
    assumed = assumed_fields(register)
    share, rank = mark("Andel anlæg", ("andel_anlaeg",), assumed), mark("Prioritet", ("prioritet",), assumed)
    data = data.rename(columns={"Andel anlæg": share, "Prioritet": rank})
    # the Excel appendix holds the range as two numbers, not as the page's text
    appendix = data.drop(columns="Omkostning")
    appendix.insert(3, "Min", list(ordered["omkostning_min"]))
    appendix.insert(5, "Max", list(ordered["omkostning_max"]))
    return Table(
        data,
        caption="Behov efter område",
        unit=unit(price_year),
        formats={"Forventet": "tkr", share: "pct", rank: "int"},
        appendix=appendix.reset_index(drop=True),
        appendix_formats={"Min": "tkr", "Forventet": "tkr", "Max": "tkr", share: "pct", rank: "int"},
        note="Forventet omkostning er midtpunktet mellem min og max, når registeret ikke angiver andet.",
    )


def area_totals(register: pd.DataFrame, frame: pd.DataFrame, price_year: int) -> Table:
    """Cost ranges summed by area, and the total against the frame."""
    once = counted_once(register)
    sums = once.groupby("omraade")[["omkostning_min", "omkostning_forventet", "omkostning_max"]].sum()
    # a variant group is one need in the counts too (with an estimate when any variant has one)
    need_key = register["variantgruppe"].where(register["variantgruppe"].notna(), register["id"])
    needs_once = register.assign(_need=need_key).groupby(["omraade", "_need"])["har_estimat"].any().reset_index()
    counts = needs_once.groupby("omraade").agg(behov=("_need", "size"), med_estimat=("har_estimat", "sum"))
    data = counts.join(sums)  # an area with no estimate keeps empty amounts, shown as –
    data.loc["I alt"] = data.sum(min_count=1)
    data = data.reset_index().rename(
        columns={
            "omraade": "Område",
            "behov": "Behov",
            "med_estimat": "Med estimat",
            "omkostning_min": "Min",
            "omkostning_forventet": "Forventet",
            "omkostning_max": "Max",
        }
    )
    frame_total = float(frame["beloeb"].sum())
    return Table(
        data,
        caption="Behov og omkostninger pr. område",
        unit=unit(price_year),
        formats={"Behov": "int", "Med estimat": "int", "Min": "tkr", "Forventet": "tkr", "Max": "tkr"},
        note=(
            "I beløbene tæller en variantgruppe én gang, med spændet fra den billigste til den dyreste "
            "variant (forventet: medianen), og som ét behov i antallet. Behov uden estimat tæller med i antal, "
            "ikke i beløb. "
            f"Hele rammen er {fmt.tkr(frame_total)} (1.000 kr.)."
        ),
    )


def variant_groups(register: pd.DataFrame, frame: pd.DataFrame, price_year: int) -> Table:
    """Each variant group's members: cost and the anlæg part against the anlæg frame."""
    members = register[register["variantgruppe"].notna()].sort_values(["variantgruppe", "omkostning_forventet"])
    anlaeg_total = float(frame.loc[frame["styringsomraade"] == ANLAEG, "beloeb"].sum())
    data = pd.DataFrame(
        {
            "Variantgruppe": members["variantgruppe"],
            "Id": members["id"],
            "Variant": members["titel"],
            "Forventet": members["omkostning_forventet"],
            "Andel anlæg": members["andel_anlaeg"],
            "Heraf anlæg": members["omkostning_forventet"] * members["andel_anlaeg"],
            "Andel af anlægsrammen": members["omkostning_forventet"] * members["andel_anlaeg"] / anlaeg_total,
        }
    )
    share = mark("Andel anlæg", ("andel_anlaeg",), assumed_fields(register))
    data = data.rename(columns={"Andel anlæg": share})
    return Table(
        data,
        caption="Variantgrupper: højst én variant kan vælges",
        unit=unit(price_year),
        formats={"Forventet": "tkr", share: "pct", "Heraf anlæg": "tkr", "Andel af anlægsrammen": "pct"},
        note=f"Anlægsrammen er {fmt.tkr(anlaeg_total)} (1.000 kr.) over alle år tilsammen.",
    )


def missing_estimates(register: pd.DataFrame) -> Table:
    rows = register[~register["har_estimat"]]
    data = pd.DataFrame(
        {
            "Id": rows["id"],
            "Område": rows["omraade"],
            "Behov": rows["titel"],
            "Forudsætter": [", ".join(d) or fmt.DASH for d in rows["forudsaetter"]],
            "Kilde": rows["kilde"].fillna(fmt.DASH),
        }
    )
    return Table(
        data,
        caption="Behov uden estimat",
        note="Behovene er med i registeret, men kan ikke indgå i allokeringen, før de har et beløb.",
    )


def by_forvaltning(register: pd.DataFrame, price_year: int) -> Table:
    """What each forvaltning submitted, and which of its needs still lack an estimate (whom
    the analyst chases before the IT directors prioritise)."""
    who = register["forvaltning"].fillna("(ikke angivet)")
    rows = []
    for name, group in register.groupby(who, sort=True):
        lacking = group.loc[~group["har_estimat"], "id"]
        rows.append(
            {
                "Forvaltning": name,
                "Behov": len(group),
                "Med estimat": int(group["har_estimat"].sum()),
                "Forventet": float(counted_once(group)["omkostning_forventet"].sum()),
                "Mangler estimat": ", ".join(lacking) or fmt.DASH,
            }
        )
    data = pd.DataFrame(rows, columns=["Forvaltning", "Behov", "Med estimat", "Forventet", "Mangler estimat"])
    # in the shipped register the forvaltning is itself an assumption: say so in the header
    data = data.rename(columns={"Forvaltning": mark("Forvaltning", ["forvaltning"], assumed_fields(register))})
    return Table(
        data,
        caption="Indmeldt pr. forvaltning",
        unit=unit(price_year),
        formats={"Behov": "int", "Med estimat": "int", "Forventet": "tkr"},
        note=(
            "Forventet: summen af de indmeldte behovs forventede omkostning; en variantgruppe tæller én gang, med "
            "medianen af varianterne, som i tabellen pr. område. "
            "Mangler estimat: behovene, forvaltningen skal rykkes for."
        ),
    )


def noted_without_need(register: pd.DataFrame) -> Text:
    """What the note expects to invest in that no need in the register covers."""
    from analysis.report.front_page import missing_from_register

    lines = missing_from_register(register)
    if not lines:
        return Text(["Alt, notatet forventer at investere i, har et behov i registeret."], kind="ok")
    return Text(lines, kind="warning")


def potentials(register: pd.DataFrame, price_year: int) -> Table:
    """Per need, what the allocation chooses by: the four potentials' scores (0–5), gevinst
    and hours freed per year, each column marked "(antaget)" where it is an assumption."""
    from analysis.report.reasons import reasons_formats, reasons_table

    ordered = register.sort_values(["omraade", "id"], kind="stable")
    reasons = reasons_table(register, list(ordered["id"]))
    data = pd.concat(
        [reasons[["Id"]], pd.DataFrame({"Behov": list(ordered["titel"])}), reasons.drop(columns="Id")], axis=1
    )
    return Table(
        data,
        caption="Potentialer, gevinst og frigjorte timer pr. behov",
        unit=unit(price_year),
        formats=reasons_formats(reasons),
        note=(
            "Point 0–5 for hvert af notatets fire potentialer: tilgængelighed for borgere og virksomheder, "
            "aflastning (administrativ tid flyttet til borgerrettet arbejde), forenkling af administrationen og "
            "skalering af teknologi. Gevinst pr. år ved fuld effekt i 1.000 kr., frigjorte timer pr. år. Det er "
            "disse tal, forslagene til udmøntning vælger efter; hvor kolonnen er markeret (antaget), er tallene "
            "sat for at kunne regne og skal erstattes af forvaltningernes oplysninger."
        ),
    )


def business_case(state) -> Table | Text:
    """Per need with an estimate, its business case at its earliest allowed start: the
    investment, the afledt drift and dobbeltdrift it brings, the benefit and the share taken
    home, the lifetime, and from them the total cost, the nutidsværdi and the payback (as the
    state computed them)."""
    register, price_year = state.data.register, state.price_year
    rate = state.settings.options.discount_rate
    cases = state.need_cases
    if cases is None:
        return Text(
            [
                "Registeret har ingen oplysninger om afledt drift, dobbeltdrift, gevinstprofil eller levetid, så "
                "behovenes nutidsværdi og tilbagebetalingstid kan ikke opgøres."
            ]
        )
    ranges = [(case.npv_low, case.npv_high) for case in cases]
    rows = [
        {
            "Id": case.id,
            "Behov": case.title,
            "Investering": case.investment,
            "Afledt drift pr. år": case.running,
            "Gevinst pr. år ved fuld effekt": case.benefit_full,
            "Levetid (år)": case.lifetime,
            "Udgifter over levetiden": case.tco,
            "Hjemtages i alt": case.reduction_total,
            "Nutidsværdi": case.npv,
            "Nutidsværdi, spænd": _npv_range_text(case.npv_low, case.npv_high),
            "Tjent hjem i": case.payback_year if case.payback_year is not None else "ikke i levetiden",
        }
        for case in cases
    ]
    data = pd.DataFrame(rows, dtype=object)
    assumed = assumed_fields(register)
    marks = {
        "Afledt drift pr. år": ("drift_aar",),
        "Gevinst pr. år ved fuld effekt": ("gevinst", "gevinst_fuld_aar"),
        "Levetid (år)": ("levetid",),
        "Udgifter over levetiden": ("drift_aar", "dobbeltdrift", "levetid"),
        "Hjemtages i alt": ("gevinst", "hjemtagelse", "levetid"),
        "Nutidsværdi": ("gevinst", "drift_aar", "dobbeltdrift", "levetid"),
        "Nutidsværdi, spænd": ("gevinst", "gevinst_min", "gevinst_max", "drift_aar", "dobbeltdrift", "levetid"),
        "Tjent hjem i": ("gevinst", "drift_aar", "dobbeltdrift", "levetid"),
    }
    renamed = {c: mark(c, fields, assumed) for c, fields in marks.items()}
    data = data.rename(columns=renamed)
    money = ["Investering", *(renamed[c] for c in list(marks)[:2]), *(renamed[c] for c in list(marks)[3:6])]
    formats = {c: "tkr" for c in money} | {renamed["Levetid (år)"]: "int", renamed["Tjent hjem i"]: "year"}
    # the Excel appendix holds the range as two numbers, not as the page's text
    spread = renamed["Nutidsværdi, spænd"]
    appendix = data.drop(columns=spread)
    at = list(appendix.columns).index(renamed["Nutidsværdi"]) + 1
    appendix.insert(at, "Nutidsværdi, laveste", [low for low, _ in ranges])
    appendix.insert(at + 1, "Nutidsværdi, højeste", [high for _, high in ranges])
    return Table(
        data,
        caption="Investeringens økonomi pr. behov (business case ved tidligste start)",
        unit=unit(price_year),
        formats=formats,
        appendix=appendix.reset_index(drop=True),
        appendix_formats=formats | {"Nutidsværdi, laveste": "tkr", "Nutidsværdi, højeste": "tkr"},
        note=(
            "Som statens business case-model: investeringen (forventet omkostning) fordelt over gennemførelsen, "
            "dobbeltdrift fra startåret, afledt drift og gevinst i levetiden efter gennemførelsen, gevinsten stigende "
            "jævnt til fuld effekt. Nutidsværdi: gevinst minus omkostninger, diskonteret til startåret med "
            f"{fmt.percent(rate, 1)} om året (Finansministeriets diskonteringsrente, 2021). Tjent hjem i: det "
            "første år, hvor den akkumulerede gevinst har dækket omkostningerne (tilbagebetalingstiden). Hjemtages: "
            "den del af gevinsten, der kan hjemtages som budgetreduktion. Nutidsværdi, spænd: ved højeste omkostning "
            "og laveste gevinst og ved laveste omkostning og højeste gevinst. Behovenes ikke-økonomiske gevinster "
            "(de fire potentialer og timerne) står i tabellen ovenfor. Tallene er ved behovets tidligste start; "
            "siden om business casen viser forslagets startår, diskonteret til rammens første år, og kan derfor afvige."
        ),
    )


def _npv_range_text(low: float, high: float) -> str:
    if abs(high - low) < 0.5:
        return fmt.tkr(low)
    return f"{fmt.tkr(low)} til {fmt.tkr(high)}"


def assumptions(register: pd.DataFrame, pl_index: pd.DataFrame) -> Table:
    """Per need, which fields are assumptions rather than taken from the note."""
    labels = {c.name: FIELD_LABELS.get(c.name, c.name) for c in REGISTER_COLUMNS}
    data = pd.DataFrame(
        {
            "Id": register["id"],
            "Behov": register["titel"],
            "Felter der er antagelser": [
                ", ".join(labels[f] for f in fields) or fmt.DASH for fields in register["antagelser"]
            ],
            "Kilde": register["kilde"].fillna(fmt.DASH),
        }
    )
    index_sources = sorted(set(pl_index["kilde"].dropna()))
    note = "P/l-indekset: " + ("; ".join(index_sources) if index_sources else "ingen kilde angivet") + "."
    return Table(data, caption="Antagelser i behovsregisteret", note=note)


def findings(found: list[Finding]) -> Table:
    data = pd.DataFrame(
        {
            "Alvor": [f.severity for f in found],
            "Fil": [f.file for f in found],
            "Række": [f.row for f in found],
            "Kolonne": [f.column or fmt.DASH for f in found],
            "Fund": [f.message for f in found],
        }
    )
    return Table(
        data,
        caption="Valideringsfund",
        formats={"Række": "int"},
        note="Rækkenumre er regnearkets: overskriften er række 1.",
    )
