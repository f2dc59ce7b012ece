"""Declared columns and parsing a file against them.

An input contract is a list of :class:`Column` (see :mod:`analysis.inputs.contracts`);
:func:`parse_table` reads a file, checks its header against the contract and parses
every cell, collecting a finding for each problem.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.inputs import text_checks
from analysis.inputs.cells import (
    cell_text,
    decomposed,
    format_number,
    format_plain,
    parse_amount,
    parse_number,
    parse_share,
    parse_yes_no,
    quoted,
)
from analysis.inputs.findings import ERROR, WARNING, Finding
from analysis.inputs.limits import MAX_AMOUNT, MAX_CELL_LENGTH, YEAR_MAX, YEAR_MIN
from analysis.inputs.reading import read_table

ROW_COLUMN = "raekke"  # spreadsheet row number carried on every parsed row


@dataclass(frozen=True)
class Column:
    """What one column of an input table holds.

    kind: ``text``, ``number``, ``amount`` (1.000 kr., read strictly the Danish way),
    ``share`` (0–1 or a percentage), ``int``, ``year``, ``yesno``, ``ids``
    (``;``-separated ids), ``numbers`` (``;``-separated numbers) or ``shares`` (``;``-separated
    names, each with its percent or all without: ``BUF 40;SUF 60``).
    """

    name: str
    kind: str = "text"
    required: bool = False  # the column must be in the file
    may_be_empty: bool = False  # ...but its cells may be empty (e.g. a need without an estimate)
    minimum: float | None = None
    maximum: float | None = None
    description: str = ""
    default: Any = None  # what an empty or missing cell means (a number), declared once here

    @property
    def documented(self) -> str:
        """The description with the default, as ``data/README.md`` shows it."""
        return self.description + (f"; default {self.default}" if self.default is not None else "")


def _parse_cell(col: Column, raw: Any) -> tuple[Any, str | None]:
    """Parse one cell into its value and an optional warning; raises ValueError with a
    Danish message naming the problem."""
    if isinstance(raw, str) and len(raw) > MAX_CELL_LENGTH:
        raise ValueError(f"feltet har {len(raw)} tegn; højst {MAX_CELL_LENGTH} er tilladt")
    if col.kind == "amount":
        try:
            number, warning = parse_amount(raw)
        except ValueError as exc:
            raise ValueError(f"{quoted(raw)} {exc}") from None
        if number is not None:
            if abs(number) > MAX_AMOUNT:
                raise ValueError(f"{quoted(raw)} er urealistisk stort; beløb er i 1.000 kr. (højst 1.000.000.000)")
            _check_range(col, number, raw)
        return number, warning
    value = _parse_plain_cell(col, raw)
    if col.name == "id" and isinstance(raw, str) and value is not None:
        # an id typed with a combining mark ("A" + U+030A) is read as the composed "Å", said once
        return value, decomposed(raw.strip()) or text_checks.mojibake(value)
    if col.kind == "ids" and isinstance(raw, str):
        return value, decomposed(raw.strip())
    if col.kind == "text" and value is not None:
        return value, text_checks.mojibake(value)
    if col.kind == "year" and value is not None:
        return value, text_checks.far_year(value)
    return value, None


NUMERIC_KINDS = ("amount", "number", "share", "int", "year")


def number_in_cell(col: Column, raw: Any) -> Any:
    """A cell of a numeric column as the number the reader makes of it (``"25.000"`` →
    25000.0, ``"40%"`` → 0.4), for a writer that keeps numbers as numbers; any other cell,
    or one the reader would refuse, as it is."""
    if col.kind not in NUMERIC_KINDS or not isinstance(raw, str):
        return raw
    try:
        value, _warning = _parse_cell(col, raw)
    except ValueError:
        return raw
    return raw if value is None else value


def _parse_plain_cell(col: Column, raw: Any) -> Any:
    if col.kind == "text":
        return cell_text(raw)
    if col.kind == "yesno":
        return parse_yes_no(raw)
    if col.kind == "ids":
        text = cell_text(raw)
        if text is None:
            return ()
        return tuple(part.strip() for part in re.split(r"[;,]", text) if part.strip())
    if col.kind == "shares":
        return parse_shares(cell_text(raw))
    if col.kind == "numbers":
        text = cell_text(raw)
        if text is None:
            return None
        parts = [p for p in text.split(";")]
        try:
            values = tuple(parse_number(p) for p in parts)
        except ValueError:
            raise ValueError(f"{quoted(text)} er ikke en liste af tal adskilt af semikolon (fx 60;40)") from None
        if any(v is None for v in values):
            raise ValueError(f"{quoted(text)} har et tomt led; skriv fx 60;40")
        for v in values:
            _check_range(col, v, text)
        return values
    # numeric kinds
    try:
        number = parse_share(raw) if col.kind == "share" else parse_number(raw)
    except ValueError as exc:
        raise ValueError(f"{quoted(raw)} {exc}") from None
    if number is None:
        return None
    if col.kind in ("int", "year"):
        if not float(number).is_integer():
            what = "et årstal" if col.kind == "year" else "et helt tal"
            raise ValueError(f"{quoted(raw)} er ikke {what}")
        number = int(number)
        if col.kind == "year" and not YEAR_MIN <= number <= YEAR_MAX:
            raise ValueError(f"årstallet {number} ligger uden for {YEAR_MIN}–{YEAR_MAX}")
    _check_range(col, number, raw)
    return number


_NAMED_SHARE = re.compile(r"(?P<name>.*?\S)(?:\s*:\s*|\s+)(?P<percent>[+\-\u2212]?[0-9][0-9.,eE+\-]*)\s*%?")


def parse_shares(text: str | None) -> tuple[tuple[str, float], ...]:
    """``BUF 40;SUF 60`` → ``(("BUF", 0.4), ("SUF", 0.6))``; names without percents share
    equally (``BUF;SUF``: half each); empty: ``()``. Each percent is a number read as every
    number is (:func:`~analysis.inputs.cells.parse_number`: ``30,5`` and ``30.5`` alike),
    from 0 to 100, and together they add up to 100."""
    if text is None:
        return ()
    parts = [p.strip() for p in text.split(";")]
    if any(not p for p in parts):
        raise ValueError(f"{quoted(text)} har et tomt led; skriv fx BUF 40;SUF 60")
    named = []
    for part in parts:
        match = _NAMED_SHARE.fullmatch(part)
        if match is None:
            named.append((part.removesuffix("%").strip(), None))
            continue
        try:
            percent = parse_number(match["percent"])
        except ValueError as exc:
            raise ValueError(f'{quoted(text)}: procenten "{match["percent"]}" {exc}') from None
        if not 0 <= percent <= 100:
            raise ValueError(f"{quoted(text)}: procenten {format_plain(percent)} ligger uden for 0–100")
        named.append((match["name"].strip(), percent))
    names = [n for n, _ in named]
    if len({n.casefold() for n in names}) < len(names):
        raise ValueError(f"{quoted(text)} nævner samme forvaltning to gange")
    given = [p for _, p in named if p is not None]
    if not given:
        return tuple((n, 1 / len(named)) for n in names)
    if len(given) < len(named):
        raise ValueError(f"{quoted(text)}: giv en procent til hver forvaltning eller til ingen (fx BUF 40;SUF 60)")
    if abs(sum(given) - 100) > 1e-6:
        raise ValueError(f"{quoted(text)}: procenterne summer til {format_number(sum(given), 1)}, ikke 100")
    return tuple((n, p / 100) for n, p in named)


def _check_range(col: Column, number: float, raw: Any) -> None:
    if col.minimum is not None and number < col.minimum:
        if col.minimum == 0:
            raise ValueError(f"{quoted(raw)} er negativt; skal være mindst 0")
        raise ValueError(f"{quoted(raw)} er under {_bound(col, col.minimum)}")
    if col.maximum is not None and number > col.maximum:
        low = col.minimum or 0
        raise ValueError(f"{quoted(raw)} ligger uden for {_bound(col, low)}–{_bound(col, col.maximum)}")


def _bound(col: Column, value: float) -> str:
    """A column's bound the Danish way (a year ungrouped: 2026)."""
    return format_plain(value, grouped=col.kind != "year")


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Consecutive row numbers as (first, last) runs."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and row == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


def parse_table(
    path: str | Path,
    columns: list[Column],
    sheet: str,
    max_rows: int | None = None,
    too_many: str | None = None,
) -> tuple[pd.DataFrame | None, list[Finding]]:
    """Read a file and parse it against declared columns.

    Returns a DataFrame with one column per declared column (missing optional columns are
    present and empty) plus ``raekke``, the spreadsheet row number, and all findings. The
    DataFrame is ``None`` when the file could not be read as a table at all, or lacks a
    required column (then the header's findings are all there is to say).
    """
    required = [c.name for c in columns if c.required]
    limit = {"max_rows": max_rows} if max_rows is not None else {}
    raw, findings = read_table(path, sheet, required, too_many=too_many, **limit)
    if raw is None:
        return None, findings
    name = raw.name
    known = {c.name: c for c in columns}

    seen: dict[str, int] = {}
    for index, header in enumerate(raw.header):
        if header == "":
            if any(values[index] is not None for _, values in raw.rows if index < len(values)):
                findings.append(
                    Finding(ERROR, name, f"kolonne nr. {index + 1} har data men ingen overskrift", row=raw.header_row)
                )
            continue
        if header in seen:
            findings.append(Finding(ERROR, name, "kolonnen findes to gange", row=raw.header_row, column=header))
        seen[header] = index
        if header not in known and header != ROW_COLUMN:
            guess = difflib.get_close_matches(header, list(known), n=1, cutoff=0.75)
            if guess:
                findings.append(
                    Finding(ERROR, name, f'ukendt kolonne; mente du "{guess[0]}"?', row=raw.header_row, column=header)
                )
            else:
                findings.append(
                    Finding(WARNING, name, "ukendt kolonne; den bliver ikke brugt", row=raw.header_row, column=header)
                )

    missing = [c for c in required if c not in seen]
    if missing:
        if len([h for h in raw.header if h]) <= 1 and not any(c in seen for c in required):
            findings.append(
                Finding(
                    ERROR,
                    name,
                    "filen ligner ikke en tabel: første linje har ingen kolonneoverskrifter "
                    f"adskilt af semikolon eller komma (forventede {', '.join(required)})",
                )
            )
            return None, findings
        for column in missing:
            findings.append(Finding(ERROR, name, "påkrævet kolonne mangler", row=raw.header_row, column=column))
        # one problem, one line: no row is checked against a column that is not there
        return None, findings
    if not raw.rows:
        findings.append(Finding(ERROR, name, "filen har en overskrift men ingen datarækker"))
        return None, findings
    for first, last in _runs(raw.blank_rows):  # one line per run of blank rows, not a million
        if first == last:
            findings.append(Finding(WARNING, name, "tom række mellem datarækker; den springes over", row=first))
        else:
            findings.append(
                Finding(
                    WARNING,
                    name,
                    f"rækkerne {format_number(first)}–{format_number(last)}"
                    " er tomme mellem datarækker; de springes over",
                )
            )

    records = []
    # (row, column) already reported (e.g. a formula without a saved result): no follow-on findings
    bad_cells: set[tuple[int, str]] = {(f.row, f.column) for f in findings if f.is_error and f.row and f.column}
    for rownum, values in raw.rows:
        record: dict[str, Any] = {ROW_COLUMN: rownum}
        for col in columns:
            index = seen.get(col.name)
            cell = values[index] if index is not None else None
            try:
                record[col.name], warning = _parse_cell(col, cell)
                if warning:
                    findings.append(Finding(WARNING, name, warning, row=rownum, column=col.name))
            except ValueError as exc:
                findings.append(Finding(ERROR, name, str(exc), row=rownum, column=col.name))
                bad_cells.add((rownum, col.name))
                record[col.name] = None
            if col.required and not col.may_be_empty and index is not None and cell is None:
                findings.append(Finding(ERROR, name, "feltet skal udfyldes", row=rownum, column=col.name))
        records.append(record)
    # object dtype keeps None as None, so domain checks can tell "empty" from a value
    frame = pd.DataFrame(records, columns=[ROW_COLUMN] + [c.name for c in columns], dtype=object)
    frame.attrs["bad_cells"] = bad_cells
    return frame, findings


def typed(table: pd.DataFrame, columns: list[Column]) -> pd.DataFrame:
    """Give parsed columns their final dtypes: floats (NaN when empty) and nullable ints."""
    table = table.copy()
    table[ROW_COLUMN] = table[ROW_COLUMN].astype(int)
    for col in columns:
        if col.kind in ("number", "amount", "share"):
            table[col.name] = pd.to_numeric(table[col.name]).astype(float)
        elif col.kind in ("int", "year"):
            table[col.name] = pd.array(table[col.name].tolist(), dtype="Int64")
    return table
