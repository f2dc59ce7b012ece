"""Collecting the needs: reading the intake workbooks the forvaltninger filled in, and
merging the submissions into one register.

The template itself is written by :mod:`analysis.report.template` from the register
contract, the same column definitions the reader uses. :func:`collect` validates every
submission on its own (file, row and column in every message), then across files (an id
in two files, a ``forudsaetter`` no file has); the merged register is written only when
everything holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.inputs.cells import format_number, id_key, visible
from analysis.inputs.columns import ROW_COLUMN
from analysis.inputs.contracts import FORVALTNINGER, REGISTER_COLUMNS
from analysis.inputs.findings import ERROR, WARNING, Finding, InputError
from analysis.inputs.limits import MAX_NEEDS
from analysis.inputs.reading import read_table
from analysis.inputs.register import NEEDS_LIMIT, counted_once, load_register

SHEET = "behovsregister"
GUIDE_SHEET = "Vejledning"
# The workbook's own setting: the forvaltning that fills it in (a defined name, read by collect)
FORVALTNING_NAME = "digiramme_forvaltning"


def template_forvaltning(path: Path) -> str | None:
    """The forvaltning a template was made for (its defined name), or None."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return None
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True)
    except Exception:  # noqa: BLE001 (the register reader reports an unreadable file)
        return None
    try:
        name = workbook.defined_names.get(FORVALTNING_NAME)
        if name is None:
            return None
        value = name.attr_text.strip()
        return value.strip('"') or None
    finally:
        workbook.close()


def forvaltning_from_filename(path: Path) -> str:
    """``behov_BUF_2027.xlsx`` → ``BUF`` (a known forvaltning in the name), else the stem."""
    parts = re.split(r"[_\-\s.]+", path.stem)
    known = {f.casefold(): f for f in FORVALTNINGER}
    for part in parts:
        if part.casefold() in known:
            return known[part.casefold()]
    return path.stem


# --- collect ------------------------------------------------------------------------------------


@dataclass
class Submission:
    """One file's needs and what was found in it."""

    path: Path
    register: pd.DataFrame | None
    raw: dict[int, dict[str, object]]  # spreadsheet row → the cells as written, by column
    findings: list[Finding]
    forvaltning: str | None = None  # the file's own setting (template or file name)

    @property
    def name(self) -> str:
        return self.path.name


@dataclass
class Collected:
    """The merged register and the summary of every submission."""

    submissions: list[Submission]
    register: pd.DataFrame | None  # merged, in the contract's columns (raw cells)
    findings: list[Finding] = field(default_factory=list)  # across files
    previous: pd.DataFrame | None = None
    carried: Submission | None = None  # last year's needs no file submits again, carried over
    dropped: list[str] = field(default_factory=list)  # last year's needs left out on purpose (--drop)

    @property
    def ok(self) -> bool:
        return not any(f.is_error for s in self.submissions for f in s.findings) and not any(
            f.is_error for f in self.findings
        )


def _raw_rows(path: Path) -> dict[int, dict[str, object]]:
    """Spreadsheet row → the cells as written, by column (empty when unreadable)."""
    table, _ = read_table(path, SHEET, ["id"])
    if table is None:
        return {}
    return {rownum: {h: v for h, v in zip(table.header, values, strict=False) if h} for rownum, values in table.rows}


def read_submission(path: Path, raw: dict, other_ids: frozenset[str], from_filename: bool = False) -> Submission:
    """Validate one file on its own; a ``forudsaetter`` may name an id of ``other_ids``
    (the other files)."""
    register, findings = load_register(path, other_ids)
    own = template_forvaltning(path) or (forvaltning_from_filename(path) if from_filename else None)
    return Submission(path, register, raw, findings, own)


def collect(
    paths: list[Path],
    from_filename: bool = False,
    previous: pd.DataFrame | None = None,
    keep_from: Path | None = None,
    drop: tuple[str, ...] = (),
) -> Collected:
    """Read, validate and merge the submissions; nothing is written here.

    ``keep_from``: last year's register (the file ``previous`` was read from), whose needs
    are carried over, funded and open alike, unless a file submits the same id again (its new
    row replaces last year's) or ``drop`` names it (a need withdrawn)."""
    raws = {Path(p): _raw_rows(Path(p)) for p in paths}
    ids = {p: {str(c["id"]).strip() for c in raw.values() if not empty_cell(c.get("id"))} for p, raw in raws.items()}
    findings: list[Finding] = []
    carried = None
    if keep_from is not None and previous is not None:
        carried, found = _carried_over(keep_from, previous, set().union(*ids.values()), drop)
        findings += found
    kept = frozenset(carried.register["id"]) if carried is not None else frozenset()
    submissions = [
        read_submission(p, raw, kept.union(*(ids[q] for q in raws if q != p)), from_filename)
        for p, raw in raws.items()
    ]
    if not submissions:
        findings.append(Finding(ERROR, "collect", "ingen filer at samle"))
    if carried is not None:
        findings += _prerequisites_kept(carried, kept | set().union(*ids.values()))
    seen: dict[str, tuple[str, int]] = {}
    for sub in submissions:
        if sub.register is None:
            continue
        for row in sub.register.itertuples(index=False):
            if not isinstance(row.id, str):
                continue
            rownum = int(getattr(row, ROW_COLUMN))
            key = id_key(row.id)
            if key in seen:
                other_file, other_row = seen[key]
                findings.append(
                    Finding(
                        ERROR,
                        sub.name,
                        f'id "{visible(row.id)}" findes også i {other_file} række {other_row}',
                        rownum,
                        "id",
                    )
                )
            else:
                seen[key] = (sub.name, rownum)
    total = sum(len(sub.register) for sub in submissions if sub.register is not None) + len(kept)
    if total > MAX_NEEDS:  # the register collect writes is one validate reads
        findings.append(
            Finding(
                ERROR,
                "collect",
                f"filerne har tilsammen {format_number(total)} behov; {NEEDS_LIMIT}",
            )
        )
    dropped = sorted(str(i) for i in drop)
    result = Collected(submissions, None, findings, previous, carried, dropped)
    if result.ok:
        result.register = merged(([carried] if carried is not None else []) + submissions)
    return result


def _carried_over(
    path: Path, previous: pd.DataFrame, submitted: set[str], drop: tuple[str, ...]
) -> tuple[Submission, list[Finding]]:
    """Last year's needs that no file submits again and ``drop`` does not name, as a
    submission of their own (the cells as last year's register holds them)."""
    findings = []
    known = {id_key(i): i for i in previous["id"]}
    again = {id_key(i) for i in submitted}
    for need_id in drop:
        if id_key(need_id) not in known:
            findings.append(Finding(ERROR, "--drop", f'"{visible(need_id)}" er ikke et id i sidste års register'))
        elif id_key(need_id) in again:
            again_text = f'"{visible(need_id)}" er indmeldt igen i år; tag det ud af filen eller af --drop'
            findings.append(Finding(ERROR, "--drop", again_text))
    left_out = again | {id_key(i) for i in drop}
    register = previous[~previous["id"].map(id_key).isin(left_out)]
    return Submission(Path(path), register, _raw_rows(Path(path)), []), findings


def _prerequisites_kept(carried: Submission, ids: set[str]) -> list[Finding]:
    """A need carried over may not depend on one that is left out."""
    present = {id_key(i) for i in ids}
    return [
        Finding(
            ERROR,
            carried.name,
            f'"{row.id}" forudsætter "{need}", som ikke føres videre (--drop)',
            int(getattr(row, ROW_COLUMN)),
            "forudsaetter",
        )
        for row in carried.register.itertuples(index=False)
        for need in row.forudsaetter
        if id_key(need) not in present
    ]


def merged(submissions: list[Submission]) -> pd.DataFrame:
    """One table of the cells as the forvaltninger wrote them, in the contract's column
    order; an empty ``forvaltning`` takes the file's own setting. Last year's needs carried
    over come first, as a submission of their own."""
    names = [c.name for c in REGISTER_COLUMNS]
    rows = []
    for sub in submissions:
        for row in sub.register.itertuples(index=False):
            cells = dict(sub.raw.get(int(getattr(row, ROW_COLUMN)), {}))
            record = {name: cells.get(name) for name in names}
            if empty_cell(record["forvaltning"]) and sub.forvaltning:
                record["forvaltning"] = sub.forvaltning
            rows.append(record)
    return pd.DataFrame(rows, columns=names)


def empty_cell(value) -> bool:
    return (
        value is None or (isinstance(value, str) and not value.strip()) or (isinstance(value, float) and value != value)
    )


def summary(result: Collected) -> dict:
    """The ``collect --json`` object: per file, against the previous register, and the needs
    lacking an estimate by forvaltning (whom to chase)."""
    files = []
    lacking: dict[str, list[str]] = {}
    for sub in result.submissions:
        reg = sub.register
        entry = {
            "file": str(sub.path),
            "forvaltning": sorted(
                {str(f) for f in reg["forvaltning"].dropna()} | ({sub.forvaltning} if sub.forvaltning else set())
            )
            if reg is not None
            else [],
            "needs": int(len(reg)) if reg is not None else 0,
            # a variant group counts once (its median variant), as in every sum of the reports
            "expected_cost": float(counted_once(reg)["omkostning_forventet"].sum()) if reg is not None else 0.0,
            "errors": [str(f) for f in sub.findings if f.is_error],
            "warnings": [str(f) for f in sub.findings if f.severity == WARNING],
        }
        files.append(entry)
        if reg is not None:
            for row in reg.itertuples(index=False):
                if not row.har_estimat:
                    who = row.forvaltning or sub.forvaltning or "(ingen forvaltning)"
                    lacking.setdefault(str(who), []).append(row.id)
    carried = list(result.carried.register["id"]) if result.carried is not None else []
    if result.carried is not None:  # last year's needs still without an estimate: still to chase
        for row in result.carried.register.itertuples(index=False):
            if not row.har_estimat:
                lacking.setdefault(str(row.forvaltning or "(ingen forvaltning)"), []).append(row.id)
    out = {
        "ok": result.ok,
        "files": files,
        "errors": [str(f) for f in result.findings if f.is_error],
        "needs": int(sum(f["needs"] for f in files)) + len(carried),
        "lacking_estimate": {k: sorted(v) for k, v in sorted(lacking.items())},
    }
    if result.carried is not None:
        out["carried_over"] = carried
        out["dropped"] = result.dropped
    if result.previous is not None:
        out["against_previous"] = against_previous(result, result.previous)
    return out


def against_previous(result: Collected, previous: pd.DataFrame) -> dict:
    """Needs new, gone and re-costed against last year's register (with last year's needs
    carried over, gone are those dropped)."""
    parts = [s.register for s in [result.carried, *result.submissions] if s is not None and s.register is not None]
    now = pd.concat(parts, ignore_index=True)
    before = previous.set_index("id")
    current = now.set_index("id")
    new = sorted(set(current.index) - set(before.index))
    gone = sorted(set(before.index) - set(current.index))
    recosted = []
    for need_id in sorted(set(current.index) & set(before.index)):
        a, b = before.loc[need_id], current.loc[need_id]
        if any(_differs(a[c], b[c]) for c in ("omkostning_min", "omkostning_max")):
            recosted.append(need_id)
    return {"new": new, "gone": gone, "recosted": recosted}


def _differs(a, b) -> bool:
    a_missing, b_missing = pd.isna(a), pd.isna(b)
    if a_missing or b_missing:
        return a_missing != b_missing
    return abs(float(a) - float(b)) > 1e-9


def raise_if_bad(result: Collected) -> None:
    findings = [f for s in result.submissions for f in s.findings] + result.findings
    if not result.ok:
        raise InputError(findings)
