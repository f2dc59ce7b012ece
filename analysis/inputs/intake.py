"""Collecting the needs: the intake workbook a forvaltning fills in, and merging the
submissions into one register.

The template is generated from the register contract (:data:`REGISTER_COLUMNS`), the same
column definitions the reader uses, so what a forvaltning fills in is exactly what the
rest of the package reads. :func:`collect` validates every submission on its own (file,
row and column in every message), then across files (an id in two files, a
``forudsaetter`` no file has), and writes the merged register only when everything holds.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.inputs.columns import ROW_COLUMN, Column
from analysis.inputs.contracts import AREAS, FORVALTNINGER, POTENTIALS, REGISTER_COLUMNS
from analysis.inputs.findings import ERROR, WARNING, Finding, InputError
from analysis.inputs.paths import write_atomically
from analysis.inputs.reading import normalise_header, read_table
from analysis.inputs.register import load_register

SHEET = "behovsregister"
GUIDE_SHEET = "Vejledning"
# The workbook's own setting: the forvaltning that fills it in (a defined name, read by collect)
FORVALTNING_NAME = "digiramme_forvaltning"

# Danish help for each register column: what it holds (with unit), an example, and what an
# empty cell means. Keyed by the contract's names; a test keeps it complete.
HELP: dict[str, tuple[str, str, str]] = {
    "id": ("Entydigt id for behovet, fx forvaltningens forkortelse og et løbenummer.", "BUF-03", "skal udfyldes"),
    "omraade": (
        "Indsatsområde; helst et af notatets områder (listen), et nyt område er tilladt.",
        "Automatisering",
        "skal udfyldes",
    ),
    "titel": ("Behovets navn, kort.", "Digital pladsanvisning", "skal udfyldes"),
    "omkostning_min": (
        "Laveste samlede omkostning, 1.000 kr. (hele beløb, dansk format).",
        "10.000",
        "tom sammen med maks.: intet estimat endnu (behovet kan ikke finansieres, men vises)",
    ),
    "omkostning_max": (
        "Højeste samlede omkostning, 1.000 kr. Et fast beløb: samme som min.",
        "15.000",
        "tom sammen med min.: intet estimat endnu",
    ),
    "beskrivelse": (
        "Hvad behovet dækker, og hvad det skal give.",
        "Ny løsning til pladsanvisning i dagtilbud",
        "ingen beskrivelse",
    ),
    "forvaltning": (
        "Forvaltningen, der indmelder behovet.",
        "BUF",
        "projektmappens forvaltning (sat, da skabelonen blev lavet)",
    ),
    "variantgruppe": (
        "Samme navn på rækker, der udelukker hinanden (højst én vælges), fx størrelser af samme behov.",
        "privat-5g",
        "ingen varianter",
    ),
    "forudsaetter": (
        "Id'er på behov, der skal være finansieret først, adskilt af semikolon.",
        "AI-01",
        "ingen forudsætninger",
    ),
    "omkostning_forventet": (
        "Forventet samlet omkostning, 1.000 kr., mellem min. og maks.",
        "12.500",
        "antaget: midtpunktet mellem min. og maks.",
    ),
    "andel_anlaeg": (
        "Andel af omkostningen, der er anlæg, 0–1 (eller procent). Resten er service.",
        "0,4",
        "antaget: 0 (alt er service)",
    ),
    "fordeling": (
        "Omkostningens fordeling over årene fra startåret, procent adskilt af semikolon, i alt 100.",
        "60;40",
        "antaget: 100 (alt i startåret)",
    ),
    "tidligste_start": ("Tidligste år, behovet kan starte.", "2027", "antaget: rammens første år"),
    "seneste_start": ("Seneste år, behovet kan starte.", "2028", "antaget: rammens sidste mulige år"),
    "pl_aar": ("Prisniveau for beløbene (år).", "2026", "antaget: rammens prisniveau"),
    "potentiale_tilgaengelighed": ("Tilgængelighed for borgere og virksomheder, 0–5 (helt tal).", "3", "antaget: 0"),
    "potentiale_aflastning": (
        "Administrativ tid flyttet til borgernær opgaveløsning, 0–5 (helt tal).",
        "2",
        "antaget: 0",
    ),
    "potentiale_forenkling": ("Enklere administration, 0–5 (helt tal).", "4", "antaget: 0"),
    "potentiale_skalering": ("Skalering af teknologi, 0–5 (helt tal).", "1", "antaget: 0"),
    "gevinst": ("Forventet gevinst pr. år ved fuld effekt, 1.000 kr.", "2.000", "ingen gevinst opgjort"),
    "timer_frigjort": (
        "Timer pr. år flyttet fra administration til borgernært arbejde.",
        "5.000",
        "ingen timer opgjort",
    ),
    "prioritet": ("Forvaltningens prioritering, 1 = først.", "1", "ingen prioritet"),
    "obligatorisk": ("ja, hvis behovet skal finansieres (lovkrav o.l.), ellers nej.", "nej", "antaget: nej"),
    "kilde": ("Hvor tallene kommer fra.", "Forvaltningens business case, maj 2027", "ingen kilde"),
    "antagelser": (
        "Hvilke af rækkens felter er antagelser, kolonnenavne adskilt af semikolon.",
        "andel_anlaeg;fordeling",
        "ingen felter markeret",
    ),
}

KIND_TEXT_DA = {
    "text": "tekst",
    "number": "tal",
    "amount": "beløb i 1.000 kr.",
    "share": "andel 0–1",
    "int": "helt tal",
    "year": "årstal",
    "yesno": "ja/nej",
    "ids": "id'er adskilt af ;",
    "numbers": "tal adskilt af ;",
}


def header_label(name: str) -> str:
    """The header a person reads, which the reader matches back to the contract's name:
    ``omraade`` → ``Område``, ``andel_anlaeg`` → ``Andel anlæg``."""
    text = name.replace("_", " ")
    for ascii_, danish in (("aa", "å"), ("ae", "æ"), ("oe", "ø")):
        text = text.replace(ascii_, danish)
    label = text[:1].upper() + text[1:]
    return label if normalise_header(label) == name else name


def _range_text(column: Column) -> str:
    if column.minimum is not None and column.maximum is not None:
        return f"{column.minimum:g}–{column.maximum:g}".replace(".", ",")
    if column.minimum is not None:
        return f"mindst {column.minimum:g}"
    return ""


def guide_rows(years: list[int] | None = None) -> list[dict[str, str]]:
    """One row per register column for the Vejledning sheet, from the reader's definitions."""
    rows = []
    for column in REGISTER_COLUMNS:
        meaning, example, empty = HELP[column.name]
        range_text = _range_text(column)
        if column.kind == "year" and years:
            range_text = f"{years[0]}–{years[-1]}"
        rows.append(
            {
                "Kolonne": header_label(column.name),
                "Skal udfyldes": "ja" if column.required and not column.may_be_empty else "nej",
                "Indhold": meaning,
                "Type": KIND_TEXT_DA[column.kind],
                "Interval": range_text,
                "Eksempel": example,
                "Hvis tom": empty,
            }
        )
    return rows


def write_template(
    path: str | Path, forvaltning: str | None = None, year: int | None = None, years: list[int] | None = None
) -> Path:
    """Write the intake workbook: a ``behovsregister`` sheet with the contract's headers
    (with a help comment each, frozen, with data validation where Excel can do it) and no
    data rows, and a ``Vejledning`` sheet explaining every column."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    path = Path(path)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    letters = {}
    for k, column in enumerate(REGISTER_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=k, value=header_label(column.name))
        meaning, example, empty = HELP[column.name]
        range_text = _range_text(column)
        text = f"{meaning}\nType: {KIND_TEXT_DA[column.kind]}" + (f", {range_text}" if range_text else "")
        text += f"\nEksempel: {example}\nHvis tom: {empty}"
        cell.comment = Comment(text, "digiramme", width=320, height=150)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE7F0")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        letters[column.name] = get_column_letter(k)
        sheet.column_dimensions[letters[column.name]].width = max(12, min(40, len(header_label(column.name)) + 4))
    sheet.freeze_panes = "A2"
    last = 1000  # rows with validation: far more than any forvaltning submits

    def validate(name: str, rule: DataValidation) -> None:
        rule.add(f"{letters[name]}2:{letters[name]}{last}")
        sheet.add_data_validation(rule)

    def listed(values, strict: bool, title: str) -> DataValidation:
        return DataValidation(
            type="list",
            formula1='"' + ",".join(values) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop" if strict else "warning",
            errorTitle=title,
            error="Vælg en værdi fra listen." if strict else "Ikke på listen. Fortsæt, hvis det er et nyt område.",
        )

    validate("omraade", listed(AREAS, strict=False, title="Område"))
    validate("forvaltning", listed([forvaltning] if forvaltning else FORVALTNINGER, strict=False, title="Forvaltning"))
    validate("obligatorisk", listed(["ja", "nej"], strict=True, title="Obligatorisk"))
    for name in POTENTIALS:
        validate(
            name,
            DataValidation(
                type="whole",
                operator="between",
                formula1="0",
                formula2="5",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Potentiale",
                error="Et helt tal fra 0 til 5.",
            ),
        )
    validate(
        "andel_anlaeg",
        DataValidation(
            type="decimal",
            operator="between",
            formula1="0",
            formula2="1",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Andel anlæg",
            error="En andel fra 0 til 1, fx 0,4.",
        ),
    )
    for name in ("omkostning_min", "omkostning_forventet", "omkostning_max", "gevinst", "timer_frigjort"):
        validate(
            name,
            DataValidation(
                type="decimal",
                operator="greaterThanOrEqual",
                formula1="0",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Beløb",
                error="Et tal på mindst 0 (1.000 kr.).",
            ),
        )
    if years:
        for name in ("tidligste_start", "seneste_start"):
            validate(
                name,
                DataValidation(
                    type="whole",
                    operator="between",
                    formula1=str(years[0]),
                    formula2=str(years[-1]),
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle="Startår",
                    error=f"Et år i rammen, {years[0]}–{years[-1]}.",
                ),
            )
    validate(
        "prioritet",
        DataValidation(
            type="whole",
            operator="greaterThanOrEqual",
            formula1="1",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Prioritet",
            error="Et helt tal, 1 = først.",
        ),
    )

    guide = workbook.create_sheet(GUIDE_SHEET)
    title = "Indmelding af behov til den digitale udviklings- og omstillingsplan"
    guide["A1"] = title + (f", budget {year}" if year else "")
    guide["A1"].font = Font(bold=True, size=14)
    intro = [
        f"Forvaltning: {forvaltning}" if forvaltning else "Forvaltning: skriv den i kolonnen Forvaltning på hver række",
        "Udfyld arket behovsregister: én række pr. behov, fra række 2. Lad overskrifterne stå.",
        "Beløb er i 1.000 kr. i dansk format (10.000 eller 2,5). Et spænd: min. og maks.; et fast beløb: samme tal.",
        "Et behov uden estimat endnu: lad min. og maks. stå tomme; "
        "det kommer med i oversigten over manglende estimater.",
        "Felter, der står tomme, bliver antagelser (se Hvis tom), og rapporten markerer dem som antaget.",
    ]
    for k, line in enumerate(intro, start=2):
        guide.cell(row=k, column=1, value=line)
    rows = guide_rows(years)
    header_row = len(intro) + 3
    for k, key in enumerate(rows[0], start=1):
        cell = guide.cell(row=header_row, column=k, value=key)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE7F0")
    for r, row in enumerate(rows, start=header_row + 1):
        for k, value in enumerate(row.values(), start=1):
            guide.cell(row=r, column=k, value=value).alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEFG", (26, 14, 60, 20, 14, 28, 44), strict=True):
        guide.column_dimensions[letter].width = width
    example_row = header_row + len(rows) + 2
    guide.cell(row=example_row, column=1, value="Eksempel på en udfyldt række (skriv ikke eksempler i behovsregister):")
    guide.cell(row=example_row, column=1).font = Font(bold=True)
    for k, column in enumerate(REGISTER_COLUMNS, start=1):
        guide.cell(row=example_row + 1, column=k, value=header_label(column.name)).font = Font(bold=True)
        guide.cell(row=example_row + 2, column=k, value=HELP[column.name][1])
    guide.freeze_panes = guide.cell(row=header_row + 1, column=1)
    if forvaltning:
        workbook.defined_names[FORVALTNING_NAME] = DefinedName(FORVALTNING_NAME, attr_text=f'"{forvaltning}"')
    workbook.properties.title = title
    workbook.properties.creator = "digiramme"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, workbook.save)
    return path


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


def collect(paths: list[Path], from_filename: bool = False, previous: pd.DataFrame | None = None) -> Collected:
    """Read, validate and merge the submissions; nothing is written here."""
    raws = {Path(p): _raw_rows(Path(p)) for p in paths}
    ids = {p: {str(c["id"]).strip() for c in raw.values() if not _empty(c.get("id"))} for p, raw in raws.items()}
    submissions = [
        read_submission(p, raw, frozenset().union(*(ids[q] for q in raws if q != p)), from_filename)
        for p, raw in raws.items()
    ]
    findings: list[Finding] = []
    if not submissions:
        findings.append(Finding(ERROR, "collect", "ingen filer at samle"))
    seen: dict[str, tuple[str, int]] = {}
    for sub in submissions:
        if sub.register is None:
            continue
        for row in sub.register.itertuples(index=False):
            if not isinstance(row.id, str):
                continue
            rownum = int(getattr(row, ROW_COLUMN))
            key = row.id.casefold()
            if key in seen:
                other_file, other_row = seen[key]
                findings.append(
                    Finding(
                        ERROR, sub.name, f'id "{row.id}" findes også i {other_file} række {other_row}', rownum, "id"
                    )
                )
            else:
                seen[key] = (sub.name, rownum)
    result = Collected(submissions, None, findings, previous)
    if result.ok:
        result.register = merged(submissions)
    return result


def merged(submissions: list[Submission]) -> pd.DataFrame:
    """One table of the cells as the forvaltninger wrote them, in the contract's column
    order; an empty ``forvaltning`` takes the file's own setting."""
    names = [c.name for c in REGISTER_COLUMNS]
    rows = []
    for sub in submissions:
        for row in sub.register.itertuples(index=False):
            cells = dict(sub.raw.get(int(getattr(row, ROW_COLUMN)), {}))
            record = {name: cells.get(name) for name in names}
            if _empty(record["forvaltning"]) and sub.forvaltning:
                record["forvaltning"] = sub.forvaltning
            rows.append(record)
    return pd.DataFrame(rows, columns=names)


def _empty(value) -> bool:
    return (
        value is None or (isinstance(value, str) and not value.strip()) or (isinstance(value, float) and value != value)
    )


def _csv_text(value) -> str:
    """A cell for the CSV register, written so the strict Danish reader reads it back."""
    if _empty(value):
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value).replace(".", ",")
    return str(value)


def write_register(table: pd.DataFrame, path: Path) -> Path:
    """Write the merged register (CSV with ``;`` or .xlsx, sheet behovsregister), atomically."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        def write(target):
            workbook = Workbook()
            sheet = workbook.active
            sheet.title = SHEET
            sheet.append(list(table.columns))
            for r, record in enumerate(table.itertuples(index=False), start=2):
                for k, value in enumerate(record, start=1):
                    if _empty(value):
                        continue
                    cell = sheet.cell(row=r, column=k, value=value)
                    if isinstance(value, str) and value.startswith("="):
                        cell.data_type = "s"  # text as written, never a formula
            sheet.freeze_panes = "A2"
            workbook.save(target)

        return write_atomically(path, write)

    def write_csv(target):
        with open(target, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=";", lineterminator="\n")
            writer.writerow(list(table.columns))
            for record in table.itertuples(index=False):
                writer.writerow([_csv_text(v) for v in record])

    return write_atomically(path, write_csv)


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
            "expected_cost": float(reg.loc[reg["har_estimat"], "omkostning_forventet"].sum())
            if reg is not None
            else 0.0,
            "errors": [str(f) for f in sub.findings if f.is_error],
            "warnings": [str(f) for f in sub.findings if f.severity == WARNING],
        }
        files.append(entry)
        if reg is not None:
            for row in reg.itertuples(index=False):
                if not row.har_estimat:
                    who = row.forvaltning or sub.forvaltning or "(ingen forvaltning)"
                    lacking.setdefault(str(who), []).append(row.id)
    out = {
        "ok": result.ok,
        "files": files,
        "errors": [str(f) for f in result.findings if f.is_error],
        "needs": int(sum(f["needs"] for f in files)),
        "lacking_estimate": {k: sorted(v) for k, v in sorted(lacking.items())},
    }
    if result.previous is not None:
        out["against_previous"] = against_previous(result, result.previous)
    return out


def against_previous(result: Collected, previous: pd.DataFrame) -> dict:
    """Needs new, gone and re-costed against last year's register."""
    now = pd.concat([s.register for s in result.submissions if s.register is not None], ignore_index=True)
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
