"""The needs register (behovsregister): candidate investments with costs and potentials.

Costs are totals in 1.000 kr. A need without an estimate keeps empty cost cells; it
loads and is reported as lacking an estimate. Rows sharing a ``variantgruppe`` are
mutually exclusive ways of doing one need; ``forudsaetter`` lists ids a need depends on.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.findings import ERROR, WARNING, Finding
from analysis.io import ROW_COLUMN, Column, parse_table, typed

POTENTIALS = {
    "potentiale_tilgaengelighed": "Tilgængelighed",
    "potentiale_aflastning": "Aflastning",
    "potentiale_forenkling": "Forenkling",
    "potentiale_skalering": "Skalering",
}

REGISTER_COLUMNS = [
    Column("id", "text", required=True, description="entydigt id"),
    Column("omraade", "text", required=True, description="område"),
    Column("titel", "text", required=True),
    # both empty: no estimate yet (loads, and is reported as such)
    Column("omkostning_min", "number", required=True, may_be_empty=True, minimum=0, description="1.000 kr."),
    Column("omkostning_max", "number", required=True, may_be_empty=True, minimum=0, description="1.000 kr."),
    Column("beskrivelse", "text"),
    Column("forvaltning", "text"),
    Column("variantgruppe", "text"),
    Column("forudsaetter", "ids", description="id'er adskilt af ;"),
    Column("omkostning_forventet", "number", minimum=0, description="1.000 kr."),
    Column("andel_anlaeg", "share", minimum=0, maximum=1),
    Column("fordeling", "numbers", minimum=0, description="procent pr. år fra startåret"),
    Column("tidligste_start", "year"),
    Column("seneste_start", "year"),
    Column("pl_aar", "year"),
    *[Column(name, "number", minimum=0, maximum=5) for name in POTENTIALS],
    Column("gevinst", "number", description="1.000 kr."),
    Column("timer_frigjort", "number", minimum=0, description="timer pr. år"),
    Column("prioritet", "int", minimum=1),
    Column("obligatorisk", "yesno"),
    Column("kilde", "text"),
    # Extension: which of this row's fields are assumptions rather than facts from a source.
    Column("antagelser", "ids", description="felter der er antagelser, adskilt af ;"),
]
COLUMN_NAMES = [c.name for c in REGISTER_COLUMNS]
COST_COLUMNS = ["omkostning_min", "omkostning_forventet", "omkostning_max"]


def load_register(path: str | Path) -> tuple[pd.DataFrame | None, list[Finding]]:
    """Read and validate a register file.

    Returns one row per need with defaults filled in (``omkostning_forventet`` = midpoint,
    ``andel_anlaeg`` = 0, ``fordeling`` = (100,), ``obligatorisk`` = False), a boolean
    ``har_estimat``, the spreadsheet row in ``raekke``, and every finding.
    """
    table, findings = parse_table(path, REGISTER_COLUMNS, sheet="behovsregister")
    if table is None:
        return None, findings
    name = Path(path).name

    def add(severity: str, row, column: str | None, message: str) -> None:
        findings.append(Finding(severity, name, message, row=int(row), column=column))

    ids = table["id"]
    for dup_id, group in table[ids.notna()].groupby("id"):
        if len(group) > 1:
            rows = [int(r) for r in group[ROW_COLUMN]]
            for row in rows[1:]:
                add(ERROR, row, "id", f'id "{dup_id}" findes også i række {rows[0]}')

    has_estimate = []
    expected = []
    for row in table.itertuples(index=False):
        rownum = getattr(row, ROW_COLUMN)
        low, high, mid = row.omkostning_min, row.omkostning_max, row.omkostning_forventet
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
            add(ERROR, rownum, "omkostning_max", f"max ({high:g}) er mindre end min ({low:g})")
        elif mid is not None and not low <= mid <= high:
            add(ERROR, rownum, "omkostning_forventet", f"{mid:g} ligger uden for min–max ({low:g}–{high:g})")
        has_estimate.append(True)
        expected.append(mid if mid is not None else (low + high) / 2)
    table["har_estimat"] = has_estimate
    table["omkostning_forventet"] = expected
    table["andel_anlaeg"] = [0.0 if v is None else v for v in table["andel_anlaeg"]]
    spreads = []
    for row in table.itertuples(index=False):
        spread = row.fordeling if row.fordeling is not None else (100.0,)
        if abs(sum(spread) - 100) > 1e-6:
            add(ERROR, getattr(row, ROW_COLUMN), "fordeling", f"summer til {sum(spread):g}, ikke 100")
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

    _check_dependencies(table, add)
    _check_variants(table, add)
    _check_priorities(table, add)
    table = typed(table, REGISTER_COLUMNS)
    table["har_estimat"] = table["har_estimat"].astype(bool)
    table["obligatorisk"] = table["obligatorisk"].astype(bool)
    return table.reset_index(drop=True), findings


def _check_dependencies(table: pd.DataFrame, add) -> None:
    known = set(table["id"].dropna())
    group_of = dict(zip(table["id"], table["variantgruppe"], strict=False))
    row_of = dict(zip(table["id"], table[ROW_COLUMN], strict=False))
    graph: dict[str, tuple[str, ...]] = {}
    for row in table.itertuples(index=False):
        if row.id is None:
            continue
        graph[row.id] = tuple(d for d in row.forudsaetter if d in known)
        for dep in row.forudsaetter:
            if dep not in known:
                add(ERROR, getattr(row, ROW_COLUMN), "forudsaetter", f'"{dep}" er ikke et id i registeret')
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
    """Each dependency cycle once, as the list of ids around it (depth-first search)."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt) :])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in graph:
        if node not in state:
            visit(node)
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
        earliest = first if pd.isna(row.tidligste_start) else int(row.tidligste_start)
        latest = last if pd.isna(row.seneste_start) else int(row.seneste_start)
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


def potential_score(register: pd.DataFrame, weights: dict[str, float] | None = None) -> pd.Series:
    """Weighted sum of the four potential scores (missing scores count as 0).

    ``weights`` maps potential column names to weights; default equal weights of 1.
    """
    weights = weights or {name: 1.0 for name in POTENTIALS}
    total = pd.Series(0.0, index=register.index)
    for name, weight in weights.items():
        total += register[name].fillna(0).astype(float) * weight
    return total
