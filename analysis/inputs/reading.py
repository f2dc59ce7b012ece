"""Reading input files into a header and rows: CSV (any Danish Excel flavour) and .xlsx.

Nothing here knows about needs or frames. Each row carries its spreadsheet row number
(the header is row 1), so every later message can point at the cell in Excel. Problems
come back as findings, never raised.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.inputs import workbook as workbook_parts
from analysis.inputs.cells import cell_text, format_number
from analysis.inputs.findings import ERROR, WARNING, Finding, os_error_text
from analysis.inputs.limits import MAX_FILE_BYTES, MAX_ROWS


@dataclass
class RawTable:
    """A file's header and non-blank rows, each with its spreadsheet row number."""

    name: str
    header: list[str]  # normalised column names
    header_row: int = 1
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    blank_rows: list[int] = field(default_factory=list)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # a sheet's merged cells


def normalise_header(name: Any) -> str:
    """``Område`` → ``omraade``, ``Andel anlæg`` → ``andel_anlaeg``."""
    text = cell_text(name) or ""
    text = text.replace("\ufeff", "").strip().lower()
    for danish, ascii_ in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        text = text.replace(danish, ascii_)
    return re.sub(r"[\s\-]+", "_", text)


def _is_xlsx(path: Path, data: bytes) -> bool:
    return path.suffix.lower() in (".xlsx", ".xlsm") or data[:4] == b"PK\x03\x04"


def read_table(
    path: str | Path, sheet: str, required: list[str], max_rows: int = MAX_ROWS, too_many: str | None = None
) -> tuple[RawTable | None, list[Finding]]:
    """Read a CSV or .xlsx file into a :class:`RawTable`.

    ``sheet`` is the preferred sheet name in a workbook; without it, the one visible sheet
    that holds the ``required`` columns is used. A file of more than ``max_rows`` data rows
    is refused as soon as the reader reaches the first row too many (``too_many``: the
    message, if not the general one). Problems come back as findings, never raised.
    """
    path = Path(path)
    name = path.name or str(path)
    if str(path) in ("", "."):
        return None, [Finding(ERROR, "(tom sti)", "stien er tom; angiv en fil")]
    try:
        if path.is_dir():
            return None, [Finding(ERROR, name, f"{path} er en mappe, ikke en fil")]
        if path.exists() and not path.is_file():
            return None, [Finding(ERROR, name, f"{path} er ikke en almindelig fil")]
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)  # never more: a huge or endless file is refused, not read
    except FileNotFoundError:
        return None, [Finding(ERROR, name, f"filen findes ikke ({path})")]
    except OSError as exc:
        return None, [Finding(ERROR, name, f"filen kan ikke læses: {os_error_text(exc)}")]
    if len(data) > MAX_FILE_BYTES:
        return None, [
            Finding(ERROR, name, f"filen er større end {MAX_FILE_BYTES // 1_000_000} MB; så store inddata læses ikke")
        ]
    if not data.strip():
        return None, [Finding(ERROR, name, "filen er tom")]
    refused = _foreign_format(path, data)
    if refused:
        return None, [Finding(ERROR, name, refused)]
    try:
        if _is_xlsx(path, data):
            table, findings = _read_xlsx(name, data, sheet, required, max_rows)
        else:
            table, findings = _read_csv(name, data, required, max_rows)
    except _TooManyRows as exc:
        limit = format_number(max_rows)
        message = too_many or f"filen har mere end {limit} datarækker; højst {limit} læses"
        return None, [Finding(ERROR, exc.args[0], message, row=exc.args[1])]
    return table, findings


class _TooManyRows(Exception):
    """The reader reached the first data row beyond the limit (file, spreadsheet row)."""


def _foreign_format(path: Path, data: bytes) -> str | None:
    """One clear line for a file in a format this package does not read, saying what to do."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return 'filen er gemt som UTF-16 (Unicode-tekst); gem den fra Excel som "CSV UTF-8 (kommasepareret)"'
    if workbook_parts.is_encrypted(data):
        return (
            "projektmappen er beskyttet med adgangskode; gem den uden adgangskode (Filer > Info > Beskyt projektmappe)"
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return 'filen er i det gamle Excel-format (.xls); gem den som "Excel-projektmappe (.xlsx)"'
    if data[:4] == b"PK\x03\x04" and b"application/vnd.oasis.opendocument" in data[:200]:
        return 'filen er et OpenDocument-regneark (.ods); gem den som "Excel-projektmappe (.xlsx)" eller CSV UTF-8'
    if path.suffix.lower() in (".ods", ".xls", ".numbers"):
        return f'filtypen {path.suffix} kan ikke læses; gem filen som "Excel-projektmappe (.xlsx)" eller CSV UTF-8'
    return None


def _title_row(name: str, records, required: list[str]) -> Finding | None:
    """A title above the header row: say so once, instead of many misleading lines.
    ``records`` are the file's first rows as lists of cells."""
    rows = [(n, [c for c in r if c is not None and str(c).strip()]) for n, r in enumerate(records, start=1)]
    rows = [(n, cells) for n, cells in rows if cells]
    if len(rows) < 2 or len(rows[0][1]) != 1 or not required:
        return None
    first = rows[0][0]
    for rownum, cells in rows[1:10]:
        names = {normalise_header(c) for c in cells}
        if all(c in names for c in required):
            return Finding(
                ERROR,
                name,
                f"rækken ser ud til at være en titel over overskrifterne, som står i række {rownum}; "
                "slet titlen, så overskrifterne står øverst",
                row=first,
            )
    return None


def _read_csv(
    name: str, data: bytes, required: list[str] = (), max_rows: int = MAX_ROWS
) -> tuple[RawTable | None, list[Finding]]:
    # a field may be as long as the file (each cell's own limit is checked at the cell,
    # naming it): csv's default of 128 kB crashed on a long cell
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FILE_BYTES + 1))
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
    head = itertools.islice(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 12)
    title = _title_row(name, head, required)
    if title:
        return None, [title]
    unclosed = _unclosed_quote_row(text, delimiter)
    if unclosed is not None:
        return None, [
            Finding(
                ERROR,
                name,
                'et anførselstegn (") åbnes her og lukkes aldrig, så resten af filen ville blive læst som ét felt; '
                "luk det, eller fjern det",
                row=unclosed,
            )
        ]
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
            if len(table.rows) >= max_rows:
                raise _TooManyRows(name, rownum)
            table.rows.append((rownum, values))
    except csv.Error as exc:
        return None, [Finding(ERROR, name, f"filen kan ikke læses som CSV: {exc}")]
    if table is None:
        return None, [Finding(ERROR, name, "filen har kun tomme rækker og ingen overskrift")]
    return table, findings


def _unclosed_quote_row(text: str, delimiter: str) -> int | None:
    """The line where a quoted field opens and never closes (None: every quote closes)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 1
    while True:
        start = reader.line_num + 1
        try:
            next(reader)
        except StopIteration:
            return None
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                return start
            return None  # another oddity; the lenient reader below handles it


def _read_xlsx(
    name: str, data: bytes, sheet: str, required: list[str], max_rows: int = MAX_ROWS
) -> tuple[RawTable | None, list[Finding]]:
    """The workbook as a person sees it: only visible sheets; the one with the template's
    name (``sheet``) or the one sheet holding the ``required`` columns. Several such sheets
    without the template's name are refused (which one is meant would be a guess); with it,
    that sheet is read and the others named in a warning."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    too_large = workbook_parts.unpacked_problem(data)
    if too_large:
        return None, [Finding(ERROR, name, too_large)]
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        return None, [Finding(ERROR, name, f"filen kan ikke læses som Excel-projektmappe (.xlsx): {exc}")]
    try:
        sheets = [ws for ws in workbook.worksheets if ws.sheet_state == "visible"]
        names = [ws.title for ws in sheets]
        hidden = [ws.title for ws in workbook.worksheets if ws.sheet_state != "visible"]
        preferred = [ws for ws in sheets if ws.title.strip().lower() == sheet.lower()]
        found: list[tuple[str, RawTable]] = []
        titles: list[Finding] = []
        first_table = None
        for worksheet in preferred + [ws for ws in sheets if ws not in preferred]:
            sheet_label = f"{name} (ark {worksheet.title})"
            head = itertools.islice(worksheet.iter_rows(values_only=True), 12)
            title = _title_row(sheet_label, head, required)
            if title:
                titles.append(title)  # said only when no sheet is the register
                continue
            merged = workbook_parts.merged_ranges(data, getattr(worksheet, "_worksheet_path", ""))
            table = _sheet_table(sheet_label, worksheet, merged, max_rows)
            if first_table is None:
                first_table = (worksheet.title, table)
            if table is not None and all(col in table.header for col in required):
                found.append((worksheet.title, table))
        if found:
            chosen_name, chosen = found[0]
            others = [n for n, _ in found[1:]]
            if others and not (preferred and chosen_name == preferred[0].title):
                return None, [
                    Finding(
                        ERROR,
                        name,
                        f"flere synlige ark har registerets kolonner ({', '.join(n for n, _ in found)}); "
                        f'slet eller skjul dem, der ikke skal læses, eller kald det rigtige ark "{sheet}"',
                    )
                ]
            warnings = (
                [
                    Finding(
                        WARNING,
                        name,
                        f"arket {chosen_name} læses; arkene {', '.join(others)} "
                        "har også registerets kolonner og læses ikke",
                    )
                ]
                if others
                else []
            )
            return chosen, warnings + _merged_cells(chosen) + _formulas_without_value(data, chosen_name, chosen)
        if preferred and first_table is not None and first_table[1] is not None:
            # the named sheet: report its missing columns precisely
            named = first_table[1]
            return named, _merged_cells(named) + _formulas_without_value(data, first_table[0], named)
        if titles:
            return None, titles[:1]
        which = "synlige " if hidden else ""
        seen = ", ".join(names) + (f" (skjulte ark læses ikke: {', '.join(hidden)})" if hidden else "")
        return None, [
            Finding(
                ERROR,
                name,
                f"ingen {which}ark i projektmappen har de påkrævede kolonner ({', '.join(required)}); ark set: {seen}",
            )
        ]
    finally:
        workbook.close()


def _merged_cells(table: RawTable) -> list[Finding]:
    """Merged cells in the table are refused, naming the range: Excel shows a merged cell's
    value across the cells it covers, but stores it in the first one only, so what the sheet
    shows and what it holds differ (the rows are read as shown, so nothing more is said)."""
    from openpyxl.utils.cell import get_column_letter

    last = table.rows[-1][0] if table.rows else table.header_row
    findings = []
    for min_col, min_row, max_col, max_row in table.merged:
        if max_row < table.header_row or min_row > last or min_col > len(table.header):
            continue  # outside the table: a note beside it
        cells = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{max_row}"
        findings.append(
            Finding(
                ERROR,
                table.name,
                f"cellerne {cells} er flettet; ophæv fletningen (Start > Flet og centrer), og skriv værdien i hver "
                "celle, så arket indeholder det, det viser",
                row=min_row,
                column=table.header[min_col - 1] or None,
            )
        )
    return findings


def _formulas_without_value(data: bytes, sheet_name: str, table: RawTable) -> list[Finding]:
    """Formula cells whose result was never saved (a workbook written by a program, not
    saved in Excel): reading them as empty would silently lose the numbers."""
    from openpyxl import load_workbook

    empty = {(r, k) for r, values in table.rows for k, v in enumerate(values) if v is None}
    if not empty:
        return []
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    findings = []
    try:
        for rownum, record in enumerate(workbook[sheet_name].iter_rows(values_only=True), start=1):
            for k, value in enumerate(record[: len(table.header)]):
                if (rownum, k) in empty and isinstance(value, str) and value.startswith("="):
                    findings.append(
                        Finding(
                            ERROR,
                            table.name,
                            f"cellen har formlen {value[:40]} men intet gemt resultat; åbn filen i Excel, og gem den",
                            row=rownum,
                            column=table.header[k] or None,
                        )
                    )
    finally:
        workbook.close()
    return findings


def _sheet_table(name: str, worksheet, merged: list | None = None, max_rows: int = MAX_ROWS) -> RawTable | None:
    records = {}
    filled = 0  # rows with any value, counted as they are read: a sheet of a million rows stops early
    for rownum, record in enumerate(worksheet.iter_rows(values_only=True), start=1):
        records[rownum] = list(record)
        if any(v is not None and not (isinstance(v, str) and not v.strip()) for v in record):
            filled += 1
            if filled > max_rows + 1 and not merged:  # the header and max_rows data rows
                raise _TooManyRows(name, rownum)
    if merged:
        workbook_parts.fill_merged(records, merged)
    table: RawTable | None = None
    for rownum, record in records.items():
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
        if len(table.rows) >= max_rows:
            raise _TooManyRows(name, rownum)
        table.rows.append((rownum, values))
    if table is not None:
        # Trailing empty rows in a sheet are formatting, not blank rows between data.
        last = table.rows[-1][0] if table.rows else 0
        table.blank_rows = [r for r in table.blank_rows if r < last]
        table.merged = list(merged or [])
    return table
