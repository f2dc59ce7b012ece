"""The follow-up files: what was granted (``bevillinger``), what was spent (``forbrug``)
and the benefit indicators (``gevinster``), loaded and validated against the register
and the frame."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.inputs.cells import format_number, format_plain, unknown_id
from analysis.inputs.columns import ROW_COLUMN, parse_table, typed
from analysis.inputs.contracts import (
    BEVILLING_COLUMNS,
    FORBRUG_COLUMNS,
    GEVINST_COLUMNS,
    GRANT,
    POTENTIALS,
    RETURN,
    TRANSFER,
)
from analysis.inputs.event_names import parse_name
from analysis.inputs.financing_frame import frame_years, parse_pool_column
from analysis.inputs.findings import ERROR, WARNING, Finding

HIGHER, LOWER = "hoejere", "lavere"  # the codes of ``retning``
POTENTIAL_CODES = tuple(p.removeprefix("potentiale_") for p in POTENTIALS)  # tilgaengelighed, …
SPENDING_KINDS = ("regnskab", "forventet")  # accounts win over a forecast


@dataclass
class FollowupData:
    """The validated follow-up files. ``complete``: all three were given (the OFS needs
    them; a plan needs only the grants and the accounts)."""

    bevillinger: pd.DataFrame
    forbrug: pd.DataFrame
    gevinster: pd.DataFrame
    complete: bool = True


def _duplicates(table: pd.DataFrame, keys: list[str], name: str, findings: list[Finding]) -> None:
    usable = table.dropna(subset=keys)
    for key, group in usable.groupby(keys):
        if len(group) > 1:
            rows = [int(r) for r in group[ROW_COLUMN]]
            for row in rows[1:]:
                what = ", ".join(str(k) for k in (key if isinstance(key, tuple) else (key,)))
                findings.append(Finding(ERROR, name, f"dubletrække: {what} står også i række {rows[0]}", row=row))


def _known_ids_and_years(table, name, register_ids, years, findings, year_columns=("aar",)) -> None:
    for row in table.itertuples(index=False):
        rownum = getattr(row, ROW_COLUMN)
        if row.id is not None and row.id not in register_ids:
            findings.append(Finding(ERROR, name, unknown_id(row.id, register_ids), row=rownum, column="id"))
        for column in year_columns:
            value = getattr(row, column)
            if value is not None and not pd.isna(value) and value not in years:
                findings.append(
                    Finding(
                        ERROR,
                        name,
                        f"{value} ligger uden for rammens år {years[0]}–{years[-1]}",
                        row=rownum,
                        column=column,
                    )
                )


ARTS = (GRANT, TRANSFER, RETURN)


def load_bevillinger(path, register_ids: set[str], frame: pd.DataFrame) -> tuple[pd.DataFrame | None, list[Finding]]:
    """The ledger of decisions (see :mod:`analysis.model.ledger`): one row per amount for an
    investment (or, with no id, a pool), year and pool, with its kind (``art``) and the
    event that decided it (``beslutning``). A ledger whose grants exceed a frame cut later
    loads: the plan then says where the money lacks."""
    table, findings = parse_table(path, BEVILLING_COLUMNS, sheet="bevillinger")
    if table is None:
        return None, findings
    name = Path(path).name
    parse_pool_column(table, name, findings, allow_total=False)
    years = frame_years(frame)
    kinds = []
    for row in table.itertuples(index=False):
        rownum = getattr(row, ROW_COLUMN)

        def add(column: str, message: str, rownum=rownum) -> None:
            findings.append(Finding(ERROR, name, message, row=rownum, column=column))

        kind = (row.art or GRANT).strip().lower().replace("oe", "ø").replace("udmoentet", "udmøntet")
        kind = {"udmontet": GRANT, "overfort": TRANSFER, "tilbagefort": RETURN}.get(kind, kind)
        if kind not in ARTS:
            add("art", f'"{row.art}" er ikke {", ".join(ARTS[:-1])} eller {ARTS[-1]}')
        kinds.append(kind)
        if row.id is None and kind == GRANT:
            add("id", "en udmøntning skal have et id; kun en puljes egne rækker (overført, tilbageført) er uden")
        if row.id is not None and row.id not in register_ids:
            add("id", unknown_id(row.id, register_ids))
        if row.beloeb is not None and row.beloeb < 0 and kind != TRANSFER:
            add("beloeb", f"{format_number(row.beloeb)} er negativt; kun et overført merforbrug kan være det")
        if row.beslutning is not None and parse_name(row.beslutning) is None:
            add("beslutning", f'"{row.beslutning}" er ikke en begivenhed som "OFS 25/26" eller "Budget 2027"')
        if row.aar is not None and row.aar not in years and not (kind == TRANSFER and row.aar == years[-1] + 1):
            add("aar", f"{row.aar} ligger uden for rammens år {years[0]}–{years[-1]}")
    table["art"] = kinds
    _duplicates(table, ["id", "aar", "styringsomraade", "art", "beslutning"], name, findings)
    return typed(table, BEVILLING_COLUMNS), findings


def load_forbrug(path, register_ids: set[str], frame: pd.DataFrame) -> tuple[pd.DataFrame | None, list[Finding]]:
    table, findings = parse_table(path, FORBRUG_COLUMNS, sheet="forbrug")
    if table is None:
        return None, findings
    name = Path(path).name
    parse_pool_column(table, name, findings, allow_total=False)
    _known_ids_and_years(table, name, register_ids, frame_years(frame), findings)
    kinds = []
    for row in table.itertuples(index=False):
        kind = (row.type or "regnskab").strip().lower()
        if kind not in SPENDING_KINDS:
            findings.append(
                Finding(
                    ERROR,
                    name,
                    f'"{row.type}" er ikke regnskab eller forventet',
                    row=getattr(row, ROW_COLUMN),
                    column="type",
                )
            )
        kinds.append(kind)
    table["type"] = kinds
    _duplicates(table, ["id", "aar", "styringsomraade", "type"], name, findings)
    return typed(table, FORBRUG_COLUMNS), findings


def load_gevinster(path, register_ids: set[str], frame: pd.DataFrame) -> tuple[pd.DataFrame | None, list[Finding]]:
    table, findings = parse_table(path, GEVINST_COLUMNS, sheet="gevinster")
    if table is None:
        return None, findings
    name = Path(path).name
    for row in table.itertuples(index=False):
        rownum = getattr(row, ROW_COLUMN)

        def add(column: str, message: str, severity: str = ERROR, rownum=rownum) -> None:
            findings.append(Finding(severity, name, message, row=rownum, column=column))

        if row.id is not None and row.id not in register_ids:
            add("id", unknown_id(row.id, register_ids))
        direction = (row.retning or "").strip().lower().replace("ø", "oe")
        if row.retning is not None and direction not in (HIGHER, LOWER):
            add("retning", f'"{row.retning}" skal være hoejere eller lavere')
        if row.baseline is not None and row.maal is not None:
            if row.maal == row.baseline:
                add("maal", f"målet ({format_plain(row.maal)}) er lig med baseline; fremdrift kan ikke måles")
            elif direction == HIGHER and row.maal < row.baseline:
                add("maal", "retning er hoejere, men målet ligger under baseline")
            elif direction == LOWER and row.maal > row.baseline:
                add("maal", "retning er lavere, men målet ligger over baseline")
        if row.baseline_aar and row.maal_aar and row.maal_aar < row.baseline_aar:
            add("maal_aar", f"målåret {row.maal_aar} er før baselineåret {row.baseline_aar}")
        if row.maaleaar is not None and row.baseline_aar and row.maaleaar < row.baseline_aar:
            add("maaleaar", f"måleåret {row.maaleaar} er før baselineåret {row.baseline_aar}")
        if row.potentiale is not None and row.potentiale.strip().lower() not in POTENTIAL_CODES:
            add(
                "potentiale",
                f'"{row.potentiale}" er ikke et af notatets potentialer; brug {", ".join(POTENTIAL_CODES)}',
            )
        if (row.maaleaar is None) != (row.realiseret is None):
            add("realiseret" if row.realiseret is None else "maaleaar", "måleår og realiseret skal udfyldes sammen")
    table["retning"] = [(r or "").strip().lower().replace("ø", "oe") for r in table["retning"]]
    table["potentiale"] = [(p or "").strip().lower() or None for p in table["potentiale"]]
    _duplicates(table, ["id", "indikator", "maaleaar"], name, findings)
    # one row per measurement restates the indicator: every row must say the same
    for (need_id, indicator), group in table.dropna(subset=["id", "indikator"]).groupby(["id", "indikator"]):
        first = group.iloc[0]
        for column in ("enhed", "retning", "baseline", "baseline_aar", "maal", "maal_aar"):
            for row in group.iloc[1:].itertuples(index=False):
                if getattr(row, column) != first[column]:
                    findings.append(
                        Finding(
                            ERROR,
                            name,
                            f'indikatoren "{indicator}" for {need_id} har {column} {getattr(row, column)} her, men '
                            f"{first[column]} i række {int(first[ROW_COLUMN])}; skriv den samme i alle rækker",
                            row=int(getattr(row, ROW_COLUMN)),
                            column=column,
                        )
                    )
    return typed(table, GEVINST_COLUMNS), findings


def pool_year_money(frame: pd.DataFrame, bevillinger: pd.DataFrame) -> dict[tuple[int, str], tuple[float, float]]:
    """Each pool-year's frame and what the ledger transferred into it (its ``overført``
    rows above 0): all the money one investment could plausibly have in that pool and year."""
    money = {(int(r.aar), str(r.styringsomraade)): (float(r.beloeb), 0.0) for r in frame.itertuples(index=False)}
    moved = bevillinger[(bevillinger["art"] == TRANSFER) & (bevillinger["beloeb"] > 0)]
    for (year, pool), amount in moved.groupby(["aar", "styringsomraade"])["beloeb"].sum().items():
        framed, before = money.get((int(year), str(pool)), (0.0, 0.0))
        money[(int(year), str(pool))] = (framed, before + float(amount))
    return money


def _beyond_the_pool(table, column: str, file: str, money, which, what: str) -> list[Finding]:
    """The plausibility bound of a grant or a year's spending (1.000 kr.), naming the cell.

    More than all the pool's money over the frame's years (every year's frame and every
    transfer into the pool) is an error: no udmøntning and no year's spending of one
    investment can be that large; most often it is written in kroner. More than its own
    pool-year's frame plus the transfers into that year is a warning: the frame may have been
    cut since the money was udmøntet (the plan then says where the money lacks), or the
    investment overspent by more than the pool had."""
    years = {year for year, _ in money}
    whole = {
        pool: sum(framed + moved for (_, p), (framed, moved) in money.items() if p == pool)
        for pool in {p for _, p in money}
    }
    findings = []
    for row in table[which].itertuples(index=False):
        amount = getattr(row, column)
        if amount is None or pd.isna(amount) or pd.isna(row.aar) or int(row.aar) not in years:
            continue  # a year outside the frame is reported as such
        year, pool = int(row.aar), str(row.styringsomraade)
        framed, moved = money.get((year, pool), (0.0, 0.0))
        if amount <= framed + moved + 0.5:
            continue
        if amount > whole.get(pool, 0.0) + 0.5:
            severity = ERROR
            message = (
                f"{what} {format_number(amount)} er mere end alle puljens penge i rammens år ({pool}: "
                f"{format_number(whole.get(pool, 0.0))} med det overførte, 1.000 kr.); er beløbet skrevet i kroner?"
            )
        else:
            severity = WARNING
            message = (
                f"{what} {format_number(amount)} er mere end puljens penge i {year} ({pool}): rammen "
                f"{format_number(framed)} plus det overførte til året {format_number(moved)} (1.000 kr.)"
            )
        findings.append(Finding(severity, file, message, row=int(getattr(row, ROW_COLUMN)), column=column))
    return findings


def _granted_without_estimate(bevillinger: pd.DataFrame, register: pd.DataFrame, file: str) -> list[Finding]:
    """A grant to a need the register has no cost estimate for: ØU may udmønte a fixed amount
    before the estimate exists, so a warning (once per need, at its first grant) naming the
    grant and the need, not a refusal."""
    lacking = set(register.loc[~register["har_estimat"].astype(bool), "id"])
    grants = bevillinger[(bevillinger["art"] == GRANT) & bevillinger["id"].isin(lacking)]
    findings = []
    for need_id, rows in grants.groupby("id", sort=False):
        first = rows.sort_values(ROW_COLUMN).iloc[0]
        findings.append(
            Finding(
                WARNING,
                file,
                f'"{need_id}" er udmøntet {format_number(rows["beloeb"].sum())} (1.000 kr.) i alt, men behovet har '
                "intet omkostningsestimat i behovsregisteret (omkostning_min og omkostning_max er tomme)",
                row=int(first[ROW_COLUMN]),
                column="id",
            )
        )
    return findings


def _empty(columns) -> pd.DataFrame:
    table = pd.DataFrame({ROW_COLUMN: pd.Series(dtype=int), **{c.name: pd.Series(dtype=object) for c in columns}})
    return typed(table, columns)


def load(
    register: pd.DataFrame, frame: pd.DataFrame, bevillinger, forbrug=None, gevinster=None
) -> tuple[FollowupData | None, list[Finding]]:
    """Load and validate the follow-up files against the register and the frame.

    ``bevillinger`` is required; ``forbrug`` and ``gevinster`` may be None (a plan needs the
    grants and, from its second year, the accounts; the OFS needs all three), and are then
    empty tables: :attr:`FollowupData.complete` says whether all three were given."""
    ids = set(register["id"])
    findings: list[Finding] = []
    b, found = load_bevillinger(bevillinger, ids, frame)
    findings += found
    f, g = _empty(FORBRUG_COLUMNS), _empty(GEVINST_COLUMNS)
    if forbrug is not None:
        f, found = load_forbrug(forbrug, ids, frame)
        findings += found
    if gevinster is not None:
        g, found = load_gevinster(gevinster, ids, frame)
        findings += found
    if b is not None and not any(x.is_error for x in findings):
        money = pool_year_money(frame, b)
        findings += _beyond_the_pool(b, "beloeb", Path(bevillinger).name, money, b["art"] == GRANT, "udmøntningen")
        findings += _granted_without_estimate(b, register, Path(bevillinger).name)
        if f is not None and forbrug is not None:
            findings += _beyond_the_pool(f, "forbrug", Path(forbrug).name, money, f["forbrug"].notna(), "forbruget")
    if b is not None and f is not None:
        funded_ids = set(b["id"].dropna())
        for row in f.itertuples(index=False):
            if row.id in ids and row.id not in funded_ids:
                findings.append(
                    Finding(
                        WARNING,
                        Path(forbrug).name,
                        f'"{row.id}" har forbrug men ingen bevilling',
                        row=int(getattr(row, ROW_COLUMN)),
                        column="id",
                    )
                )
    if b is None or f is None or g is None or any(x.is_error for x in findings):
        return None, findings
    return FollowupData(b, f, g, complete=forbrug is not None and gevinster is not None), findings
