"""Reading input tables: CSV (any Danish Excel flavour) and .xlsx, cell by cell.

Nothing here knows about needs or frames. It turns a file into a header and rows,
each row carrying its spreadsheet row number, and parses cell values (Danish and
English numbers, years, yes/no, lists) into Python values with a clear message when a
cell cannot be read. The domain modules declare their columns with :class:`Column`
and call :func:`parse_table`.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
from babel.numbers import NumberFormatError, parse_decimal

from analysis.findings import ERROR, WARNING, Finding

ROW_COLUMN = "raekke"  # spreadsheet row number carried on every parsed row


# --- numbers ---------------------------------------------------------------------------

_ENGLISH_DECIMAL = re.compile(r"^[+-]?(\d+)?\.(\d+)$")
_SPACES = re.compile(r"[\s\u00a0\u202f]")


def parse_number(value: Any) -> float | None:
    """Read a number the way Danish analysts and their tools write it.

    ``None`` and blank text give ``None``. Excel numbers pass through. Text is read as
    Danish (``2,5``, ``1.000``, ``2.500,5``) by Babel; failing that, as an English
    decimal from another tool (``0.5``, ``2820.0``): a dot not followed by exactly three
    digits is a decimal point. Raises ``ValueError`` for anything else.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("er ikke et tal")
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            return None
        return float(value)
    text = _SPACES.sub("", str(value)).replace("\u2212", "-")
    if text == "":
        return None
    try:
        return float(parse_decimal(text, locale="da_DK", strict=True))
    except NumberFormatError:
        pass
    match = _ENGLISH_DECIMAL.match(text)
    if match and len(match.group(2)) != 3:
        return float(text)
    raise ValueError("er ikke et tal")


def parse_share(value: Any) -> float | None:
    """A share between 0 and 1, also accepted as a percentage (``40%`` or ``40 %``)."""
    if isinstance(value, str) and value.strip().endswith("%"):
        number = parse_number(value.strip()[:-1])
        return None if number is None else number / 100
    return parse_number(value)


_YES = {"ja", "j", "x", "1", "sand", "true", "yes", "y"}
_NO = {"nej", "n", "0", "falsk", "false", "no", ""}


def parse_yes_no(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = "1" if value == 1 else "0" if value == 0 else text
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError("skal være ja eller nej")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            value = int(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    text = str(value).strip()
    return text or None


def _quote(value: Any) -> str:
    text = str(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f'"{text}"'


# --- column declarations ---------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """What one column of an input table holds.

    kind: ``text``, ``number``, ``share`` (0–1 or a percentage), ``int``, ``year``,
    ``yesno``, ``ids`` (``;``-separated ids) or ``numbers`` (``;``-separated numbers).
    """

    name: str
    kind: str = "text"
    required: bool = False  # the column must be in the file
    may_be_empty: bool = False  # ...but its cells may be empty (e.g. a need without an estimate)
    minimum: float | None = None
    maximum: float | None = None
    description: str = ""


YEAR_MIN, YEAR_MAX = 2000, 2100


def _parse_cell(col: Column, raw: Any) -> Any:
    """Parse one cell; raises ValueError with a Danish message naming the problem."""
    if col.kind == "text":
        return _text(raw)
    if col.kind == "yesno":
        return parse_yes_no(raw)
    if col.kind == "ids":
        text = _text(raw)
        if text is None:
            return ()
        return tuple(part.strip() for part in re.split(r"[;,]", text) if part.strip())
    if col.kind == "numbers":
        text = _text(raw)
        if text is None:
            return None
        parts = [p for p in text.split(";")]
        try:
            values = tuple(parse_number(p) for p in parts)
        except ValueError:
            raise ValueError(f"{_quote(text)} er ikke en liste af tal adskilt af semikolon (fx 60;40)") from None
        if any(v is None for v in values):
            raise ValueError(f"{_quote(text)} har et tomt led; skriv fx 60;40")
        for v in values:
            _check_range(col, v, text)
        return values
    # numeric kinds
    try:
        number = parse_share(raw) if col.kind == "share" else parse_number(raw)
    except ValueError:
        raise ValueError(f"{_quote(raw)} er ikke et tal") from None
    if number is None:
        return None
    if col.kind in ("int", "year"):
        if not float(number).is_integer():
            what = "et årstal" if col.kind == "year" else "et helt tal"
            raise ValueError(f"{_quote(raw)} er ikke {what}")
        number = int(number)
        if col.kind == "year" and not YEAR_MIN <= number <= YEAR_MAX:
            raise ValueError(f"årstallet {number} ligger uden for {YEAR_MIN}–{YEAR_MAX}")
    _check_range(col, number, raw)
    return number


def _check_range(col: Column, number: float, raw: Any) -> None:
    if col.minimum is not None and number < col.minimum:
        if col.minimum == 0:
            raise ValueError(f"{_quote(raw)} er negativt; skal være mindst 0")
        raise ValueError(f"{_quote(raw)} er under {col.minimum:g}")
    if col.maximum is not None and number > col.maximum:
        raise ValueError(f"{_quote(raw)} ligger uden for {col.minimum or 0:g}–{col.maximum:g}")


# --- reading files -----------------------------------------------------------------------


@dataclass
class RawTable:
    """A file's header and non-blank rows, each with its spreadsheet row number."""

    name: str
    header: list[str]  # normalised column names
    header_row: int = 1
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    blank_rows: list[int] = field(default_factory=list)


def normalise_header(name: Any) -> str:
    """``Område`` → ``omraade``, ``Andel anlæg`` → ``andel_anlaeg``."""
    text = _text(name) or ""
    text = text.replace("\ufeff", "").strip().lower()
    for danish, ascii_ in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        text = text.replace(danish, ascii_)
    return re.sub(r"[\s\-]+", "_", text)


def _is_xlsx(path: Path, data: bytes) -> bool:
    return path.suffix.lower() in (".xlsx", ".xlsm") or data[:4] == b"PK\x03\x04"


def read_table(path: str | Path, sheet: str, required: list[str]) -> tuple[RawTable | None, list[Finding]]:
    """Read a CSV or .xlsx file into a :class:`RawTable`.

    ``sheet`` is the preferred sheet name in a workbook; without it, the first sheet that
    holds the ``required`` columns is used. Problems come back as findings, never raised.
    """
    path = Path(path)
    name = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, [Finding(ERROR, name, f"filen findes ikke ({path})")]
    except IsADirectoryError:
        return None, [Finding(ERROR, name, f"{path} er en mappe, ikke en fil")]
    except OSError as exc:
        return None, [Finding(ERROR, name, f"filen kan ikke læses: {exc.strerror}")]
    if not data.strip():
        return None, [Finding(ERROR, name, "filen er tom")]
    if _is_xlsx(path, data):
        return _read_xlsx(name, data, sheet, required)
    return _read_csv(name, data)


def _read_csv(name: str, data: bytes) -> tuple[RawTable | None, list[Finding]]:
    if b"\x00" in data[:4096]:
        return None, [Finding(ERROR, name, "filen er ikke en tekstfil (CSV) eller en Excel-projektmappe")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        byte = data[exc.start]
        hint = ""
        try:
            data.decode("cp1252")
            hint = " Den ser ud til at være gemt som Latin-1/Windows-1252."
        except UnicodeDecodeError:
            pass
        return None, [
            Finding(
                ERROR,
                name,
                f"filen er ikke UTF-8 (byte 0x{byte:02X} kan ikke læses).{hint} "
                'Gem den fra Excel som "CSV UTF-8 (kommasepareret)".',
                row=line,
            )
        ]
    first_line = next((ln for ln in text.splitlines() if ln.strip()), "")
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    delimiter = max(counts, key=lambda d: counts[d])
    if counts[delimiter] == 0:
        delimiter = ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    findings: list[Finding] = []
    table: RawTable | None = None
    try:
        for rownum, record in enumerate(reader, start=1):
            if table is None:
                if not any(cell.strip() for cell in record):
                    continue
                table = RawTable(name, [normalise_header(c) for c in record], header_row=rownum)
                continue
            values: list[Any] = [cell if cell.strip() else None for cell in record]
            if not any(v is not None for v in values):
                table.blank_rows.append(rownum)
                continue
            if len(values) > len(table.header):
                extra = values[len(table.header) :]
                if any(v is not None for v in extra):
                    findings.append(
                        Finding(
                            ERROR,
                            name,
                            f"rækken har {len(values)} felter, men overskriften har "
                            f"{len(table.header)}; er der et '{delimiter}' i en tekst uden "
                            "anførselstegn?",
                            row=rownum,
                        )
                    )
                    continue
                values = values[: len(table.header)]
            values += [None] * (len(table.header) - len(values))
            table.rows.append((rownum, values))
    except csv.Error as exc:
        return None, [Finding(ERROR, name, f"filen kan ikke læses som CSV: {exc}")]
    return table, findings


def _read_xlsx(name: str, data: bytes, sheet: str, required: list[str]) -> tuple[RawTable | None, list[Finding]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        return None, [Finding(ERROR, name, f"filen kan ikke læses som Excel-projektmappe (.xlsx): {exc}")]
    try:
        names = workbook.sheetnames
        preferred = [n for n in names if n.strip().lower() == sheet.lower()]
        candidates = preferred or names
        tables = []
        for sheet_name in candidates:
            table = _sheet_table(f"{name} (ark {sheet_name})", workbook[sheet_name])
            if table is not None and all(col in table.header for col in required):
                return table, []
            tables.append(table)
        if preferred and tables[0] is not None:
            return tables[0], []  # the named sheet: report its missing columns precisely
        return None, [
            Finding(
                ERROR,
                name,
                "ingen ark i projektmappen har de påkrævede kolonner "
                f"({', '.join(required)}); ark set: {', '.join(names)}",
            )
        ]
    finally:
        workbook.close()


def _sheet_table(name: str, worksheet) -> RawTable | None:
    table: RawTable | None = None
    for rownum, record in enumerate(worksheet.iter_rows(values_only=True), start=1):
        values = [None if (isinstance(v, str) and not v.strip()) else v for v in record]
        if table is None:
            if not any(v is not None for v in values):
                continue
            header = [normalise_header(v) for v in values]
            while header and header[-1] == "":
                header.pop()
            table = RawTable(name, header, header_row=rownum)
            continue
        if not any(v is not None for v in values):
            table.blank_rows.append(rownum)
            continue
        values = list(values[: len(table.header)])
        values += [None] * (len(table.header) - len(values))
        table.rows.append((rownum, values))
    if table is not None:
        # Trailing empty rows in a sheet are formatting, not blank rows between data.
        last = table.rows[-1][0] if table.rows else 0
        table.blank_rows = [r for r in table.blank_rows if r < last]
    return table


# --- parsing a table against its columns ------------------------------------------------------


def parse_table(
    path: str | Path,
    columns: list[Column],
    sheet: str,
) -> tuple[pd.DataFrame | None, list[Finding]]:
    """Read a file and parse it against declared columns.

    Returns a DataFrame with one column per declared column (missing optional columns are
    present and empty) plus ``raekke``, the spreadsheet row number, and all findings. The
    DataFrame is ``None`` when the file could not be read as a table at all.
    """
    required = [c.name for c in columns if c.required]
    raw, findings = read_table(path, sheet, required)
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
    if not raw.rows:
        findings.append(Finding(ERROR, name, "filen har en overskrift men ingen datarækker"))
        return None, findings
    for rownum in raw.blank_rows:
        findings.append(Finding(WARNING, name, "tom række mellem datarækker; den springes over", row=rownum))

    records = []
    for rownum, values in raw.rows:
        record: dict[str, Any] = {ROW_COLUMN: rownum}
        for col in columns:
            index = seen.get(col.name)
            cell = values[index] if index is not None else None
            try:
                record[col.name] = _parse_cell(col, cell)
            except ValueError as exc:
                findings.append(Finding(ERROR, name, str(exc), row=rownum, column=col.name))
                record[col.name] = None
            if col.required and not col.may_be_empty and index is not None and cell is None:
                findings.append(Finding(ERROR, name, "feltet skal udfyldes", row=rownum, column=col.name))
        records.append(record)
    # object dtype keeps None as None, so domain checks can tell "empty" from a value
    frame = pd.DataFrame(records, columns=[ROW_COLUMN] + [c.name for c in columns], dtype=object)
    return frame, findings


def typed(table: pd.DataFrame, columns: list[Column]) -> pd.DataFrame:
    """Give parsed columns their final dtypes: floats (NaN when empty) and nullable ints."""
    table = table.copy()
    table[ROW_COLUMN] = table[ROW_COLUMN].astype(int)
    for col in columns:
        if col.kind in ("number", "share"):
            table[col.name] = pd.to_numeric(table[col.name]).astype(float)
        elif col.kind in ("int", "year"):
            table[col.name] = pd.array(table[col.name].tolist(), dtype="Int64")
    return table
