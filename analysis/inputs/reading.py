"""Reading input files into a header and rows: CSV (any Danish Excel flavour) and .xlsx.

Nothing here knows about needs or frames. Each row carries its spreadsheet row number
(the header is row 1), so every later message can point at the cell in Excel. Problems
come back as findings, never raised.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.inputs.cells import cell_text
from analysis.inputs.findings import ERROR, Finding


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
    text = cell_text(name) or ""
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
