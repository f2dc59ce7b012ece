"""Bevillingsteknik: what ØU actually decides, in KK's form. An udmøntning moves money from
the pool's appropriation (1112 Fælles rammepuljer for service, 3123 Fælles anlægspuljer for
anlæg) to the receiving udvalg, per investment, year and styringsområde, with the budget year
apart from the outline years; for anlæg, the project's anlægsbevilling and the
rådighedsbeløb released. An OFS moves each investment's bound money on, on the receiving
udvalg's appropriation, and returns the free money from the pool."""

from __future__ import annotations

import pandas as pd

from analysis.inputs.contracts import (
    ANLAEG,
    APPROPRIATIONS,
    GRANT,
    POOLS,
    RETURN,
    SERVICE,
    TRANSFER,
    UDVALG,
    UDVALG_ACROSS,
)
from analysis.inputs.register import need_titles
from analysis.report import formats as fmt
from analysis.report import vocabulary as words
from analysis.report.blocks import Table, Text

ASSUMED_COMMITTEE = " (antaget)"


def committees(register: pd.DataFrame) -> dict[str, str]:
    """Each need's receiving udvalg: the register's ``udvalg``, else its forvaltning's (a need
    across the forvaltninger, or naming none, goes to ØU)."""
    out = {}
    for row in register.itertuples(index=False):
        named = getattr(row, "udvalg", None)
        if isinstance(named, str) and named.strip():
            out[row.id] = named.strip()
        else:
            out[row.id] = UDVALG.get(row.forvaltning if isinstance(row.forvaltning, str) else "", UDVALG_ACROSS)
    return out


# the register's column naming the receiving bevilling of each styringsområde
RECEIVING_COLUMNS = {SERVICE: "bevilling_service", ANLAEG: "bevilling_anlaeg"}
MISSING = "skal angives"


def receiving(register: pd.DataFrame) -> dict[tuple[str, str], str]:
    """(id, pool) → the receiving udvalg's bevilling the register names (``nr – navn``)."""
    out = {}
    for pool, column in RECEIVING_COLUMNS.items():
        if column in register.columns:
            for need_id, value in zip(register["id"], register[column], strict=True):
                if isinstance(value, str) and value.strip():
                    out[(need_id, pool)] = value.strip()
    return out


def given(bevilling) -> str:
    """A receiving bevilling as a cell: the register's words, or that it must be given."""
    return bevilling if isinstance(bevilling, str) and bevilling else MISSING


def missing_note(table: pd.DataFrame) -> str:
    """The sentence naming the investments whose receiving bevilling the register lacks."""
    named = table["id"].map(lambda i: isinstance(i, str) and bool(i))  # a pool's own row has no id
    lacking = table[named & table["receiving"].isna()] if len(table) else table
    if not len(lacking):
        return ""
    pairs = sorted(set(zip(lacking["id"], lacking["pool"], strict=True)))
    named = ", ".join(f"{i} ({words.POOL_LABELS[p].lower()})" for i, p in pairs)
    return (
        f" Modtagende bevilling mangler for {named}: den angives i registerets kolonne bevilling_service eller "
        "bevilling_anlaeg (nummer og navn), før indstillingen går til ØU."
    )


def entry_table(register: pd.DataFrame, entries: list[tuple]) -> pd.DataFrame:
    """Ledger entries ``(id, year, pool, amount, art, start)`` with the title, the receiving
    udvalg and its bevilling (None where the register names none), and the appropriation the
    money comes from."""
    titles, udvalg, bevilling = need_titles(register), committees(register), receiving(register)
    rows = [
        {
            "id": i,
            "title": titles.get(i, "") if i else "",
            "committee": udvalg.get(i, UDVALG_ACROSS) if i else "ØU",
            "receiving": bevilling.get((i, p)) if i else None,
            "appropriation": APPROPRIATIONS[p],
            "pool": p,
            "year": int(y),
            "amount": float(a),
            "art": art,
        }
        for i, y, p, a, art, _ in entries
    ]
    columns = ["id", "title", "committee", "receiving", "appropriation", "pool", "year", "amount", "art"]
    return pd.DataFrame(rows, columns=columns)


def udmoentning_table(
    register: pd.DataFrame, entries: list[tuple], plan_year: int, years: list[int], unit: str
) -> Table:
    """Per investment and styringsområde: the amount moved from the pool's appropriation to
    the receiving udvalg, the budget year apart from the outline years, and the total."""
    table = entry_table(register, [e for e in entries if e[4] != "tilbageført"])
    later = [y for y in years if y > plan_year]
    columns = ["Id", "Behov", "Fra bevilling", "Modtagende udvalg", "Til bevilling", "Styringsområde"]
    columns += [f"Budgetår {plan_year}"] + [f"Overslagsår {y}" for y in later] + ["I alt"]
    rows = []
    for (need_id, pool), group in table.groupby(["id", "pool"], sort=True):
        by_year = group.groupby("year")["amount"].sum()
        first = group.iloc[0]
        values = [float(by_year.get(y, 0.0)) for y in [plan_year, *later]]
        rows.append(
            [
                need_id,
                first["title"],
                first["appropriation"],
                first["committee"],
                given(first["receiving"]),
                words.POOL_LABELS[pool],
                *values,
                sum(values),
            ]
        )
    body = pd.DataFrame(rows, columns=columns)
    amounts = columns[6:]
    if len(body):
        totals = body.groupby("Styringsområde", sort=False)[amounts].sum()
        for pool in POOLS:
            label = words.POOL_LABELS[pool]
            if label in totals.index:
                body.loc[len(body)] = [
                    "",
                    words.TOTAL_ROWS[pool],
                    APPROPRIATIONS[pool],
                    "",
                    "",
                    label,
                    *totals.loc[label].tolist(),
                ]
    return Table(
        body,
        caption=f"Bevillingsteknik: udmøntning fra rammens puljer til de modtagende udvalg, {plan_year}–{years[-1]}",
        unit=unit,
        formats={c: "tkr" for c in amounts},
        row_classes=["total" if r[0] == "" else "" for r in body.itertuples(index=False)],
        note=(
            "Beløbene flyttes fra pulje til investeringer på servicerammen (1112 Fælles rammepuljer) eller "
            "anlægsrammen (3123 Fælles anlægspuljer) under ØU til det udvalg, der skal gennemføre investeringen. "
            f"Budgetåret {plan_year} udmøntes nu; overslagsårene er investeringernes forløb, som udmøntningen "
            "binder. Modtagende udvalg: registerets udvalg, ellers forvaltningens (tværgående behov: ØU); til "
            "bevilling: registerets bevilling_service og bevilling_anlaeg." + missing_note(table)
        ),
    )


def anlaeg_table(register: pd.DataFrame, entries: list[tuple], plan_year: int, years: list[int], unit: str) -> Table:
    """For each investment with anlæg: its anlægsbevilling (the whole capital appropriation)
    and the rådighedsbeløb released per year."""
    table = entry_table(register, [e for e in entries if e[2] == ANLAEG and e[4] != "tilbageført"])
    columns = ["Id", "Behov", "Modtagende udvalg", "Bevilling", "Anlægsbevilling"] + [
        f"Rådighedsbeløb {y}" for y in years if y >= plan_year
    ]
    rows = []
    for need_id, group in table.groupby("id", sort=True):
        by_year = group.groupby("year")["amount"].sum()
        first = group.iloc[0]
        rows.append(
            [
                need_id,
                first["title"],
                first["committee"],
                given(first["receiving"]),
                float(group["amount"].sum()),
                *[float(by_year.get(y, 0.0)) for y in years if y >= plan_year],
            ]
        )
    return Table(
        pd.DataFrame(rows, columns=columns),
        caption="Anlæg: anlægsbevilling og frigivne rådighedsbeløb",
        unit=unit,
        formats={c: "tkr" for c in columns[4:]},
        note="Anlægsbevillingen er investeringens samlede anlægsudgift; rådighedsbeløbene er årenes beløb, som "
        "frigives med udmøntningen." + missing_note(table),
    )


def release_table(register: pd.DataFrame, entries: list[tuple], plan_year: int, years: list[int], unit: str) -> Table:
    """A stop's bevillingsteknik: per investment and styringsområde, its udmøntning from the
    plan year on moved back from the receiving udvalg to the pool's appropriation (negative
    for the udvalg), and for anlæg the anlægsbevilling reduced by the same."""
    table = entry_table(register, [e for e in entries if e[4] == RETURN])
    shown_years = [y for y in years if y >= plan_year]
    columns = ["Id", "Behov", "Fra udvalg", "Fra bevilling", "Til bevilling", "Styringsområde"]
    columns += [str(y) for y in shown_years] + ["I alt"]
    rows = []
    for (need_id, pool), group in table.groupby(["id", "pool"], sort=True):
        by_year = group.groupby("year")["amount"].sum()
        first = group.iloc[0]
        values = [0.0 - float(by_year.get(y, 0.0)) for y in shown_years]  # never -0
        rows.append(
            [need_id, first["title"], first["committee"], given(first["receiving"]), first["appropriation"],
             words.POOL_LABELS[pool], *values, sum(values)]
        )  # fmt: skip
    return Table(
        pd.DataFrame(rows, columns=columns),
        caption=f"Bevillingsteknik: stop – udmøntningen fra {plan_year} gives tilbage til puljerne",
        unit=unit,
        formats={c: "tkr" for c in columns[6:]},
        note=(
            "Beløbene flyttes fra det modtagende udvalgs bevilling tilbage til puljen (1112 Fælles rammepuljer for "
            "service, 3123 Fælles anlægspuljer for anlæg); negativt for udvalget. For anlæg nedsættes "
            "anlægsbevillingen og rådighedsbeløbene med det samme. Det, investeringen har fået før, står."
            + missing_note(table)
        ),
    )


def transfer_table(register: pd.DataFrame, entries: list[tuple], year: int, unit: str) -> Table:
    """The OFS's decisions: each investment's bound money moved from ``year`` to the next on
    its udvalg's appropriation, a merforbrug it carries (negative) or that ØU covers from the
    pool, the pool's own money kept or deducted, and what goes back to the kassen."""
    table = entry_table(register, entries)
    rows = []
    for r in table.itertuples(index=False):
        named = isinstance(r.id, str) and bool(r.id)  # a pool's own row has no id
        who = r.committee if named else "ØU"
        if r.art == TRANSFER and named and r.amount < 0:
            what = f"merforbrug i {year}, afholdes af investeringens midler i {r.year}"
        elif r.art == TRANSFER and named:
            what = f"overføres fra {year} til {r.year}"
        elif r.art == GRANT:
            what = f"merforbrug i {year} dækkes af puljens midler, der ikke blev udmøntet"
        elif r.art == TRANSFER:
            what = f"puljens midler {'overføres' if r.amount > 0 else 'trækkes fra'} i {r.year}"
        else:
            what = "tilbageføres kassen"
        rows.append(
            [
                r.id if named else "",
                r.title if named else (TO_KASSEN[r.pool] if r.art == RETURN else POOL_OWN[r.pool]),
                who,
                given(r.receiving) if named else r.appropriation,
                words.POOL_LABELS[r.pool],
                what,
                r.amount,
            ]
        )
    body = pd.DataFrame(rows, columns=["Id", "Behov", "Udvalg", "Bevilling", "Styringsområde", "Beslutning", "Beløb"])
    return Table(
        body,
        caption=f"Bevillingsteknik: overførsler fra {year} til {year + 1}",
        unit=unit,
        formats={"Beløb": "tkr"},
        note="Bundne midler overføres til den samme investering på det modtagende udvalgs bevilling. Et merforbrug "
        "følger sin investering (negativt beløb) eller dækkes af puljen, hvis ØU beslutter det. Frie midler i "
        "puljerne (1112 og 3123) tilbageføres kassen, medmindre ØU beslutter andet." + missing_note(table),
    )


# a pool's own row in the bevillingsteknik: the pool's money, not a total of the rows above
POOL_OWN = {pool: f"Puljens egne midler ({APPROPRIATIONS[pool]})" for pool in POOLS}
# the row that gives a pool's free money back: to the kassen, from the pool's appropriation
TO_KASSEN = {pool: f"Til kassen: puljens frie midler ({APPROPRIATIONS[pool]})" for pool in POOLS}


def request_text(entries: list[tuple], plan_year: int, years: list[int]) -> str:
    """What the indstilling asks ØU to approve, in one sentence of amounts."""
    grants = [e for e in entries if e[4] == "udmøntet"]
    if not grants:
        return ""
    ids = sorted({e[0] for e in grants})
    by_pool = {p: sum(e[3] for e in grants if e[2] == p) for p in POOLS}
    now = {p: sum(e[3] for e in grants if e[2] == p and e[1] == plan_year) for p in POOLS}
    total = sum(by_pool.values())
    # each amount rounded on its own, as the bevillingsteknik's table shows it (5.240 is 5,2,
    # never 5,3 to make a sum come out); where the parts then miss the total, it says so
    parts = fmt.mio_each({words.POOL_LABELS[p].lower(): by_pool[p] for p in POOLS if by_pool[p]})
    now_parts = fmt.mio_each({words.POOL_LABELS[p].lower(): now[p] for p in POOLS if now[p]})
    later = sorted({e[1] for e in grants if e[1] > plan_year and abs(e[3]) > 0.5})
    each = []
    for y in later:
        in_year = {p: sum(e[3] for e in grants if e[2] == p and e[1] == y) for p in POOLS}
        named = fmt.mio_each({words.POOL_LABELS[p].lower(): in_year[p] for p in POOLS if in_year[p]})
        each.append(f"{fmt.mio(sum(in_year.values()))} i overslagsåret {y} ({named})")
    rest = ""
    if each:
        rest = (", " if len(each) > 1 else " og ") + fmt.and_list(each)
    return (
        f"udmønter {fmt.mio(total)} ({parts}) til {fmt.count(len(ids), 'investering', 'investeringer')} "
        f"({', '.join(ids)}), heraf {fmt.mio(sum(now.values()))} i budgetåret {plan_year} ({now_parts}){rest}"
    )


def no_decision(plan_year: int) -> Text:
    return Text([f"Forslaget udmønter intet i {plan_year}."])
