"""Writing results to files analysts open in Excel: semicolon CSV with Danish decimals, or
.xlsx with numbers as numbers. Files are written to a temporary name and renamed into
place, so a failure never leaves half a file, and an input file is never overwritten."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from analysis.inputs.findings import BadArgument, os_error_text
from analysis.inputs.paths import write_atomically
from analysis.inputs.register import need_titles
from analysis.report.records import allocation_dict

NEUTRALISE = ("=", "+", "-", "@")
# The page's formats as Excel number formats (Excel shows them with the reader's own
# separators: 1.000 and 2,5 on a Danish machine). Amounts are in 1.000 kr. as on the page.
EXCEL_FORMATS = {
    "tkr": "#,##0",
    "mio": "#,##0",
    "pct": "0%",
    "pct1": "0.0%",
    "pct2": "0.00%",
    "share": "0.0%",  # a core index of 0,995 must not read 100 %
    "num1": "0.0",
    "num2": "0.00",
    "int": "0",
    "year": "0",
    "measure": "#,##0",  # a measurement: whole numbers without decimals, else one (per cell)
}


def _safe_text(value):
    """In a CSV file, text that Excel would read as a formula gets a leading apostrophe (a
    CSV cell has no type; an .xlsx stores text as text, :func:`_as_text`)."""
    if isinstance(value, str) and value.startswith(NEUTRALISE):
        return "'" + value
    return value


def _excel_text(value):
    """A value an .xlsx cell can hold: a control character, which Excel cannot store (openpyxl
    refused the whole file), is shown as ``<U+001B>``, as the messages show it."""
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub(lambda m: f"<U+{ord(m.group(0)):04X}>", value)
    if isinstance(value, float) and math.isfinite(value):
        # a sum of converted amounts carries floating-point noise (637.2999999999993) and may
        # be -0.0: a reader sees the number the page shows, to a thousandth of a krone
        return round(value, 6) + 0.0
    return value


def _as_text(cells) -> None:
    """Every text cell of an .xlsx stored as a string cell, exactly as written: openpyxl
    would store "=SUM(…)" as a formula, and Excel would run it. No apostrophe: Excel shows
    the text as it is ("+18,2", "=SUM(…)")."""
    for cell in cells:
        if isinstance(cell.value, str) and cell.data_type != "s":
            cell.data_type = "s"


def write_tables(path: str | Path, sheets: dict[str, pd.DataFrame], protect: list[Path] = ()) -> Path:
    """Write ``sheets`` to ``path``: every sheet in an .xlsx, or the first sheet as CSV.

    Raises :class:`~analysis.inputs.findings.BadArgument` when ``path`` is one of the
    ``protect``-ed input files or has an unsupported suffix.
    """
    path = Path(path)
    if any(path.resolve() == Path(p).resolve() for p in protect):
        raise BadArgument(f"{path} er en inddatafil; vælg et andet filnavn")
    if path.is_dir():
        raise BadArgument(f"{path} er en mappe; angiv et filnavn, fx {path / 'bevillinger.csv'}")
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise BadArgument(f"{path.name}: filen skal ende på .csv eller .xlsx")

    def write(temporary: str) -> None:
        if suffix == ".csv":
            first = next(iter(sheets.values())).map(_safe_text)
            first.to_csv(temporary, sep=";", decimal=",", index=False, encoding="utf-8-sig")
        else:
            with pd.ExcelWriter(temporary, engine="openpyxl") as writer:
                for name, table in sheets.items():
                    table.map(_excel_text).to_excel(writer, sheet_name=name[:31], index=False)
                    for row in writer.sheets[name[:31]].iter_rows():
                        _as_text(row)

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return write_atomically(path, write)
    except (NotADirectoryError, FileExistsError):
        raise BadArgument(f"{path} kan ikke skrives: en del af stien er en fil, ikke en mappe") from None
    except PermissionError:
        raise BadArgument(f"{path} kan ikke skrives: ingen skriveadgang til {path.parent}") from None
    except OSError as exc:
        raise BadArgument(f"{path} kan ikke skrives: {os_error_text(exc)}") from None


def allocation_sheets(result, register: pd.DataFrame, ledger_table: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """An allocation option as tables: ``bevillinger`` (the ledger after the udmøntning,
    usable as the next step's bevillinger file unchanged), ``udeladte`` (why each need is
    left out) and ``pr_aar`` (what is udmøntet and not per year and pool)."""
    titles = need_titles(register)
    excluded = pd.DataFrame(
        [
            {
                "id": e["id"],
                "titel": titles[e["id"]],
                "aarsag": e["reason_text"],
                "detalje": e["detail"],
                "vaerditab": e.get("value_lost"),
            }
            for e in allocation_dict(result)["excluded"]
        ],
        columns=["id", "titel", "aarsag", "detalje", "vaerditab"],
    )
    granted = result.spending().rename(columns=lambda c: f"udmoentet_{c}")
    left = result.unspent().rename(columns=lambda c: f"ikke_udmoentet_{c}")
    per_year = granted.join(left).reset_index().rename(columns={"year": "aar"})
    return {"bevillinger": ledger_table, "udeladte": excluded, "pr_aar": per_year}


_SHEET_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def _sheet_name(text: str, limit: int = 31) -> str:
    """A readable sheet name within Excel's limit: cut at a word, marked with "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.–-") + "…"


def appendix_sheets(tables: list[tuple[str, dict]]) -> dict[str, pd.DataFrame]:
    """Sheets for the report's Excel appendix: one per table, in report order, named
    "<page>.<number> <caption>" within Excel's 31 characters, with caption and unit above."""
    sheets: dict[str, pd.DataFrame] = {}
    for prefix, table in tables:
        name = _sheet_name(f"{prefix} {table['caption']}".translate(_SHEET_FORBIDDEN))
        base, k = name, 2
        while name in sheets:
            suffix = f" ({k})"
            name = base[: 31 - len(suffix)] + suffix
            k += 1
        sheets[name] = pd.DataFrame(table["rows"], columns=table["columns"])
        sheets[name].attrs["title"] = table["caption"] + (f" ({table['unit']})" if table.get("unit") else "")
        sheets[name].attrs["formats"] = table.get("formats", {})
        sheets[name].attrs["row_formats"] = table.get("row_formats", {})
    return sheets


def write_appendix(path: Path, tables: list[tuple[str, dict]]) -> Path:
    """The Excel appendix: every table of a report, one sheet each, numbers as numbers,
    text as string cells (never a formula, shown as written)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, table in appendix_sheets(tables).items():
        sheet = workbook.create_sheet(name)
        sheet.append([_excel_text(table.attrs["title"])])
        sheet["A1"].font = Font(bold=True)
        sheet.append([_excel_text(c) for c in table.columns])
        formats = table.attrs.get("formats", {})
        row_formats = table.attrs.get("row_formats", {})
        by_column = [EXCEL_FORMATS.get(formats.get(str(c), "")) for c in table.columns]
        for row in table.itertuples(index=False):
            sheet.append([_excel_text(v) for v in row])
            by_row = EXCEL_FORMATS.get(row_formats.get(str(row[0]), "")) if row_formats else None
            for cell, number_format in zip(sheet[sheet.max_row], by_column, strict=True):
                chosen = by_row if by_row and cell.column > 1 else number_format
                if chosen and isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                    whole = float(cell.value).is_integer()
                    cell.number_format = chosen if chosen != EXCEL_FORMATS["measure"] or whole else "#,##0.0"
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            _as_text(row)
    if not workbook.sheetnames:
        workbook.create_sheet("Ingen tabeller")
    return write_atomically(path, workbook.save)
