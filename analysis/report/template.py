"""Writing the intake files: the workbook a forvaltning fills in (from the register
contract, the same column definitions the reader uses, so what a forvaltning fills in is
exactly what the rest of the package reads), and the merged register ``collect`` writes."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from analysis.inputs.cells import format_plain
from analysis.inputs.columns import Column, number_in_cell
from analysis.inputs.contracts import AREAS, FORVALTNINGER, POTENTIALS, REGISTER_COLUMNS
from analysis.inputs.intake import FORVALTNING_NAME, GUIDE_SHEET, SHEET, empty_cell
from analysis.inputs.paths import write_atomically
from analysis.inputs.reading import normalise_header

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
    "udvalg": (
        "Det udvalg, der modtager pengene, når behovet udmøntes.",
        "BUU",
        "forvaltningens udvalg (BUF → BUU osv.; tværgående → ØU)",
    ),
    "bevilling_service": (
        "Bevillingen under det modtagende udvalg, som servicemidlerne lægges på: nummer og navn.",
        "1234 – Bevillingens navn",
        "skal angives, før udmøntningen går til ØU",
    ),
    "bevilling_anlaeg": (
        "Bevillingen under det modtagende udvalg, som anlægsmidlerne lægges på: nummer og navn.",
        "1234 – Bevillingens navn",
        "skal angives, før udmøntningen går til ØU",
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
    "drift_aar": (
        "Afledt drift: driftsudgift pr. år, når investeringen er gennemført (på servicerammen), 1.000 kr.",
        "1.500",
        "antaget: 0",
    ),
    "dobbeltdrift": ("Dobbeltdrift pr. år, mens gammelt og nyt kører side om side, 1.000 kr.", "500", "antaget: 0"),
    "dobbeltdrift_aar": ("Antal år med dobbeltdrift fra startåret (helt tal).", "1", "antaget: 0"),
    "gevinst_fuld_aar": (
        "År efter gennemførelsen, til gevinsten har fuld effekt (helt tal); den stiger jævnt.",
        "2",
        "antaget: 1",
    ),
    "gevinst_min": (
        "Laveste gevinst pr. år ved fuld effekt, 1.000 kr. (spænd; udfyld med gevinst_max).",
        "1.500",
        "antaget: som gevinst",
    ),
    "gevinst_max": ("Højeste gevinst pr. år ved fuld effekt, 1.000 kr. (spænd).", "2.500", "antaget: som gevinst"),
    "hjemtagelse": ("Andel af gevinsten, der kan hjemtages som budgetreduktion, 0–1.", "0,5", "antaget: 0"),
    "hjemtagelse_forvaltning": (
        "Hvilke forvaltninger hjemtager budgetreduktionen, med procent (uden procent: lige store dele).",
        "BUF 40;SUF 60",
        "antaget: behovets forvaltning",
    ),
    "levetid": ("Økonomisk levetid i år efter gennemførelsen (helt tal).", "5", "antaget: 5"),
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
    "shares": "forvaltninger med procent adskilt af ;",
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
        return f"{format_plain(column.minimum)}–{format_plain(column.maximum)}"
    if column.minimum is not None:
        return f"mindst {format_plain(column.minimum)}"
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
    for name in (
        "omkostning_min",
        "omkostning_forventet",
        "omkostning_max",
        "gevinst",
        "gevinst_min",
        "gevinst_max",
        "timer_frigjort",
    ):
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


def _csv_text(value) -> str:
    """A cell for the CSV register, written so the strict Danish reader reads it back."""
    if empty_cell(value):
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value).replace(".", ",")
    return str(value)


# How Excel shows a number column of the register: amounts with thousands separators (Danish
# Excel: 25.000), shares in percent, years and whole numbers without separators.
NUMBER_FORMATS = {"amount": "#,##0", "share": "0%", "int": "0", "year": "0", "number": "General"}


def write_register(table: pd.DataFrame, path: Path) -> Path:
    """Write the merged register (CSV with ``;`` or .xlsx, sheet behovsregister), atomically.
    In an .xlsx every number is a number (an amount typed as ``25.000`` in a CSV becomes
    25000 with a thousands format), so Excel sums and sorts it."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        columns = {c.name: c for c in REGISTER_COLUMNS}

        def write(target):
            workbook = Workbook()
            sheet = workbook.active
            sheet.title = SHEET
            sheet.append(list(table.columns))
            for r, record in enumerate(table.itertuples(index=False), start=2):
                for k, (name, value) in enumerate(zip(table.columns, record, strict=True), start=1):
                    if empty_cell(value):
                        continue
                    column = columns.get(name)
                    if column is not None:
                        value = number_in_cell(column, value)
                    cell = sheet.cell(row=r, column=k, value=value)
                    if isinstance(value, str) and value.startswith("="):
                        cell.data_type = "s"  # text as written, never a formula
                    elif column is not None and isinstance(value, int | float) and not isinstance(value, bool):
                        whole = float(value).is_integer()
                        cell.number_format = NUMBER_FORMATS.get(column.kind, "General") if whole else "General"
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
