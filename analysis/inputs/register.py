"""The needs register (behovsregister): candidate investments with costs and potentials.

Costs are totals in 1.000 kr. A need without an estimate keeps empty cost cells; it
loads and is reported as lacking an estimate. Rows sharing a ``variantgruppe`` are
mutually exclusive ways of doing one need; ``forudsaetter`` lists ids a need depends on.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd

from analysis.inputs.cells import INVISIBLE, format_number, format_plain, id_key, named_hidden, unknown_id, visible
from analysis.inputs.columns import ROW_COLUMN, parse_table, typed
from analysis.inputs.contracts import COST_COLUMNS, REGISTER_COLUMNS
from analysis.inputs.findings import ERROR, WARNING, Finding
from analysis.inputs.limits import MAX_NEEDS

COLUMN_NAMES = [c.name for c in REGISTER_COLUMNS]


_ID_START = re.compile(r"^[^\W_]", re.UNICODE)  # a letter or a digit


def id_problem(need_id: str | None) -> str | None:
    """What is wrong with an id, or None. An id starts with a letter or a digit, so it can
    never look like a spreadsheet formula (and an exported file reads back unchanged), and
    it holds no invisible character."""
    if need_id is None:
        return None
    if INVISIBLE.search(need_id):
        return f'id "{visible(need_id)}" indeholder et usynligt tegn{named_hidden(need_id)}; skriv id\'et igen'
    if not _ID_START.match(need_id):
        return f'id "{need_id}" skal begynde med et bogstav eller et tal'
    return None


def start_window(row, years: list[int]) -> tuple[int, int]:
    """The earliest and latest start year a need allows (``tidligste_start``/``seneste_start``),
    defaulting to the frame's first and last year. Not clipped to the frame."""
    earliest = years[0] if pd.isna(row.tidligste_start) else int(row.tidligste_start)
    latest = years[-1] if pd.isna(row.seneste_start) else int(row.seneste_start)
    return earliest, latest


NEEDS_LIMIT = (
    f"højst {format_number(MAX_NEEDS)} behov kan regnes inden for tidsgrænsen (del registeret op, eller saml behov)"
)
TOO_MANY_NEEDS = f"registeret har mere end {format_number(MAX_NEEDS)} behov; {NEEDS_LIMIT}"


def load_register(
    path: str | Path, other_ids: frozenset[str] | None = None
) -> tuple[pd.DataFrame | None, list[Finding]]:
    """Read and validate a register file.

    Returns one row per need with defaults filled in (``omkostning_forventet`` = midpoint,
    ``andel_anlaeg`` = 0, ``fordeling`` = (100,), ``obligatorisk`` = False), a boolean
    ``har_estimat``, the spreadsheet row in ``raekke``, and every finding.
    """
    table, findings = parse_table(
        path, REGISTER_COLUMNS, sheet="behovsregister", max_rows=MAX_NEEDS, too_many=TOO_MANY_NEEDS
    )
    if table is None:
        return None, findings
    name = Path(path).name

    def add(severity: str, row, column: str | None, message: str) -> None:
        findings.append(Finding(severity, name, message, row=int(row), column=column))

    for row in table.itertuples(index=False):
        problem = id_problem(row.id)
        if problem:
            add(ERROR, getattr(row, ROW_COLUMN), "id", problem)
            table.attrs.setdefault("bad_cells", set()).add((getattr(row, ROW_COLUMN), "id"))
    # ids that differ only in case (or in how a letter is encoded) name the same need
    keys = table["id"].map(lambda i: id_key(i) if isinstance(i, str) else None)
    for _key, group in table[keys.notna()].groupby(keys[keys.notna()]):
        if len(group) > 1:
            rows = [int(r) for r in group[ROW_COLUMN]]
            first = group["id"].iloc[0]
            for row, other in zip(rows[1:], group["id"].iloc[1:], strict=True):
                same = "findes også" if other == first else f'er det samme som "{visible(first)}", der findes'
                add(ERROR, row, "id", f'id "{visible(other)}" {same} i række {rows[0]}')

    has_estimate = []
    expected = []
    bad_cells = table.attrs.get("bad_cells", set())
    for row in table.itertuples(index=False):
        rownum = getattr(row, ROW_COLUMN)
        low, high, mid = row.omkostning_min, row.omkostning_max, row.omkostning_forventet
        if any((rownum, c) in bad_cells for c in COST_COLUMNS):
            has_estimate.append(False)  # the unreadable cell is reported; nothing more to say
            expected.append(None)
            continue
        if low is None and high is None:
            if mid is not None:
                add(ERROR, rownum, "omkostning_min", "omkostning_forventet er udfyldt, men min og max mangler")
            else:
                add(WARNING, rownum, "omkostning_min", f'"{row.id}" har intet estimat endnu')
            has_estimate.append(False)
            expected.append(None)
            continue
        if low is None or high is None:
            missing = "omkostning_min" if low is None else "omkostning_max"
            add(ERROR, rownum, missing, "mangler; udfyld både min og max (samme tal ved et fast beløb)")
            has_estimate.append(False)
            expected.append(mid)
            continue
        if low > high:
            add(ERROR, rownum, "omkostning_max", f"max ({format_plain(high)}) er mindre end min ({format_plain(low)})")
        elif mid is not None and not low <= mid <= high:
            add(
                ERROR,
                rownum,
                "omkostning_forventet",
                f"{format_plain(mid)} ligger uden for min–max ({format_plain(low)}–{format_plain(high)})",
            )
        has_estimate.append(True)
        midpoint = mid if mid is not None else low / 2 + high / 2  # halves first: never overflows
        if not math.isfinite(midpoint):
            add(ERROR, rownum, "omkostning_forventet", "den forventede omkostning er ikke et endeligt tal")
        expected.append(midpoint)
    table["har_estimat"] = has_estimate
    table["omkostning_forventet"] = expected
    table["andel_anlaeg"] = [0.0 if v is None else v for v in table["andel_anlaeg"]]
    spreads = []
    for row in table.itertuples(index=False):
        spread = row.fordeling if row.fordeling is not None else (100.0,)
        if abs(sum(spread) - 100) > 1e-6:
            add(ERROR, getattr(row, ROW_COLUMN), "fordeling", f"summer til {format_plain(sum(spread))}, ikke 100")
        spreads.append(tuple(spread))
    table["fordeling"] = spreads

    for row in table.itertuples(index=False):
        if row.tidligste_start and row.seneste_start and row.tidligste_start > row.seneste_start:
            add(
                ERROR,
                getattr(row, ROW_COLUMN),
                "seneste_start",
                f"seneste start {row.seneste_start} er før tidligste start {row.tidligste_start}",
            )
        for field_name in row.antagelser:
            if field_name not in COLUMN_NAMES:
                add(ERROR, getattr(row, ROW_COLUMN), "antagelser", f'"{field_name}" er ikke en kolonne')

    _check_benefit_ranges(table, add)
    _check_reduction_split(table, add)
    _check_dependencies(table, add, other_ids)
    _check_variants(table, add)
    _check_priorities(table, add)
    table = typed(table, REGISTER_COLUMNS)
    table["har_estimat"] = table["har_estimat"].astype(bool)
    table["obligatorisk"] = table["obligatorisk"].astype(bool)
    return table.reset_index(drop=True), findings


def _check_reduction_split(table: pd.DataFrame, add) -> None:
    """A split of the budget reduction over forvaltninger needs a share to split."""
    if "hjemtagelse_forvaltning" not in table.columns:
        return
    for row in table.itertuples(index=False):
        if row.hjemtagelse_forvaltning and not getattr(row, "hjemtagelse", None):
            add(
                WARNING,
                getattr(row, ROW_COLUMN),
                "hjemtagelse_forvaltning",
                "er udfyldt, men hjemtagelse er tom eller 0: der er ingen budgetreduktion at fordele",
            )


def _check_benefit_ranges(table: pd.DataFrame, add) -> None:
    """``gevinst_min`` and ``gevinst_max`` come together, around a given ``gevinst``."""
    if "gevinst_min" not in table.columns and "gevinst_max" not in table.columns:
        return
    bad_cells = table.attrs.get("bad_cells", set())
    for row in table.itertuples(index=False):
        rownum = getattr(row, ROW_COLUMN)
        if any((rownum, c) in bad_cells for c in ("gevinst", "gevinst_min", "gevinst_max")):
            continue
        low, high, mid = getattr(row, "gevinst_min", None), getattr(row, "gevinst_max", None), row.gevinst
        if low is None and high is None:
            continue
        if low is None or high is None:
            missing = "gevinst_min" if low is None else "gevinst_max"
            add(ERROR, rownum, missing, "mangler; et spænd for gevinsten kræver både gevinst_min og gevinst_max")
        elif mid is None:
            add(ERROR, rownum, "gevinst", "mangler; spændet gevinst_min–gevinst_max kræver den forventede gevinst")
        elif low > high:
            add(ERROR, rownum, "gevinst_max", f"max ({format_plain(high)}) er mindre end min ({format_plain(low)})")
        elif not low <= mid <= high:
            span = f"{format_plain(low)}–{format_plain(high)}"
            add(ERROR, rownum, "gevinst", f"{format_plain(mid)} ligger uden for gevinst_min–gevinst_max ({span})")


def _check_dependencies(table: pd.DataFrame, add, other_ids: frozenset[str] | None = None) -> None:
    """``other_ids``: ids of the other files merged with this one (``collect``; None when
    the file stands alone), which a need may depend on too."""
    known = set(table["id"].dropna())
    elsewhere = {id_key(i) for i in other_ids or ()}
    group_of = dict(zip(table["id"], table["variantgruppe"], strict=False))
    row_of = dict(zip(table["id"], table[ROW_COLUMN], strict=False))
    graph: dict[str, tuple[str, ...]] = {}
    for row in table.itertuples(index=False):
        if row.id is None:
            continue
        graph[row.id] = tuple(d for d in row.forudsaetter if d in known)
        for dep in row.forudsaetter:
            if dep not in known and id_key(dep) in elsewhere:
                continue
            if dep not in known:
                where = "i nogen af filerne" if other_ids is not None else "i registeret"
                add(ERROR, getattr(row, ROW_COLUMN), "forudsaetter", unknown_id(dep, known, where))
            elif dep == row.id:
                add(ERROR, getattr(row, ROW_COLUMN), "forudsaetter", "behovet forudsætter sig selv")
            elif row.variantgruppe and group_of.get(dep) == row.variantgruppe:
                add(
                    ERROR,
                    getattr(row, ROW_COLUMN),
                    "forudsaetter",
                    f'"{dep}" er en anden variant i samme variantgruppe; de kan ikke begge vælges',
                )
    for cycle in find_cycles(graph):
        if len(cycle) == 1:
            continue  # reported above as depending on itself
        path = " → ".join([*cycle, cycle[0]])
        add(ERROR, row_of[cycle[0]], "forudsaetter", f"kæde af forudsætninger går i ring: {path}")


def find_cycles(graph: dict[str, tuple[str, ...]]) -> list[list[str]]:
    """Each dependency cycle once, as the list of ids around it (depth-first search with an
    explicit stack, so a long chain of dependencies never hits Python's recursion limit)."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    cycles: list[list[str]] = []
    for root in graph:
        if root in state:
            continue
        path: list[str] = [root]
        pending = [iter(graph.get(root, ()))]
        state[root] = 1
        while pending:
            nxt = next(pending[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                pending.pop()
            elif state.get(nxt) == 1:
                cycles.append(path[path.index(nxt) :])
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                pending.append(iter(graph.get(nxt, ())))
    return cycles


def _check_variants(table: pd.DataFrame, add) -> None:
    for group, members in table[table["variantgruppe"].notna()].groupby("variantgruppe"):
        if len(members) == 1:
            add(
                WARNING,
                members[ROW_COLUMN].iloc[0],
                "variantgruppe",
                f'variantgruppen "{group}" har kun ét medlem',
            )


def _check_priorities(table: pd.DataFrame, add) -> None:
    ranked = table[table["prioritet"].notna()]
    for rank, group in ranked.groupby("prioritet"):
        if len(group) > 1:
            rows = ", ".join(str(int(r)) for r in group[ROW_COLUMN])
            add(
                WARNING,
                group[ROW_COLUMN].iloc[-1],
                "prioritet",
                f"prioritet {int(rank)} bruges i flere rækker ({rows})",
            )


def check_start_years(register: pd.DataFrame, years: list[int], file: str) -> list[Finding]:
    """Warn about needs whose allowed start years all lie outside the frame's years."""
    findings = []
    first, last = years[0], years[-1]
    for row in register.itertuples(index=False):
        earliest, latest = start_window(row, years)
        if latest < first or earliest > last:
            findings.append(
                Finding(
                    WARNING,
                    file,
                    f"start tidligst {earliest} og senest {latest} ligger helt uden for rammens år "
                    f"{first}–{last}; behovet kan ikke finansieres af rammen",
                    row=int(getattr(row, ROW_COLUMN)),
                    column="tidligste_start" if earliest > last else "seneste_start",
                )
            )
    return findings


# what each amount of a need is, for the warning about an amount larger than the whole frame
_AMOUNTS = {
    "omkostning_max": "omkostningen",
    "gevinst": "gevinsten om året",
    "gevinst_max": "gevinsten om året",
    "drift_aar": "den afledte drift om året",
    "dobbeltdrift": "dobbeltdriften om året",
}


def check_amounts(register: pd.DataFrame, frame_total: float, file: str) -> list[Finding]:
    """Warn about a need's amount larger than the whole frame, every year and both pools
    together: a cost no udmøntning could cover, or a yearly benefit or running cost out of
    all proportion to the plan. A need may be that large, so a warning naming the cell, not
    an error; most often the amount is written in kroner, not in 1.000 kr."""
    findings = []
    for row in register.itertuples(index=False):
        for column, what in _AMOUNTS.items():
            amount = getattr(row, column, None)
            if amount is None or pd.isna(amount) or amount <= frame_total:
                continue
            findings.append(
                Finding(
                    WARNING,
                    file,
                    f"{what} {format_number(amount)} er mere end hele rammen ({format_number(frame_total)} for alle år "
                    "og begge styringsområder); beløb er i 1.000 kr. – er det skrevet i kroner?",
                    row=int(getattr(row, ROW_COLUMN)),
                    column=column,
                )
            )
            break  # one warning a need: the first amount says it
    return findings


def need_titles(register: pd.DataFrame) -> dict[str, str]:
    """Each need's id → its title."""
    return dict(zip(register["id"], register["titel"], strict=True))


def counted_once(register: pd.DataFrame) -> pd.DataFrame:
    """Needs with an estimate, each variant group reduced to one row spanning its
    cheapest to its dearest variant, so that area totals do not add up alternatives."""
    costed = register[register["har_estimat"]]
    singles = costed[costed["variantgruppe"].isna()]
    groups = costed[costed["variantgruppe"].notna()].groupby("variantgruppe")
    spans = groups.agg(
        omraade=("omraade", "first"),
        omkostning_min=("omkostning_min", "min"),
        omkostning_forventet=("omkostning_forventet", "median"),
        omkostning_max=("omkostning_max", "max"),
    ).reset_index(drop=True)
    return pd.concat([singles[spans.columns], spans], ignore_index=True)
